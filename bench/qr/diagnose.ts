/** Dev aid: per qr-stress image of one half where readQrCodes fails, what each stage found.
 *   node dist/bench/qr/diagnose.js [--half tune] [--category C] [--save DIR] */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import sharp from "sharp";
import { loadZXing, readGray } from "../../src/codes/zxing.js";
import { findFinderCandidates, findTriples, fitTriple, refineFit } from "../../src/codes/qr/locate.js";
import { readQrCodes, rectifyQr, VARIANTS } from "../../src/codes/qr/read.js";
import { halfOf } from "../../test/sets/split.js";
import { STRESS_CATEGORIES, stressScene, type StressScene } from "./stress-set.js";
import { mapToImage, type GridMap } from "../../src/codes/qr/sampler.js";

const arg = (n: string): string | undefined => { const i = process.argv.indexOf(n); return i >= 0 ? process.argv[i + 1] : undefined; };
const half = arg("--half") ?? "tune", only = arg("--category"), save = arg("--save");
const mod = await loadZXing();
if (save) mkdirSync(save, { recursive: true });
for (const c of STRESS_CATEGORIES) {
  if (only && c !== only) continue;
  for (let i = 0; i < 24; i++) {
    if (halfOf("qr-stress", `${c}-${i}`) !== half) continue;
    const sc = stressScene(c, i);
    const ours = readQrCodes(mod, sc.image, {});
    if (ours.some((o) => o.text === sc.text)) continue;
    const zx = readGray(mod, sc.image).length > 0;
    const finders = findFinderCandidates(sc.image).filter((f) => f.count >= 2);
    const triples = findTriples(sc.image);
    console.log(`${sc.id} (true dim ${sc.dim}): zxing ${zx ? "ok" : "--"}; finders(n>=2) ${finders.length} [${finders.slice(0, 5).map((f) => `${f.x.toFixed(0)},${f.y.toFixed(0)} m${f.module.toFixed(1)} n${f.count}${f.dark ? "" : " L"}`).join("; ")}]`);
    triples.slice(0, 3).forEach((t, g) => {
      const fits = fitTriple(sc.image, t, g);
      const desc = fits.map((f) => {
        const loc = refineFit(sc.image, f);
        let ok = "";
        const err = loc ? gridError(loc.grid, sc) : [NaN, NaN];
        if (loc) for (let v = 0; v < VARIANTS.length; v++) { const s = rectifyQr(sc.image, loc, v); if (s && readGray(mod, s, { formats: "QRCode", isPure: true }).length) ok += v; }
        return `v${f.fit.version} c${f.fit.score.toFixed(2)} f${loc ? loc.score.toFixed(2) : "-"} err ${err[0]!.toFixed(2)}/${err[1]!.toFixed(2)} read[${ok}]`;
      });
      console.log(`   triple ${g} dim ${t.dim.toFixed(1)} score ${t.score.toFixed(1)}: ${desc.join(", ") || "no fit"}`);
    });
    if (save) {
      await sharp(Buffer.from(sc.image.data), { raw: { width: sc.image.width, height: sc.image.height, channels: 1 } }).png().toFile(join(save, `${sc.id}.png`));
      const t = triples[0], fits = t ? fitTriple(sc.image, t, 0) : [];
      const loc = fits[0] && refineFit(sc.image, fits[0]);
      const sym = loc && rectifyQr(sc.image, loc, 0);
      if (sym) await sharp(Buffer.from(sym.data), { raw: { width: sym.width, height: sym.height, channels: 1 } }).png().toFile(join(save, `${sc.id}-rect.png`));
    }
  }
}

/** Mean and max distance (modules) between our module centres and the true ones. */
function gridError(grid: GridMap, sc: StressScene): [number, number] {
  if (grid.dim !== sc.dim) return [NaN, NaN];
  const p: [number, number] = [0, 0];
  let sum = 0, max = 0, n = 0;
  for (let r = 0; r < grid.dim; r++) for (let c = 0; c < grid.dim; c++) {
    mapToImage(grid, c + 0.5, r + 0.5, p);
    const uv = sc.inverse(p[0], p[1]);
    if (!uv) { max = Infinity; continue; }
    const e = Math.hypot(uv[0] - c - 0.5, uv[1] - r - 0.5);
    sum += e; n++; if (e > max) max = e;
  }
  return [sum / n, max];
}
