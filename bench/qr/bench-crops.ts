/**
 * Cost of readQrCodes per spot crop (eval-crops.ts spots) of one half's photoreal scenes, split by what the
 * module found in the crop: no finder triple or pair at all (text, texture, 1D barcodes) vs some, with zxing's
 * QR-only read of the same crop for scale (the box is shared, so ratios say more than ms).
 *   node dist/bench/qr/bench-crops.js [--half tune] [--category C]... [--runs 3]
 */
import { decodeImage } from "../../src/codes/decode-image.js";
import { loadZXing, readGray } from "../../src/codes/zxing.js";
import { readQrCodes, type QrReadStats } from "../../src/codes/qr/index.js";
import { loadBaselines } from "./baseline.js";
import { boxOfCorners, spotCrops } from "./eval-crops.js";
import { photorealScenes } from "./photoreal-scenes.js";

const args = process.argv.slice(2);
const arg = (n: string): string | undefined => { const i = args.indexOf(n); return i >= 0 ? args[i + 1] : undefined; };
const cats = args.flatMap((a, i) => (a === "--category" && args[i + 1] ? [args[i + 1]!] : []));
const runs = Number(arg("--runs") ?? 3);
const mod = await loadZXing();
const cache = loadBaselines();
interface Bucket { crops: number; mp: number; ms: number[]; zxMs: number[] }
const buckets = new Map<string, Bucket>();
const add = (k: string, mp: number, ms: number, zx: number): void => {
  const b = buckets.get(k) ?? { crops: 0, mp: 0, ms: [], zxMs: [] };
  b.crops++; b.mp += mp; b.ms.push(ms); b.zxMs.push(zx);
  buckets.set(k, b);
};
const best = (f: () => void): number => {
  let m = Infinity;
  for (let r = 0; r < runs; r++) { const t = performance.now(); f(); m = Math.min(m, performance.now() - t); }
  return m;
};
for (const s of await photorealScenes((arg("--half") ?? "tune") as "tune", cats.length ? cats : undefined)) {
  const b = cache.get(s.id);
  if (!b || b.refused) continue;
  const g = await decodeImage(s.bytes);
  const img = { data: g.data, width: g.width, height: g.height };
  for (const c of spotCrops(img, [...b.zxing, ...b.engine].map((r) => boxOfCorners(r.corners)))) {
    const stats: QrReadStats = { finders: 0, triples: 0, fits: 0, rectified: 0, deadlineHit: false };
    readQrCodes(mod, c.img, { stats });
    const ms = best(() => readQrCodes(mod, c.img));
    const zx = best(() => readGray(mod, c.img, { formats: "QRCode", tryRotate: false, tryInvert: false, tryDownscale: false }));
    const kind = stats.triples === 0 && !stats.pairs ? "no triple/pair" : stats.rectified === 0 ? "triples, none fitted" : "fitted";
    add(kind, (c.img.width * c.img.height) / 1e6, ms, zx);
    add("all", (c.img.width * c.img.height) / 1e6, ms, zx);
  }
}
const q = (a: number[], p: number): number => [...a].sort((x, y) => x - y)[Math.min(a.length - 1, Math.floor(p * a.length))] ?? NaN;
console.log("crops by outcome        n   mean MP  ms mean  p50   p90   max   ms/MP  zxing-QR ms mean");
for (const [k, b] of buckets) {
  const mean = b.ms.reduce((x, y) => x + y, 0) / b.crops;
  console.log(`${k.padEnd(22)}${String(b.crops).padStart(4)}${(b.mp / b.crops).toFixed(2).padStart(9)}${mean.toFixed(1).padStart(9)}`
    + `${q(b.ms, 0.5).toFixed(1).padStart(6)}${q(b.ms, 0.9).toFixed(0).padStart(6)}${Math.max(...b.ms).toFixed(0).padStart(6)}`
    + `${(b.ms.reduce((x, y) => x + y, 0) / b.mp).toFixed(1).padStart(8)}${(b.zxMs.reduce((x, y) => x + y, 0) / b.crops).toFixed(1).padStart(10)}`);
}
