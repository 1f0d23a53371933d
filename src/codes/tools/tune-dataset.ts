/**
 * Tuning script (not shipped behaviour): runs plain zxing-wasm (default options, RGBA of the decoded image)
 * and our detector over the dataset in one process, and prints per-family recall and time.
 *   node dist/src/codes/tools/tune-dataset.js [family-filter] [--only-ours|--only-plain]
 */
import { readFileSync } from "node:fs";
import sharp from "sharp";
import { readBarcodes } from "zxing-wasm/reader";
import { loadZXing } from "../zxing.js";
import { detectCodes, type DetectDiagnostics } from "../detect.js";
import { datasetDir, isHit, loadSamples, type ReadLike } from "./dataset.js";

async function plain(bytes: Uint8Array): Promise<ReadLike[]> {
  const { data, info } = await sharp(bytes, { pages: 1 }).rotate().ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  const img = { data: new Uint8ClampedArray(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height };
  const res = await readBarcodes(img as never);
  return res.map((r) => ({ text: r.text, bytes: r.bytes }));
}

async function ours(bytes: Uint8Array): Promise<ReadLike[]> {
  const diag: DetectDiagnostics = { trace: [], decodeMs: 0, totalMs: 0 };
  const codes = await detectCodes(bytes, { maxCodes: 5 }, diag);
  return codes.map((c, i) => ({ text: c.Content, bytes: diag.bytes?.[i] }));
}

function pct(a: number, b: number): string {
  return b ? ((100 * a) / b).toFixed(1).padStart(5) : "   - ";
}
function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)]! : 0;
}

async function main(): Promise<void> {
  const dir = datasetDir();
  if (!dir) throw new Error("dataset not found");
  const filter = process.argv.slice(2).find((a) => !a.startsWith("--"));
  const runPlain = !process.argv.includes("--only-ours");
  const runOurs = !process.argv.includes("--only-plain");
  await loadZXing();
  const samples = loadSamples(dir).filter((s) => !filter || s.image.includes(filter));
  type Row = { n: number; p: number; o: number; pCodes: number; oCodes: number; pt: number[]; ot: number[] };
  const fams = new Map<string, Row>();
  const all = { pt: [] as number[], ot: [] as number[] };
  const diffs: string[] = [];
  for (const s of samples) {
    const bytes = new Uint8Array(readFileSync(s.path));
    const row = fams.get(s.family) ?? { n: 0, p: 0, o: 0, pCodes: 0, oCodes: 0, pt: [], ot: [] };
    fams.set(s.family, row);
    let pr: ReadLike[] = [], or: ReadLike[] = [];
    if (runPlain) {
      const t0 = performance.now();
      pr = await plain(bytes);
      row.pt.push(performance.now() - t0);
    }
    if (runOurs) {
      const t0 = performance.now();
      try { or = await ours(bytes); } catch (e) { diffs.push(`${s.image}: ERROR ${String(e)}`); }
      row.ot.push(performance.now() - t0);
    }
    row.pCodes += pr.length;
    row.oCodes += or.length;
    const ph = isHit(s, pr), oh = isHit(s, or);
    if (ph === undefined && oh === undefined) continue;
    row.n++;
    if (ph) row.p++;
    if (oh) row.o++;
    if (runPlain && runOurs && ph !== oh) diffs.push(`${s.image}: plain=${ph} ours=${oh} ours=${JSON.stringify(or.map((r) => r.text))}`);
    else if (!runPlain && !oh) diffs.push(`${s.image}: ours miss ${JSON.stringify(or.map((r) => r.text.slice(0, 40)))}`);
  }
  console.log("family                 n  plain%  ours%  plainCodes oursCodes  plainMed  oursMed (ms)");
  let tn = 0, tp = 0, to = 0;
  for (const [f, r] of [...fams].sort()) {
    tn += r.n; tp += r.p; to += r.o;
    all.pt.push(...r.pt); all.ot.push(...r.ot);
    console.log(`${f.padEnd(20)} ${String(r.n).padStart(4)}  ${pct(r.p, r.n)}  ${pct(r.o, r.n)}  ${String(r.pCodes).padStart(9)} ${String(r.oCodes).padStart(9)}  ${median(r.pt).toFixed(1).padStart(8)} ${median(r.ot).toFixed(1).padStart(8)}`);
  }
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  console.log(`TOTAL ${tn}: plain ${pct(tp, tn)}% ours ${pct(to, tn)}%  median ${median(all.pt).toFixed(1)} / ${median(all.ot).toFixed(1)} ms  total ${sum(all.pt).toFixed(0)} / ${sum(all.ot).toFixed(0)} ms`);
  for (const d of diffs) console.log(d);
}

await main();
