/** Category folded: a label on paper with 1-3 folds through the code, or crumpled. */
import type { Rng } from "../synthetic/prng.js";
import { randomQrOptions, symbolDims } from "./codes.js";
import { ValueNoise } from "./noise.js";
import { mildExtras, round2, DEG, type Ctx, type Staged } from "./plan-base.js";
import { chooseSymbol } from "./placement.js";
import { standard } from "./plan-standard.js";
import { CrumpleMapping, FoldMapping, type Crease, type Fold } from "./warp.js";

export async function foldedScene(ctx: Ctx, rng: Rng): Promise<Staged> {
  const f = rng.fork("fold");
  const crumple = f.chance(0.4);
  let desc = "";
  const st = await standard(ctx, rng, {
    second: 0, label: { margin: [0.1, 0.5], decor: true },
    symbol: (r) => chooseSymbol(ctx, r, { qr: randomQrOptions(r, [1, 15]) }),
    pose: {
      tilt: [0, 30], roll: [-30, 30], region: [0.3, 0.3, 0.7, 0.7],
      mapper: (hm, L) => {
        const { w, h } = symbolDims(L.sym);
        if (crumple) {
          // 5-14 finite creases over the symbol and around it, plus a gentle swell.
          const size = Math.max(w, h), n = f.int(5, 14), creases: Crease[] = [];
          for (let i = 0; i < n; i++) {
            const a = f.range(0, Math.PI);
            creases.push({
              cx: L.sx + f.range(-0.2, 1.2) * w, cy: L.sy + f.range(-0.2, 1.2) * h, tx: Math.cos(a), ty: Math.sin(a),
              len: size * f.range(0.2, 0.7), slope: (f.chance(0.5) ? 1 : -1) * f.range(0.06, 0.25),
            });
          }
          const parallax = f.range(0.15, 0.5), pa = f.range(0, 2 * Math.PI), la = f.range(0, 2 * Math.PI);
          const shadeK = f.range(0.6, 1.6), swell = f.range(0, 0.04);
          desc = `crumple creases=${n} parallax=${round2(parallax)}`;
          return new CrumpleMapping(creases, new ValueNoise(f), size * f.range(0.3, 0.8), swell, parallax, Math.cos(pa), Math.sin(pa), ctx.clean ? 0 : shadeK, Math.cos(la), Math.sin(la), hm);
        }
        const n = f.int(1, 3), folds: Fold[] = [];
        for (let i = 0; i < n; i++) {
          const axis = f.chance(0.6) ? (f.chance(0.5) ? 0 : Math.PI / 2) + f.range(-0.17, 0.17) : f.range(0, Math.PI);
          const sign = f.chance(0.5) ? 1 : -1, nx = Math.cos(axis + Math.PI / 2) * sign, ny = Math.sin(axis + Math.PI / 2) * sign;
          let px = L.sx + f.range(0.25, 0.75) * w, py = L.sy + f.range(0.25, 0.75) * h;
          for (const g of folds) { // express the point in this fold's stage coordinates
            const d = (px - g.px) * g.nx + (py - g.py) * g.ny;
            if (d > 0) { const e = foldStage(g, d); px += (e - d) * g.nx; py += (e - d) * g.ny; }
          }
          const theta = f.range(15, 60) * DEG, width = f.range(0.3, 2.5), step = (f.chance(0.5) ? -1 : 0.7) * f.range(0.08, 0.35), crease = f.range(-0.3, 0.3);
          folds.push({ px, py, nx, ny, theta, width, step: ctx.clean ? 0 : step, crease: ctx.clean ? 0 : crease });
        }
        desc = folds.map((g) => `fold ${Math.round(g.theta / DEG)}deg`).join(", ");
        return new FoldMapping(folds, hm);
      },
    },
  });
  ctx.cond.warp = desc;
  mildExtras(ctx, rng.fork("extra"), st.post, st.placed[0]!.code.box, "none");
  return st;
}

function foldStage(f: Fold, d: number): number {
  const w = f.width, th = f.theta;
  if (d < w) return (w / th) * Math.sin((th * d) / w);
  return (w / th) * Math.sin(th) + (d - w) * Math.cos(th);
}
