/**
 * Bounded fuzz: random mutations of a few small valid images must each resolve (any result) or reject with a
 * CodesError. Deterministic seed; stops after N cases or a wall budget far above their cost on an idle machine
 * (~100 cases a second), so that a loaded CI machine still runs them all. The per-call bound only catches a hang
 * (it is no speed check: the benchmarks are).
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import sharp from "sharp";
import { detectCodes } from "./detect.js";
import { CodesError } from "./types.js";
import { qrPng } from "./test-images.js";

const CASES = Number(process.env.BARBUCKET_FUZZ_CASES ?? 1000);
const WALL_MS = Number(process.env.BARBUCKET_FUZZ_MS ?? 120_000);
const PER_CALL_MS = 30_000;

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function mutate(src: Buffer, r: () => number): Uint8Array {
  const b = Buffer.from(src);
  switch (Math.floor(r() * 5)) {
    case 0: // flip a few bytes (headers live in the first 64)
      for (let i = 0, n = 1 + Math.floor(r() * 8); i < n; i++) b[Math.floor(r() * Math.min(b.length, r() < 0.5 ? 64 : b.length))] = Math.floor(r() * 256);
      return b;
    case 1: // truncate
      return b.subarray(0, Math.floor(r() * b.length));
    case 2: { // overwrite a run with 0xff / 0x00
      const at = Math.floor(r() * b.length), len = Math.floor(r() * 32), v = r() < 0.5 ? 0 : 255;
      b.fill(v, at, Math.min(b.length, at + len));
      return b;
    }
    case 3: { // duplicate a chunk in the middle
      const at = Math.floor(r() * b.length);
      return Buffer.concat([b.subarray(0, at), b.subarray(at, Math.min(b.length, at + 200)), b.subarray(at)]);
    }
    default: // big-endian 32-bit field set to a large value (sizes, lengths)
      if (b.length > 8) b.writeUInt32BE(Math.floor(r() * 0xffffffff), Math.floor(r() * (Math.min(b.length, 64) - 4)));
      return b;
  }
}

describe("fuzz", () => {
  it(`${CASES} mutated images resolve or reject with CodesError, each within ${PER_CALL_MS} ms`, async () => {
    const qr = await qrPng("fuzz me", 3);
    const seeds = [
      qr,
      await sharp(qr).jpeg({ quality: 80 }).toBuffer(),
      await sharp(qr).webp().toBuffer(),
      await sharp(qr).gif().toBuffer(),
      await sharp(qr).tiff().toBuffer(),
      // the native decoder's paths (native/luma.c): alpha, palette, lossless, progressive, grey
      await sharp(qr).ensureAlpha(0.5).png().toBuffer(),
      await sharp(qr).png({ palette: true }).toBuffer(),
      await sharp(qr).ensureAlpha(0.5).webp({ lossless: true }).toBuffer(),
      await sharp(qr).jpeg({ progressive: true }).toBuffer(),
      await sharp(qr).greyscale().jpeg().toBuffer(),
      // EXIF orientation in each native format (still-header.ts reads it: JPEG APP1, PNG eXIf, WebP EXIF chunk)
      await sharp(qr).withMetadata({ orientation: 6 }).jpeg().toBuffer(),
      await sharp(qr).withMetadata({ orientation: 3 }).png().toBuffer(),
      await sharp(qr).withMetadata({ orientation: 8 }).webp().toBuffer(),
    ];
    const r = rng(20260101);
    const t0 = performance.now();
    let n = 0, ok = 0, rejected = 0;
    while (n < CASES && performance.now() - t0 < WALL_MS) {
      const input = mutate(seeds[n % seeds.length]!, r);
      const t = performance.now();
      try {
        await detectCodes(input, { maxCodes: 5, timeBudgetMs: 2000 });
        ok++;
      } catch (err) {
        assert.ok(err instanceof CodesError, `case ${n}: not a CodesError: ${String(err)}`);
        rejected++;
      }
      assert.ok(performance.now() - t < PER_CALL_MS, `case ${n} took ${performance.now() - t} ms`);
      n++;
    }
    assert.ok(n >= Math.min(CASES, 100), `only ${n} cases ran`);
    console.log(`fuzz: ${n} cases, ${ok} resolved, ${rejected} rejected with CodesError`);
  });
});
