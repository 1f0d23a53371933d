import assert from "node:assert/strict";
import { test } from "node:test";
import { loadZXing, readGray } from "../zxing.js";
import { erasureDecode } from "./erasure-decode.js";
import { renderSymbol, thresholdModules, type ThresholdKind } from "./modules.js";
import { qrMatrix } from "./stress-images.js";

const mod = await loadZXing();
const PURE = { formats: "QRCode", isPure: true, tryHarder: false, tryRotate: false, tryInvert: false, tryDownscale: false, textMode: "Plain" } as const;

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

/** Module values of a symbol under an additive specular spot that clips to white (ink 40, paper 190, noise). */
function glaredValues(text: string, level: "L" | "M" | "Q" | "H", version: number, rand: () => number, transposed = false) {
  const q = qrMatrix(text, { eclevel: level, version });
  const dim = q.dim, values = new Float32Array(dim * dim);
  const cx = dim * (0.3 + 0.4 * rand()), cy = dim * (0.3 + 0.4 * rand()), sigma = dim * (0.16 + 0.08 * rand()), amp = 420;
  for (let r = 0; r < dim; r++) {
    for (let c = 0; c < dim; c++) {
      const spec = amp * Math.exp(-((r - cy) ** 2 + (c - cx) ** 2) / (2 * sigma * sigma));
      const dark = transposed ? q.dark[c * dim + r] : q.dark[r * dim + c];
      values[r * dim + c] = Math.min(255, (dark ? 40 : 190) + spec + (rand() - 0.5) * 20);
    }
  }
  return values;
}

const plainReads = (values: Float32Array, version: number): boolean =>
  (["local", "wide", "global"] as ThresholdKind[]).some((k) => {
    const bits = thresholdModules(values, Math.round(Math.sqrt(values.length)), k, version);
    return !!bits && readGray(mod, renderSymbol(bits, version), PURE).length > 0;
  });

test("glared symbols the plain thresholds lose are read once their least reliable codewords are erased", () => {
  const rand = rng(21);
  let plain = 0, erasure = 0, wrong = 0;
  const trials = 40;
  for (let k = 0; k < trials; k++) {
    const level = (["L", "M", "Q", "H"] as const)[k % 4]!, version = 3 + (k % 9), text = `GLARE ${k} ${Math.floor(rand() * 1e6)}`;
    const values = glaredValues(text, level, version, rand);
    if (plainReads(values, version)) plain++;
    const fixed = erasureDecode(values, version);
    const read = fixed && readGray(mod, renderSymbol(fixed.bits, version), PURE)[0];
    if (read?.text === text) erasure++; else if (read) wrong++;
  }
  assert.equal(wrong, 0);
  assert.ok(erasure >= plain + trials / 4, `erasure decoding read ${erasure} of ${trials}, the plain thresholds ${plain}`);
});

test("a mirrored symbol is corrected transposed and says so", () => {
  const rand = rng(5);
  const values = glaredValues("MIRROR 77", "H", 4, rand, true);
  const fixed = erasureDecode(values, 4);
  assert.ok(fixed);
  assert.equal(fixed.transposed, true);
  assert.equal(readGray(mod, renderSymbol(fixed.bits, 4), PURE)[0]?.text, "MIRROR 77");
});

test("grids sampled from noise or from a wrong version never come back as a symbol", () => {
  const rand = rng(9);
  for (let k = 0; k < 200; k++) {
    const version = 1 + (k % 10), dim = 17 + 4 * version, values = new Float32Array(dim * dim);
    for (let i = 0; i < values.length; i++) values[i] = rand() < 0.5 ? 40 + 30 * rand() : 160 + 60 * rand();
    assert.equal(erasureDecode(values, version), null, `noise grid ${k}`);
  }
  // A real symbol sampled at the neighbouring version's grid (what a wrong version hypothesis gives).
  const q = qrMatrix("WRONG VERSION", { eclevel: "L", version: 5 });
  const dim = 17 + 4 * 6, values = new Float32Array(dim * dim);
  for (let r = 0; r < dim; r++) {
    for (let c = 0; c < dim; c++) values[r * dim + c] = q.dark[Math.floor((r * q.dim) / dim) * q.dim + Math.floor((c * q.dim) / dim)] ? 40 : 190;
  }
  const fixed = erasureDecode(values, 6);
  assert.ok(!fixed || readGray(mod, renderSymbol(fixed.bits, 6), PURE).length === 0);
});
