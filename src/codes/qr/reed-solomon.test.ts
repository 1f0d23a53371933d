import { test } from "node:test";
import assert from "node:assert/strict";
import { rsDecode, rsEncode } from "./reed-solomon.js";

/** Seeded LCG so failures reproduce. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

function codeword(rand: () => number, k: number, m: number): Uint8Array {
  const data = Array.from({ length: k }, () => Math.floor(rand() * 256));
  return Uint8Array.from([...data, ...rsEncode(data, m)]);
}

function distinct(rand: () => number, count: number, n: number, not: ReadonlySet<number> = new Set()): number[] {
  const out = new Set<number>();
  while (out.size < count) { const k = Math.floor(rand() * n); if (!not.has(k)) out.add(k); }
  return [...out];
}

test("QR's known block: the version 1-M example of ISO/IEC 18004 annex I encodes to its published check codewords", () => {
  // "01234567" in version 1-M: 16 data codewords, 10 check codewords (the standard's worked example).
  const data = [0x10, 0x20, 0x0c, 0x56, 0x61, 0x80, 0xec, 0x11, 0xec, 0x11, 0xec, 0x11, 0xec, 0x11, 0xec, 0x11];
  assert.deepEqual(rsEncode(data, 10), [0xa5, 0x24, 0xd4, 0xc1, 0xed, 0x36, 0xc7, 0x87, 0x2c, 0x55]);
});

test("errors and erasures within 2·errors + erasures ≤ m are corrected", () => {
  const rand = rng(7);
  for (let trial = 0; trial < 300; trial++) {
    const m = 2 + Math.floor(rand() * 29), k = 1 + Math.floor(rand() * 120);
    const clean = codeword(rand, k, m);
    const nErase = Math.floor(rand() * (m + 1));
    const nErr = Math.floor(rand() * (Math.floor((m - nErase) / 2) + 1));
    const erased = distinct(rand, nErase, clean.length);
    const wrong = distinct(rand, nErr, clean.length, new Set(erased));
    const got = Uint8Array.from(clean);
    for (const i of erased) got[i] = Math.floor(rand() * 256); // an erased codeword may be right by chance
    for (const i of wrong) got[i] = got[i]! ^ (1 + Math.floor(rand() * 255));
    const res = rsDecode(got, m, erased);
    assert.ok(res, `trial ${trial}: m ${m} erasures ${nErase} errors ${nErr}`);
    assert.deepEqual([...res.block], [...clean]);
    assert.equal(res.errors, nErr);
    assert.equal(res.spare, m - nErase - 2 * nErr);
  }
});

test("beyond reach the decoder refuses rather than returning a wrong block, most of the time", () => {
  const rand = rng(11);
  let wrongAccepted = 0, trials = 0;
  for (let trial = 0; trial < 200; trial++) {
    const m = 10 + Math.floor(rand() * 20), clean = codeword(rand, 40, m);
    const got = Uint8Array.from(clean);
    for (const i of distinct(rand, m, clean.length)) got[i] = got[i]! ^ (1 + Math.floor(rand() * 255)); // m errors: twice the reach
    const res = rsDecode(got, m, [], 4);
    trials++;
    if (res && res.block.some((v, i) => v !== clean[i])) wrongAccepted++;
  }
  // With 4 check symbols held back, a wrong correction needs a random word within the shrunken radius.
  assert.ok(wrongAccepted <= trials * 0.02, `${wrongAccepted} of ${trials} accepted a wrong block`);
});

test("minSpare holds back check symbols: a correction that would use them is refused", () => {
  const rand = rng(3);
  const clean = codeword(rand, 20, 10);
  const got = Uint8Array.from(clean);
  got[2] = got[2]! ^ 0x55; got[9] = got[9]! ^ 0x0f; got[15] = got[15]! ^ 0xff; // 3 errors: 6 of 10
  assert.ok(rsDecode(got, 10, [], 4));
  assert.equal(rsDecode(got, 10, [], 5), null);
  assert.deepEqual([...rsDecode(got, 10, [2, 9, 15], 7)!.block], [...clean]);
});
