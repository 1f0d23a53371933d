/**
 * The inverse-mapping renderer: every pixel corner of a surface's image region is mapped once through the
 * full warp into surface coordinates; a pixel whose four corners fall in the same cell (one module, or plain
 * paper) is sampled once at its centre, any other pixel is supersampled ss x ss with its sub-sample positions
 * interpolated bilinearly between the corners (the warp is smooth within a pixel), so module edges come out
 * anti-aliased at the cost of about one warp evaluation per pixel. Ground-truth corners and boxes come from
 * the same mapping's forward direction.
 */
import type { Img } from "./canvas.js";
import type { Surface } from "./surfaces.js";
import { OUTSIDE } from "./surfaces.js";
import { PlanarMapping, mappedBounds, type Mapping, type Pt } from "./warp.js";

export interface PixelRect { x0: number; y0: number; x1: number; y1: number }

/** The integer pixel rectangle (clamped to the image) covering a surface rectangle's image, plus a margin. */
export function surfaceRect(img: { width: number; height: number }, m: Mapping, u0: number, v0: number, u1: number, v1: number, curved = false, margin = 2): PixelRect | undefined {
  const b = mappedBounds(m, u0, v0, u1, v1, curved ? 48 : 8, curved);
  if (!Number.isFinite(b.x0)) return undefined;
  const r = {
    x0: Math.max(0, Math.floor(b.x0) - margin), y0: Math.max(0, Math.floor(b.y0) - margin),
    x1: Math.min(img.width, Math.ceil(b.x1) + margin), y1: Math.min(img.height, Math.ceil(b.y1) + margin),
  };
  return r.x1 > r.x0 && r.y1 > r.y0 ? r : undefined;
}

/**
 * Draw `surf` through `map` into `img` over `rect`: colour * shade + specular, composited by coverage.
 * Returns the number of pixels touched.
 */
export function renderSurface(img: Img, surf: Surface, map: Mapping, rect: PixelRect): number {
  // One copy of the loop per (surface class, mapping class): V8 keeps each copy's calls to cell(), sample()
  // and inverse() monomorphic (a single shared loop went megamorphic and ran 3x slower).
  const key = `${surf.constructor.name}/${map instanceof PlanarMapping ? "planar" : map.constructor.name}`;
  let r = RENDERERS.get(key);
  if (!r) { r = makeRenderer(); RENDERERS.set(key, r); }
  return r(img, surf, map, rect);
}

type Renderer = (img: Img, surf: Surface, map: Mapping, rect: PixelRect) => number;
const RENDERERS = new Map<string, Renderer>();

