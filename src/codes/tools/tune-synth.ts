/**
 * Synthetic tuning: photo-like scenes per degradation, plain zxing-wasm vs detectCodes, same process.
 *   node dist/src/codes/tools/tune-synth.js [perCategory=6] [--big] [--only-ours]
 * Scenes are cached in /tmp/barbucket-synth so that runs compare the same images.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import sharp from "sharp";
import { readBarcodes } from "zxing-wasm/reader";
import { detectCodes } from "../detect.js";
import { loadZXing } from "../zxing.js";
import { makeScene, type Degradation, type SceneSpec } from "./synth.js";

const CATS: Degradation[] = ["clean", "blur", "noise", "lowcontrast", "jpeg", "rotated", "glare"];
const KINDS = ["qrcode", "qrcode", "ean13", "code128", "datamatrix"] as const;

function specFor(cat: Degradation, i: number, big: boolean): SceneSpec {
  const seed = 1000 * (CATS.indexOf(cat) + 1) + i + (big ? 500 : 0);
  const n = 1 + (seed % 3);
  const codes: SceneSpec["codes"] = [];
  for (let k = 0; k < n; k++) {
    const kind = KINDS[(seed + k) % KINDS.length]!;
    const text = kind === "ean13" ? ["5901234123457", "4006381333931", "9780201379624"][(seed + k) % 3]! : kind === "code128" ? `CODE-${seed}-${k}` : `https://ex.am/p/${seed}/${k}?q=${"x".repeat(seed % 40)}`;
    const size = big ? 140 + ((seed * 37 + k * 53) % 220) : 160 + ((seed * 37 + k * 53) % 300);
    codes.push({ kind, text, size });
  }
  return big ? { width: 4000, height: 3000, codes, degradation: cat, seed } : { width: 1600, height: 1200, codes, degradation: cat, seed };
}

async function plain(bytes: Uint8Array): Promise<string[]> {
  const { data, info } = await sharp(bytes).rotate().ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  const res = await readBarcodes({ data: new Uint8ClampedArray(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height } as never);
  return res.map((r) => r.text);
}

function norm(t: string): string {
  return /^\d{12}$/.test(t) ? "0" + t : t;
}

async function main(): Promise<void> {
  const per = Number(process.argv.slice(2).find((a) => /^\d+$/.test(a)) ?? 6);
  const big = process.argv.includes("--big");
  const onlyOurs = process.argv.includes("--only-ours");
  const cats = process.argv.slice(2).filter((a) => (CATS as string[]).includes(a)) as Degradation[];
  const dir = "/tmp/barbucket-synth";
  mkdirSync(dir, { recursive: true });
  await loadZXing();
  let tp = 0, to = 0, tn = 0;
  const pts: number[] = [], ots: number[] = [];
  for (const cat of cats.length ? cats : CATS) {
    let p = 0, o = 0, n = 0, fp = 0;
    const pt: number[] = [], ot: number[] = [];
    for (let i = 0; i < per; i++) {
      const spec = specFor(cat, i, big);
      const file = `${dir}/${big ? "big" : "mid"}-${cat}-${i}.jpg`;
      if (!existsSync(file)) {
        const s = await makeScene(spec);
        writeFileSync(file, s.bytes);
        writeFileSync(file + ".json", JSON.stringify(s.texts));
      }
      const bytes = new Uint8Array(readFileSync(file));
      const texts = JSON.parse(readFileSync(file + ".json", "utf8")) as string[];
      n += texts.length;
      if (!onlyOurs) {
        const t0 = performance.now();
        const pr = (await plain(bytes)).map(norm);
        pt.push(performance.now() - t0);
        p += texts.filter((t) => pr.includes(t)).length;
      }
      const t1 = performance.now();
      const or = (await detectCodes(bytes, { maxCodes: 5 })).map((c) => norm(c.Content));
      ot.push(performance.now() - t1);
      o += texts.filter((t) => or.includes(t)).length;
      fp += or.filter((t) => !texts.includes(t)).length;
    }
    tp += p; to += o; tn += n; pts.push(...pt); ots.push(...ot);
    const med = (xs: number[]) => (xs.length ? [...xs].sort((a, b) => a - b)[xs.length >> 1]!.toFixed(0) : "-");
    console.log(`${cat.padEnd(12)} codes ${String(n).padStart(3)} plain ${String(p).padStart(3)} ours ${String(o).padStart(3)} fp ${fp}  median ms plain ${med(pt)} ours ${med(ot)}  max ours ${Math.max(...ot).toFixed(0)}`);
  }
  const med = (xs: number[]) => (xs.length ? [...xs].sort((a, b) => a - b)[xs.length >> 1]!.toFixed(0) : "-");
  console.log(`TOTAL codes ${tn} plain ${tp} ours ${to}  median ms plain ${med(pts)} ours ${med(ots)}`);
}

await main();
