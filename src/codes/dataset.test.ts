/**
 * Recall floors on the zxing-cpp sample dataset (../shared/datasets/zxing-cpp-dev, see its README).
 * `plain` = images plain zxing-wasm (default options, full decoded image) reads, measured with
 * src/codes/tools/tune-dataset.ts in the same process; `floor` = what this test demands of detectCodes: never
 * below plain, one image below what the engine measured where it beats plain. Negatives must return nothing.
 * Skipped (with a message) when the dataset is not there.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { detectCodes, type DetectDiagnostics } from "./detect.js";
import { datasetDir, isHit, loadSamples } from "./tools/dataset.js";

const FLOORS: Record<string, { n: number; plain: number; floor: number }> = {
  aztec: { n: 32, plain: 32, floor: 32 },
  codabar: { n: 11, plain: 11, floor: 11 },
  code128: { n: 8, plain: 8, floor: 8 },
  code39: { n: 11, plain: 11, floor: 11 },
  code93: { n: 3, plain: 3, floor: 3 },
  databarltd: { n: 2, plain: 2, floor: 2 },
  datamatrix: { n: 63, plain: 59, floor: 60 }, // engine 61 (text mode Plain: GS1 separators)
  dxfilmedge: { n: 3, plain: 3, floor: 3 },
  ean13: { n: 24, plain: 22, floor: 22 },
  "ean13-extension": { n: 5, plain: 0, floor: 0 }, // expected texts include the add-on; add-ons are ignored
  ean8: { n: 9, plain: 9, floor: 9 },
  itf: { n: 14, plain: 14, floor: 14 },
  maxicode: { n: 9, plain: 9, floor: 9 },
  micropdf417: { n: 10, plain: 10, floor: 10 },
  microqrcode: { n: 16, plain: 15, floor: 15 },
  pdf417: { n: 33, plain: 33, floor: 33 },
  qrcode: { n: 42, plain: 42, floor: 42 },
  rmqrcode: { n: 3, plain: 3, floor: 3 },
  rss14: { n: 13, plain: 11, floor: 11 },
  rssexpanded: { n: 155, plain: 155, floor: 155 },
  rssexpandedstacked: { n: 62, plain: 62, floor: 62 },
  telepen: { n: 4, plain: 4, floor: 4 },
  upca: { n: 31, plain: 20, floor: 22 }, // engine 23 (sharpen / upscale rescue)
  "upca-extension": { n: 6, plain: 0, floor: 0 },
  upce: { n: 14, plain: 10, floor: 10 }, // engine 11
};
const MULTI_MIN_CODES = 15; // plain reads 18 codes in the 5 multi images; at most 5 per image are returned

const dir = datasetDir();

describe("dataset recall (zxing-cpp samples)", { skip: dir ? false : "dataset not found at ../shared/datasets/zxing-cpp-dev (set BARBUCKET_DATASET)" }, () => {
  it("meets the per-family floors, returns nothing on negatives", async () => {
    const samples = loadSamples(dir!);
    const hits = new Map<string, number>();
    const fps: string[] = [];
    let multiCodes = 0;
    // Generous budget: this test checks recall, not speed, and must not depend on machine load.
    for (const s of samples) {
      const diag: DetectDiagnostics = { trace: [], decodeMs: 0, totalMs: 0 };
      const codes = await detectCodes(new Uint8Array(readFileSync(s.path)), { maxCodes: 5, timeBudgetMs: 60_000 }, diag);
      if (s.family === "falsepositives") {
        if (codes.length) fps.push(`${s.image}: ${codes.map((c) => `${c.Format}:${c.Content}`).join(", ")}`);
        continue;
      }
      if (s.family === "multi") { multiCodes += codes.length; continue; }
      const hit = isHit(s, codes.map((c, i) => ({ text: c.Content, bytes: diag.bytes?.[i] })));
      if (hit) hits.set(s.family, (hits.get(s.family) ?? 0) + 1);
    }
    assert.deepEqual(fps, [], "false positives on negatives");
    assert.ok(multiCodes >= MULTI_MIN_CODES, `multi: ${multiCodes} codes`);
    const below: string[] = [];
    for (const [family, f] of Object.entries(FLOORS)) {
      const got = hits.get(family) ?? 0;
      if (got < f.floor) below.push(`${family}: ${got}/${f.n} < floor ${f.floor} (plain ${f.plain})`);
    }
    assert.deepEqual(below, []);
    const total = [...hits.values()].reduce((a, b) => a + b, 0);
    console.log(`dataset: ${total} labelled images read; per family ${JSON.stringify(Object.fromEntries(hits))}`);
  });
});
