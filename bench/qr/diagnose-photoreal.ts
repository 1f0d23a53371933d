/**
 * Dev aid: per baseline-missed QR code of one photoreal half, what each stage of the module did on the crop
 * round its true box: true finders found (of 3), the rank of the triple made of them, the versions fitted
 * for it and their scores, and whether it was read.
 *   node dist/bench/qr/diagnose-photoreal.js [--half tune] [--category C]... [--save DIR]
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import sharp from "sharp";
import { decodeImage } from "../../src/codes/decode-image.js";
import { loadZXing, type GrayImage } from "../../src/codes/zxing.js";
import { quadToQuad, project } from "../../src/codes/qr/homography.js";
import { findFinderCandidates, findTriples, fitTriple, tripleStartScore } from "../../src/codes/qr/locate.js";
import { readQrCodes } from "../../src/codes/qr/read.js";
import { baselineOf, loadBaselines } from "./baseline.js";
import { truthCrops } from "./eval-crops.js";
import { photorealScenes, sameText } from "./photoreal-scenes.js";

const args = process.argv.slice(2);
const arg = (n: string): string | undefined => { const i = args.indexOf(n); return i >= 0 ? args[i + 1] : undefined; };
const cats = args.flatMap((a, i) => (a === "--category" && args[i + 1] ? [args[i + 1]!] : []));
const save = arg("--save");
if (save) mkdirSync(save, { recursive: true });
const mod = await loadZXing();
const cache = loadBaselines();
for (const s of await photorealScenes((arg("--half") ?? "tune") as "tune", cats.length ? cats : undefined)) {
  const b = await baselineOf(s, cache);
  if (b.refused) continue;
  const readBy = (l: { text: string }[], t: string): boolean => l.some((r) => sameText(r.text, t));
  const missed = s.qr.filter((q) => !readBy(b.zxing, q.text) && !readBy(b.engine, q.text));
  if (!missed.length) continue;
  const gray = await decodeImage(s.bytes);
  const img: GrayImage = { data: gray.data, width: gray.width, height: gray.height };
  const crops = truthCrops(img, missed.map((q) => q.box));
  const cond = s.conditions;
  missed.forEach((q, k) => {
    const c = crops[k]!;
    const dim = typeof cond.qrVersion === "number" && missed.length === 1 ? 17 + 4 * cond.qrVersion : NaN;
    const truthFinders = Number.isNaN(dim) ? [] : finderCentres(q.corners.map(([x, y]) => [x - c.left, y - c.top] as [number, number]), dim);
    const module = Number.isNaN(dim) ? NaN : Math.hypot(q.corners[1]![0] - q.corners[0]![0], q.corners[1]![1] - q.corners[0]![1]) / dim;
    const found = findFinderCandidates(c.img).filter((f) => f.count >= 2);
    const near = truthFinders.map((t) => found.findIndex((f) => Math.hypot(f.x - t[0], f.y - t[1]) < 2 * module));
    const triples = findTriples(c.img);
    const isTrue = (f: { x: number; y: number }): boolean => truthFinders.some((t) => Math.hypot(f.x - t[0], f.y - t[1]) < 2 * module);
    const rank = triples.findIndex((t) => isTrue(t.tl) && isTrue(t.tr) && isTrue(t.bl));
    const fits = rank >= 0 ? fitTriple(c.img, triples[rank]!, rank).map((f) => `v${f.fit.version}:${f.fit.score.toFixed(2)}`).join(" ") + ` start ${tripleStartScore(c.img, triples[rank]!).toFixed(2)}` : "";
    const read = readQrCodes(mod, c.img).some((r) => sameText(r.text, q.text));
    console.log(`${s.id} ${read ? "READ" : "miss"} v${cond.qrVersion ?? "?"} m${module.toFixed(1)} crop ${c.img.width}x${c.img.height}`
      + ` finders ${found.length} true [${near.join(",")}] triples ${triples.length} rank ${rank} fits ${fits}`);
    if (save) void sharp(Buffer.from(c.img.data), { raw: { width: c.img.width, height: c.img.height, channels: 1 } }).png().toFile(join(save, `${s.id}-${k}.png`));
  });
  if (save) writeFileSync(join(save, `${s.id}.json`), JSON.stringify({ cond, missed }));
}

/** Finder centres (module 3.5 from the corners) through the homography of the true corners. */
function finderCentres(corners: [number, number][], dim: number): [number, number][] {
  const h = quadToQuad([[0, 0], [dim, 0], [dim, dim], [0, dim]], corners);
  if (!h) return [];
  return ([[3.5, 3.5], [dim - 3.5, 3.5], [3.5, dim - 3.5]] as const).map(([x, y]) => {
    const p: [number, number] = [0, 0];
    project(h, x, y, p);
    return p;
  });
}
