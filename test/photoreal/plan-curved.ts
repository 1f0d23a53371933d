/** Category curved: a label on a bottle or can (a cylinder with Lambert and glossy shading). */
import type { Rng } from "../synthetic/prng.js";
import { makeBackground, BG_STYLES } from "./background.js";
import type { Rgb } from "./canvas.js";
import { randomQrOptions, symbolDims } from "./codes.js";
import { makeLabel } from "./labels.js";
import { basePost, mildExtras, round2, DEG, type Ctx, type Staged } from "./plan-base.js";
import { chooseSymbol, codeOf, describeSymbol, drawLabel, moduleFor, modulePxOf, type Placed } from "./placement.js";
import { renderSurface, surfaceRect } from "./render.js";
import { FlatSurface } from "./surfaces.js";
import { CylinderMapping, mappedBounds, type Mapping, type Pt } from "./warp.js";

/** Rotate a label by a quarter turn before an inner mapping: label (u, v) -> inner (lh - v, u). */
class QuarterTurn implements Mapping {
  constructor(private readonly inner: Mapping, private readonly lh: number) {}
  inverse(x: number, y: number, out: Float64Array): boolean {
    if (!this.inner.inverse(x, y, out)) return false;
    const u = out[0]!, v = out[1]!;
    out[0] = v; out[1] = this.lh - u;
    return true;
  }
  forward(u: number, v: number): Pt { return this.inner.forward(this.lh - v, u); }
}

export async function curvedScene(ctx: Ctx, rng: Rng): Promise<Staged> {
  const { W, H, cam } = ctx, S = Math.min(W, H);
  const brng = rng.fork("background");
  const img = await makeBackground(brng, W, H, { style: brng.pick(BG_STYLES), objects: brng.int(0, 3), pages: brng.int(0, 1), camera: cam });
  const c = rng.fork("cylinder");
  const sym = chooseSymbol(ctx, c, { qr: randomQrOptions(c, [1, 12]) });
  const { w, h } = symbolDims(sym);
  const turned = c.chance(sym.linear ? 0.35 : 0.2); // bars along the axis (the code runs up the bottle)
  const around = turned ? h : w; // the symbol's extent around the circumference
  const arc = c.range(30, 120) * DEG;
  let mpx = moduleFor(sym, c.range(0.2, 0.5), S, 3, 14);
  const label = makeLabel(c, sym, { pxPerModule: mpx, margin: [0.1, 0.6] });
  const glossy = c.chance(0.6);
  const ldir: [number, number, number] = [c.range(-0.8, 0.8), c.range(-0.8, 0.3), -c.range(0.4, 1)];
  const ln = Math.hypot(...ldir);
  const shaded = { dir: ldir.map((x) => x / ln) as [number, number, number], ambient: c.range(0.3, 0.55), diffuse: c.range(0.45, 0.75), specular: glossy ? c.range(0.2, 0.8) : 0, shininess: c.range(15, 120) };
  const light = ctx.clean ? { dir: [0, 0, -1] as [number, number, number], ambient: 1, diffuse: 0, specular: 0, shininess: 1 } : shaded;
  const rollBase = c.chance(0.5) ? 0 : c.chance(0.6) ? 90 : c.range(0, 180);
  const roll = (rollBase + c.range(-15, 15)) * DEG, pitch = c.range(-25, 25) * DEG;
  const bodyCol: Rgb = c.pick([[40, 90, 50], [90, 50, 20], [190, 195, 200], [230, 230, 228], [200, 40, 40], [30, 60, 140], [160, 165, 170]] as Rgb[]);
  // Label coordinates -> cylinder coordinates (u' around, v' along the axis).
  const toCyl = (u: number, v: number): [number, number] => (turned ? [label.height - v, u] : [u, v]);
  const [ucs, vcs] = toCyl(label.sx + w / 2, label.sy + h / 2);
  let placed: Placed | undefined, cyl: CylinderMapping | undefined, R = 0;
  for (let attempt = 0; attempt < 60 && !placed; attempt++) {
    if (attempt > 0 && attempt % 15 === 0) mpx *= 0.85;
    R = (around * mpx) / arc; // px at depth f
    const px = c.range(0.3, 0.7) * W, py = c.range(0.3, 0.7) * H, Z0 = cam.f + R;
    const centre: [number, number, number] = [((px - cam.cx) * Z0) / cam.f, ((py - cam.cy) * Z0) / cam.f, Z0];
    const offset = c.range(-0.15, 0.15) * arc * R / mpx; // code not always facing the camera squarely
    cyl = new CylinderMapping(cam, R, centre, roll, pitch, mpx, ucs + offset, vcs, light);
    const map: Mapping = turned ? new QuarterTurn(cyl, label.height) : cyl;
    const q = sym.quiet, qy = sym.linear ? 1 : q;
    // All of the symbol must face the camera, and the symbol with its quiet zone lie in the frame.
    let ok = true;
    for (let i = 0; i <= 16 && ok; i++) for (let j = 0; j <= 16 && ok; j += 16) {
      const uu = label.sx + (w * i) / 16, vv = label.sy + (h * j) / 16, [a, b] = toCyl(uu, vv);
      const [a2, b2] = toCyl(label.sx + (w * j) / 16, label.sy + (h * i) / 16);
      if (!cyl.visible(a, b) || !cyl.visible(a2, b2)) ok = false;
    }
    if (!ok) continue;
    const qb = mappedBounds(map, label.sx - q, label.sy - qy, label.sx + w + q, label.sy + h + qy, 32);
    if (!(qb.x0 >= 3 && qb.y0 >= 3 && qb.x1 <= W - 3 && qb.y1 <= H - 3)) continue;
    placed = { label, map, code: codeOf(sym, map, label, W, H, false), bounds: mappedBounds(map, 0, 0, label.width, label.height, 24) };
  }
  if (!placed || !cyl) throw new Error("curved: could not place the code");
  // The bottle: its body over the whole visible half, tall enough to leave the frame or end in it.
  const half = (Math.PI * R) / mpx, bodyH = Math.max(label.width, label.height) * c.range(1.2, 4);
  const body = new FlatSurface(ucs - 2 * half, vcs - bodyH, ucs + 2 * half, vcs + bodyH, bodyCol);
  const rect = surfaceRect(img, cyl, ucs - half / 2, vcs - bodyH, ucs + half / 2, vcs + bodyH, true, 6);
  if (rect) renderSurface(img, body, cyl, rect);
  drawLabel(img, placed, true);
  Object.assign(ctx.cond, { arcDeg: Math.round(arc / DEG), turned, glossy, pitchDeg: Math.round(pitch / DEG), modulePx: round2(modulePxOf(placed)) });
  describeSymbol(ctx, sym);
  const post = basePost(rng.fork("post"));
  mildExtras(ctx, rng.fork("extra"), post, placed.code.box, "none");
  return { img, placed: [placed], post };
}
