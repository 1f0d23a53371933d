/**
 * What the QR module adds to the engine, per photoreal category, on one half (test/sets/split.ts):
 *   node dist/bench/qr/eval.js [--half tune|validation] [--crops spots|truth] [--category C]...
 *        [--variants N] [--max-triples N] [--verbose]
 * Baseline per QR code (tools/baseline.ts, cached): zxing's default read of the engine's luminance, and the
 * engine (detectCodes, maxCodes 255). The module reads crops as the strategy would hand them (eval-crops.ts):
 * the unexplained spots, or one crop round each baseline-missed QR code's true box.
 * Columns: scenes; QR codes expected; read by zxing / the engine / either (base); crops handed to the module;
 * baseline-missed QR codes the module read (qr+); base + qr+; wrong texts of the module; ms per crop holding a
 * QR code and per crop holding none (mean, max).
 */
import { decodeImage } from "../../src/codes/decode-image.js";
import { loadZXing } from "../../src/codes/zxing.js";
import { readQrCodes, type ReadQrOptions } from "../../src/codes/qr/index.js";
import { baselineOf, loadBaselines, saveBaselines } from "./baseline.js";
import { boxOfCorners, spotCrops, truthCrops } from "./eval-crops.js";
import { photorealScenes, sameText } from "./photoreal-scenes.js";

interface Row {
  scenes: number; qr: number; zxing: number; engine: number; base: number; crops: number; gain: number; wrong: number;
  msQr: number[]; msNone: number[];
}
const emptyRow = (): Row => ({ scenes: 0, qr: 0, zxing: 0, engine: 0, base: 0, crops: 0, gain: 0, wrong: 0, msQr: [], msNone: [] });

const args = process.argv.slice(2);
const arg = (n: string): string | undefined => { const i = args.indexOf(n); return i >= 0 ? args[i + 1] : undefined; };
const argsOf = (n: string): string[] => args.flatMap((a, i) => (a === n && args[i + 1] ? [args[i + 1]!] : []));

async function main(): Promise<void> {
  const half = (arg("--half") ?? "tune") as "tune" | "validation";
  const mode = arg("--crops") ?? "spots";
  const verbose = args.includes("--verbose");
  const opts: ReadQrOptions = {};
  if (arg("--variants")) opts.variants = Number(arg("--variants"));
  if (arg("--max-triples")) opts.maxTriples = Number(arg("--max-triples"));
  const cats = argsOf("--category");
  const mod = await loadZXing();
  const scenes = await photorealScenes(half, cats.length ? cats : undefined);
  const cache = loadBaselines();
  const rows = new Map<string, Row>();
  let refused = 0;
  const rowOf = (k: string): Row => { if (!rows.has(k)) rows.set(k, emptyRow()); return rows.get(k)!; };
  for (const s of scenes) {
    const b = await baselineOf(s, cache);
    if (b.refused) { refused++; continue; }
    const gray = await decodeImage(s.bytes);
    const img = { data: gray.data, width: gray.width, height: gray.height };
    const readBy = (list: { text: string }[], t: string): boolean => list.some((r) => sameText(r.text, t));
    const missed = s.qr.filter((q) => !readBy(b.zxing, q.text) && !readBy(b.engine, q.text));
    const crops = mode === "truth"
      ? truthCrops(img, missed.map((q) => q.box))
      : spotCrops(img, [...b.zxing, ...b.engine].map((r) => boxOfCorners(r.corners)));
    const texts: string[] = [];
    const msQr: number[] = [], msNone: number[] = [];
    for (const c of crops) {
      const t0 = performance.now();
      const got = readQrCodes(mod, c.img, opts);
      const ms = performance.now() - t0;
      texts.push(...got.map((g) => g.text));
      const holdsQr = s.qr.some((q) => {
        const cx = q.corners.reduce((a, p) => a + p[0], 0) / 4 - c.left, cy = q.corners.reduce((a, p) => a + p[1], 0) / 4 - c.top;
        return cx >= 0 && cy >= 0 && cx < c.img.width && cy < c.img.height;
      });
      (holdsQr ? msQr : msNone).push(ms);
    }
    const gain = missed.filter((q) => readBy(texts.map((text) => ({ text })), q.text)).length;
    const wrong = texts.filter((t) => !s.qr.some((q) => sameText(q.text, t))).length;
    const counts = {
      zxing: s.qr.filter((q) => readBy(b.zxing, q.text)).length,
      engine: s.qr.filter((q) => readBy(b.engine, q.text)).length,
      base: s.qr.length - missed.length,
    };
    for (const k of [s.category, "all"]) {
      const r = rowOf(k);
      r.scenes++; r.qr += s.qr.length; r.zxing += counts.zxing; r.engine += counts.engine; r.base += counts.base;
      r.crops += crops.length; r.gain += gain; r.wrong += wrong; r.msQr.push(...msQr); r.msNone.push(...msNone);
    }
    if (verbose || wrong || gain) {
      console.log(`${s.id}: qr ${s.qr.length} base ${counts.base} crops ${crops.length} +${gain}${wrong ? ` WRONG ${JSON.stringify(texts)}` : ""}`
        + ` ms ${[...msQr, ...msNone].map((m) => m.toFixed(0)).join(",")}`);
    }
  }
  saveBaselines(cache);
  printTable(half, mode, rows);
  if (refused) console.log(`(${refused} scenes the engine refuses, left out)`);
}

function printTable(half: string, mode: string, rows: Map<string, Row>): void {
  const mean = (a: number[]): string => (a.length ? (a.reduce((x, y) => x + y, 0) / a.length).toFixed(1) : "-");
  const max = (a: number[]): string => (a.length ? Math.max(...a).toFixed(0) : "-");
  console.log(`\nphotoreal, half ${half}, crops: ${mode}`);
  console.log("category".padEnd(14) + "scenes  QR  zxing engine  base crops  qr+ union wrong  ms/QR-crop (max)  ms/other-crop (max)");
  const order = [...rows.keys()].filter((k) => k !== "all").sort().concat("all");
  for (const k of order) {
    const r = rows.get(k);
    if (!r) continue;
    console.log(k.padEnd(14) + [r.scenes, r.qr, r.zxing, r.engine, r.base, r.crops, r.gain, r.base + r.gain, r.wrong]
      .map((n, i) => String(n).padStart(i === 0 ? 6 : i < 4 ? 5 + (i > 1 ? 2 : 0) : 6)).join("")
      + `${mean(r.msQr).padStart(10)} (${max(r.msQr)})`.padEnd(18) + `${mean(r.msNone).padStart(10)} (${max(r.msNone)})`);
  }
}

await main();