const makeRenderer = (): Renderer => function render(img: Img, surf: Surface, map: Mapping, rect: PixelRect): number {
  const { x0, y0, x1, y1 } = rect;
  const n = x1 - x0 + 1;
  // Two rows of pixel-corner data (top row at offset `t`, bottom at `b`; swapped per row).
  const U = new Float64Array(2 * n), V = new Float64Array(2 * n), S = new Float64Array(2 * n), P = new Float64Array(2 * n);
  const C = new Int32Array(2 * n), OK = new Uint8Array(2 * n);
  const o = new Float64Array(4);
  const planar = map instanceof PlanarMapping ? map.inv : undefined;
  const fill = (off: number, y: number): void => {
    if (planar) { // the common case, inlined: a homography
      const [a, b, c, d, e, f, g, h, k] = planar;
      for (let i = 0; i < n; i++) {
        const x = x0 + i, w = g * x + h * y + k, j = off + i;
        if (w <= 0) { OK[j] = 0; C[j] = OUTSIDE; continue; }
        const u = (a * x + b * y + c) / w, v = (d * x + e * y + f) / w;
        U[j] = u; V[j] = v; S[j] = 1; P[j] = 0; OK[j] = 1;
        C[j] = surf.cell(u, v);
      }
      return;
    }
    for (let i = 0; i < n; i++) {
      const j = off + i;
      if (map.inverse(x0 + i, y, o)) {
        U[j] = o[0]!; V[j] = o[1]!; S[j] = o[2]!; P[j] = o[3]!; OK[j] = 1;
        C[j] = surf.cell(o[0]!, o[1]!);
      } else {
        OK[j] = 0; C[j] = OUTSIDE;
      }
    }
  };
  let t = 0, b = n;
  fill(t, y0);
  const smp = new Float32Array(4);
  const W = img.width, data = img.data, ss = surf.ss, fine = surf.fine, cnt = ss * ss;
  let touched = 0;
  for (let y = y0; y < y1; y++) {
    fill(b, y + 1);
    for (let i = 0; i < n - 1; i++) {
      const j0 = t + i, j1 = j0 + 1, k0 = b + i, k1 = k0 + 1;
      const c00 = C[j0]!, c10 = C[j1]!, c01 = C[k0]!, c11 = C[k1]!;
      const okAll = OK[j0]! & OK[j1]! & OK[k0]! & OK[k1]!;
      if (okAll && c00 === c10 && c00 === c01 && c00 === c11) {
        if (c00 === OUTSIDE) continue;
        if (!fine) { // all four corners in one cell: one sample at the centre
          surf.sample((U[j0]! + U[j1]! + U[k0]! + U[k1]!) * 0.25, (V[j0]! + V[j1]! + V[k0]! + V[k1]!) * 0.25, smp);
          const a = smp[3]!;
          if (a <= 0) continue;
          const q = (y * W + x0 + i) * 3;
          let r = smp[0]!, g = smp[1]!, bl = smp[2]!;
          if (!planar) {
            const sh = (S[j0]! + S[j1]! + S[k0]! + S[k1]!) * 0.25, sp = (P[j0]! + P[j1]! + P[k0]! + P[k1]!) * 0.25;
            r = r * sh + sp; g = g * sh + sp; bl = bl * sh + sp;
          }
          if (a >= 1) { data[q] = r; data[q + 1] = g; data[q + 2] = bl; }
          else {
            const na = 1 - a;
            data[q] = data[q]! * na + r * a; data[q + 1] = data[q + 1]! * na + g * a; data[q + 2] = data[q + 2]! * na + bl * a;
          }
          touched++;
          continue;
        }
      }
      if (!(OK[j0]! | OK[j1]! | OK[k0]! | OK[k1]!)) continue;
      const u00 = U[j0]!, u10 = U[j1]!, u01 = U[k0]!, u11 = U[k1]!;
      const v00 = V[j0]!, v10 = V[j1]!, v01 = V[k0]!, v11 = V[k1]!;
      const s00 = S[j0]!, s10 = S[j1]!, s01 = S[k0]!, s11 = S[k1]!;
      const p00 = P[j0]!, p10 = P[j1]!, p01 = P[k0]!, p11 = P[k1]!;
      let r = 0, g = 0, bl = 0, a = 0;
      for (let sy = 0; sy < ss; sy++) {
        const ty = (sy + 0.5) / ss;
        for (let sx = 0; sx < ss; sx++) {
          const tx = (sx + 0.5) / ss;
          let u: number, v: number, sh: number, sp: number;
          if (okAll) {
            const w00 = (1 - tx) * (1 - ty), w10 = tx * (1 - ty), w01 = (1 - tx) * ty, w11 = tx * ty;
            u = u00 * w00 + u10 * w10 + u01 * w01 + u11 * w11;
            v = v00 * w00 + v10 * w10 + v01 * w01 + v11 * w11;
            sh = s00 * w00 + s10 * w10 + s01 * w01 + s11 * w11;
            sp = p00 * w00 + p10 * w10 + p01 * w01 + p11 * w11;
          } else {
            if (!map.inverse(x0 + i + tx, y + ty, o)) continue; // silhouette of a curved surface
            u = o[0]!; v = o[1]!; sh = o[2]!; sp = o[3]!;
          }
          surf.sample(u, v, smp);
          const sa = smp[3]!;
          if (sa <= 0) continue;
          r += (smp[0]! * sh + sp) * sa; g += (smp[1]! * sh + sp) * sa; bl += (smp[2]! * sh + sp) * sa; a += sa;
        }
      }
      if (a <= 0) continue;
      r /= cnt; g /= cnt; bl /= cnt; a /= cnt;
      const q = (y * W + x0 + i) * 3, na = 1 - (a > 1 ? 1 : a);
      data[q] = data[q]! * na + r; data[q + 1] = data[q + 1]! * na + g; data[q + 2] = data[q + 2]! * na + bl;
      touched++;
    }
    const tmp = t; t = b; b = tmp;
  }
  return touched;
};

export interface Truth {
  corners: [number, number][];
  box: { left: number; top: number; width: number; height: number };
}

/** Corners (top-left, top-right, bottom-right, bottom-left of the symbol) and the clamped box of its image. */
export function symbolTruth(map: Mapping, sx: number, sy: number, w: number, h: number, width: number, height: number): Truth {
  const cs: Pt[] = [map.forward(sx, sy), map.forward(sx + w, sy), map.forward(sx + w, sy + h), map.forward(sx, sy + h)];
  const b = mappedBounds(map, sx, sy, sx + w, sy + h, 64);
  const left = Math.max(0, Math.min(width, Math.round(b.x0))), top = Math.max(0, Math.min(height, Math.round(b.y0)));
  const right = Math.max(0, Math.min(width, Math.round(b.x1))), bottom = Math.max(0, Math.min(height, Math.round(b.y1)));
  return {
    corners: cs.map((p) => [Math.round(p.x * 100) / 100, Math.round(p.y * 100) / 100]),
    box: { left, top, width: right - left, height: bottom - top },
  };
}
