/**
 * Evaluation of the QR locator/rectifier against zxing alone, per set and category, on one half of every set:
 *   node dist/bench/qr/eval-sets.js [--half tune|validation] [--set NAME] [--photoreal-count N] [--verbose]
 * Columns: expected codes; read by plain zxing-wasm (default options, sharp RGBA); by readGray (default options,
 * our luminance); by readQrCodes alone; by the union of readGray and readQrCodes; wrong texts (any result not
 * expected, negatives included); and the mean / max ms of readQrCodes per image.
 */
import { decodeImage } from "../../src/codes/decode-image.js";
import sharp from "sharp";
import { loadZXing, readGray, type GrayImage } from "../../src/codes/zxing.js";
import { readQrCodes } from "../../src/codes/qr/index.js";
import { readPlain } from "../../test/synthetic/zxing.js";
import { photoreal, qrStress, synthetic, zxingCppDev, type EvalImage } from "./sets.js";

interface Row { images: number; expected: number; plain: number; gray: number; ours: number; union: number; wrong: number; ms: number; maxMs: number }
const emptyRow = (): Row => ({ images: 0, expected: 0, plain: 0, gray: 0, ours: 0, union: 0, wrong: 0, ms: 0, maxMs: 0 });

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  const half = (arg("--half") ?? "validation") as "tune" | "validation";
  const only = arg("--set");
  const verbose = process.argv.includes("--verbose");
  const mod = await loadZXing();
  let images: EvalImage[] = [...zxingCppDev(), ...(only && only !== "photoreal" ? [] : await photoreal(arg("--photoreal-count") ? Number(arg("--photoreal-count")) : undefined)), ...(only && only !== "qr-stress" ? [] : await qrStress()), ...(only && only !== "synthetic" ? [] : await synthetic())];
  images = images.filter((im) => im.half === half && (!only || im.set === only));
  const rows = new Map<string, Row>();
  const add = (key: string, f: (r: Row) => void): void => { if (!rows.has(key)) rows.set(key, emptyRow()); f(rows.get(key)!); };
  for (const im of images) {
    let gray: GrayImage, plain: string[];
    if (im.lazy) {
      const sc = im.lazy();
      gray = sc.image;
      im.texts = [sc.text];
      // Plain zxing-wasm sees the same pixels as RGBA.
      plain = (await readPlain(await sharp(Buffer.from(gray.data), { raw: { width: gray.width, height: gray.height, channels: 1 } }).png().toBuffer())).map((c) => c.text);
    } else {
      const bytes = await im.load();
      plain = (await readPlain(bytes)).map((c) => c.text);
      gray = await decodeImage(bytes);
    }
    const zx = readGray(mod, gray).map((c) => c.text);
    const t0 = performance.now();
    const ours = readQrCodes(mod, gray).map((c) => c.text);
    const ms = performance.now() - t0;
    // The manifest stores line ends as "\n" and drops trailing blanks; zxing reports the symbol's own.
    const norm = (t: string): string => t.replace(/\r\n/g, "\n").trimEnd();
    const expected = im.texts.map(norm);
    const hit = (list: string[], t: string): boolean => list.some((x) => norm(x) === norm(t));
    const wrong = ours.filter((t) => !expected.includes(norm(t))).length;
    const counts = {
      plain: im.texts.filter((t) => hit(plain, t)).length,
      gray: im.texts.filter((t) => hit(zx, t)).length,
      ours: im.texts.filter((t) => hit(ours, t)).length,
      union: im.texts.filter((t) => hit(zx, t) || hit(ours, t)).length,
    };
    for (const key of [`${im.set} / ${im.category}`, `${im.set} / all`]) {
      add(key, (r) => {
        r.images++; r.expected += im.texts.length; r.plain += counts.plain; r.gray += counts.gray; r.ours += counts.ours;
        r.union += counts.union; r.wrong += wrong; r.ms += ms; r.maxMs = Math.max(r.maxMs, ms);
      });
    }
    if (verbose || wrong) {
      console.log(`${im.set}/${im.id}: expected ${im.texts.length} plain ${counts.plain} gray ${counts.gray} ours ${counts.ours} ${wrong ? `WRONG ${JSON.stringify(ours)}` : ""} ${ms.toFixed(1)} ms`);
    }
  }
  console.log(`\nhalf: ${half}`);
  console.log("set / category".padEnd(34) + "imgs  exp  plain  gray  ours  union  wrong   ms/img  max ms");
  for (const [key, r] of [...rows].sort(([a], [b]) => a.localeCompare(b))) {
    console.log(key.padEnd(34) + [r.images, r.expected, r.plain, r.gray, r.ours, r.union, r.wrong].map((n, i) => String(n).padStart(i === 0 ? 4 : i < 2 ? 5 : 6)).join("")
      + (r.ms / r.images).toFixed(1).padStart(9) + r.maxMs.toFixed(0).padStart(8));
  }
}

await main();
