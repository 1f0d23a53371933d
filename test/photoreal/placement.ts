/**
 * Placing codes: choosing a symbol, sizing its modules for the frame, posing its label on a plane so that
 * the symbol and its quiet zone lie in the frame and clear of other labels, drawing it, and the ground truth
 * (box, corners) of a placed code from the same mapping that draws it.
 */
import type { Rng } from "../synthetic/prng.js";
import { hyp, type Img } from "./canvas.js";
import { makePhotoSymbol, pickSymbology, symbolDims, type PhotoSymbol, type QrOptions, type Symbology } from "./codes.js";
import { DEG, type Box, type Ctx } from "./plan-base.js";
import { renderSurface, surfaceRect, symbolTruth } from "./render.js";
import type { PhotoCode } from "./scene.js";
import { LabelSurface, type LabelSpec } from "./surfaces.js";
import { LensMapping, PlanarMapping, mappedBounds, planeHomography, type Mapping, type Mat3 } from "./warp.js";

export interface Placed {
  label: LabelSpec;
  map: Mapping;
  code: PhotoCode;
  /** Image bounds of the whole label (for overlap tests). */
  bounds: { x0: number; y0: number; x1: number; y1: number };
}

export function codeOf(sym: PhotoSymbol, map: Mapping, label: LabelSpec, W: number, H: number, inverted: boolean): PhotoCode {
  const { w, h } = symbolDims(sym);
  const t = symbolTruth(map, label.sx, label.sy, w, h, W, H);
  return {
    text: sym.text, format: sym.symbology, box: t.box, corners: t.corners,
    ...(inverted ? { inverted: true } : {}), ...(sym.mirrored ? { mirrored: true } : {}),
  };
}

export function chooseSymbol(ctx: Ctx, rng: Rng, o: { qrShare?: number; others?: readonly Symbology[]; qr?: QrOptions; mirrored?: boolean; main?: boolean } = {}): PhotoSymbol {
  const sym = (o.main !== false && ctx.symbology) || pickSymbology(rng, o.qrShare ?? 0.6, o.others);
  return makePhotoSymbol(sym, rng, { ...(o.qr && sym === "QRCode" ? { qr: o.qr } : {}), ...(o.mirrored ? { mirrored: true } : {}) });
}

/** Module size (px) for a code whose larger side spans `frac` of the frame's shorter side. */
export function moduleFor(sym: PhotoSymbol, frac: number, S: number, lo = 2.4, hi = 40): number {
  const { w, h } = symbolDims(sym);
  return Math.max(lo, Math.min(hi, (frac * S) / Math.max(w, h)));
}

/** A code's typical share of the frame in a phone photo (1D and PDF417 are aimed at more closely). */
export function typicalFrac(rng: Rng, sym: PhotoSymbol): number {
  return sym.linear || sym.symbology === "PDF417" ? rng.range(0.3, 0.75) : rng.range(0.14, 0.5);
}

export interface PoseRange {
  tilt: [number, number];
  /** In-plane rotation range (deg). */
  roll: [number, number];
  lensK?: number;
  /** Where the symbol's centre may go (fractions of the frame). */
  region?: [number, number, number, number];
  /** Build the mapping from the plane's homography (folds, crumples). */
  mapper?: (h: Mat3, label: LabelSpec) => Mapping;
  /** Only the symbol must lie in the frame (close-ups may cut the quiet zone). */
  symbolOnly?: boolean;
}

/** Pose a label on a plane so that its symbol and quiet zone lie inside the frame and clear of `avoid`. */
export function placePlanar(ctx: Ctx, rng: Rng, label: LabelSpec, modulePx: number, pr: PoseRange, avoid: Placed[], inverted = false): Placed | undefined {
  const { W, H, cam } = ctx, sym = label.sym, { w, h } = symbolDims(sym);
  const q = sym.quiet, qy = sym.linear ? 1 : q;
  const [rx0, ry0, rx1, ry1] = pr.region ?? [0.1, 0.1, 0.9, 0.9];
  let s = modulePx;
  for (let attempt = 0; attempt < 80; attempt++) {
    if (attempt > 0 && attempt % 16 === 0) s *= 0.85;
    const pose = {
      px: rng.range(rx0, rx1) * W, py: rng.range(ry0, ry1) * H, uc: label.sx + w / 2, vc: label.sy + h / 2, scale: s,
      roll: rng.range(pr.roll[0], pr.roll[1]) * DEG, tilt: rng.range(pr.tilt[0], pr.tilt[1]) * DEG, tiltAxis: rng.range(0, Math.PI),
    };
    if (ctx.upright) { pose.roll = 0; pose.tilt = 0; }
    const hm = planeHomography(cam, pose);
    let map: Mapping = pr.mapper ? pr.mapper(hm, label) : new PlanarMapping(hm);
    if (pr.lensK) map = new LensMapping(map, cam.cx, cam.cy, pr.lensK, hyp(W, H) / 2);
    const qq = pr.symbolOnly ? 0 : q, qqy = pr.symbolOnly ? 0 : qy;
    const qb = mappedBounds(map, label.sx - qq, label.sy - qqy, label.sx + w + qq, label.sy + h + qqy, 24);
    const m = 3;
    if (!(qb.x0 >= m && qb.y0 >= m && qb.x1 <= W - m && qb.y1 <= H - m)) continue;
    const lb = mappedBounds(map, 0, 0, label.width, label.height, 12);
    if (avoid.some((o) => !(lb.x1 + 6 < o.bounds.x0 || o.bounds.x1 + 6 < lb.x0 || lb.y1 + 6 < o.bounds.y0 || o.bounds.y1 + 6 < lb.y0))) continue;
    return { label, map, code: codeOf(sym, map, label, W, H, inverted), bounds: lb };
  }
  return undefined;
}

export function drawLabel(img: Img, p: Placed, curved = false): void {
  const rect = surfaceRect(img, p.map, 0, 0, p.label.width, p.label.height, curved);
  if (rect) renderSurface(img, new LabelSurface(p.label), p.map, rect);
}

export function unionBox(ps: Placed[]): Box {
  const b = ps.map((p) => p.code.box);
  const l = Math.min(...b.map((x) => x.left)), t = Math.min(...b.map((x) => x.top));
  const r = Math.max(...b.map((x) => x.left + x.width)), bt = Math.max(...b.map((x) => x.top + x.height));
  return { left: l, top: t, width: r - l, height: bt - t };
}

/** The main symbol's size in modules (and QR version / EC level) in the conditions. */
export function describeSymbol(ctx: Ctx, sym: PhotoSymbol): void {
  const { w, h } = symbolDims(sym);
  ctx.cond.symbol = `${w}x${h}`;
  if (sym.qrVersion) Object.assign(ctx.cond, { qrVersion: sym.qrVersion, ecLevel: sym.ecLevel ?? "" });
}

export function modulePxOf(p: Placed): number {
  const s = p.label.sym, { w, h } = symbolDims(s);
  const c = p.code.corners;
  const top = hyp(c[1]![0] - c[0]![0], c[1]![1] - c[0]![1]), left = hyp(c[3]![0] - c[0]![0], c[3]![1] - c[0]![1]);
  return (top / w + left / h) / 2;
}
