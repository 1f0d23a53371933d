/**
 * De-rotation of a view whose symbol sits at an angle zxing does not handle.
 *
 * zxing's 1D readers scan rows (and, with tryRotate, columns): a barcode turned 20–70° is crossed by no row that
 * spans all its bars. Its PDF417 detector gives up beyond ~10° and its DataMatrix detector on some tilts.
 * Every code is a grid, though: its edge gradients point along two perpendicular directions (one for 1D). The
 * 4-fold circular mean of gradient directions (angles ×4, weighted by gradient magnitude) is that grid's angle
 * modulo 90°; turning the view by minus that angle lays the symbol on the pixel axes, and zxing's tryRotate
 * covers the remaining 90° turns.
 */
import type { ViewRotation } from "./found.js";
import { kernels } from "./kernels.js";
import type { GrayImage } from "./zxing.js";

export interface GridAngle {
  /** Angle of the dominant edge grid, degrees in (−45, 45]: 0 = axis-aligned. */
  deg: number;
  /** |mean of e^{4iφ}| over strong edges, 0..1: near 1 for one clean symbol, near 0 for isotropic texture. */
  strength: number;
  /** Number of strong-edge pixels that voted. */
  votes: number;
  /** |mean of e^{2iφ}|, 0..1: one edge direction (1D bars: ≥ 0.3, median 0.85 in the suite) vs two
   * perpendicular ones (QR, Data Matrix, Aztec: ≤ 0.3, median 0.03). */
  coherence: number;
  /** Long axis of the strong-edge pixels' cloud (second moments), degrees in (−90, 90], taken on the side
   * nearest the mean gradient direction: for bars, the direction a scan line must run to cross them all. It
   * differs from `deg` when perspective shears the symbol (bars upright, rows of the label slanted). */
  axisDeg: number;
  /** Mean gradient direction, degrees mod 180 in (−90, 90]: for bars, the normal to them (the scan direction). */
  gradientDeg: number;
  /** Centroid of the strong-edge pixels (pixel-centre coordinates): the symbol's middle when it is the only one. */
  cx: number;
  cy: number;
}

const MIN_GRADIENT = 24; // |∇| (Sobel, per pixel of distance) below this is noise or smooth shading, not a module edge

/** Grid angle of `img` (every `step`-th pixel in both directions votes). */
export function gridAngle(img: GrayImage, step = 1): GridAngle {
  const { width: w, height: h } = img;
  type Sums = [number, number, number, number, number, number, number, number, number, number, number];
  const [c2sum, s2sum, c4, s4, total, votes, mx, my, mxx, myy, mxy] = [...kernels.gridSums(img.data, w, h, step, MIN_GRADIENT * MIN_GRADIENT)] as Sums;
  if (total === 0) return { deg: 0, strength: 0, votes: 0, coherence: 0, axisDeg: 0, gradientDeg: 0, cx: (w - 1) / 2, cy: (h - 1) / 2 };
  let deg = (Math.atan2(s4, c4) * 180) / Math.PI / 4;
  if (deg <= -45) deg += 90;
  // Second moments of the voting pixels' positions: the cloud's long axis.
  const ax = mx / votes, ay = my / votes;
  const major = (Math.atan2(2 * (mxy / votes - ax * ay), mxx / votes - ax * ax - (myy / votes - ay * ay)) * 180) / Math.PI / 2;
  const gradient = (Math.atan2(s2sum, c2sum) * 180) / Math.PI / 2; // mean gradient direction, mod 180
  return { deg, strength: Math.hypot(c4, s4) / total, votes, coherence: Math.hypot(c2sum, s2sum) / total, axisDeg: axisNear(major, gradient), gradientDeg: gradient, cx: ax, cy: ay };
}

/** Of the two axes of a cloud (`major` and major + 90°), the one nearest `gradient` (mod 180), in (−90, 90]. */
function axisNear(major: number, gradient: number): number {
  const off = (a: number) => Math.abs(((a - gradient + 270) % 180) - 90);
  let axis = off(major) <= off(major + 90) ? major : major + 90;
  if (axis > 90) axis -= 180;
  if (axis <= -90) axis += 180;
  return axis;
}

/**
 * Turn `img` by `deg` degrees (positive = clockwise on screen, y down) about its centre, bilinear, onto a canvas
 * large enough for the whole turned image; the corners are filled with the image's mean luminance (a constant
 * fill adds no edges). Returns the view and how its points map back (found.ts mapPoint).
 */
export function rotateGray(img: GrayImage, deg: number): { view: GrayImage; rotation: ViewRotation } {
  const { width: w, height: h, data: d } = img;
  const t = (deg * Math.PI) / 180, cos = Math.cos(t), sin = Math.sin(t);
  // (− 1e-9: cos 90° is 6e-17, not 0)
  const W = Math.ceil(Math.abs(w * cos) + Math.abs(h * sin) - 1e-9), H = Math.ceil(Math.abs(w * sin) + Math.abs(h * cos) - 1e-9);
  const cx = (w - 1) / 2, cy = (h - 1) / 2, ox = (W - 1) / 2, oy = (H - 1) / 2;
  // (the mean from the histogram: an exact integer sum, as a running sum would give)
  const hist = kernels.histogram(d, w, h, 0, 0);
  let sum = 0;
  for (let v = 1; v < 256; v++) sum += v * hist[v]!;
  const fill = d.length ? Math.round(sum / d.length) : 255;
  const out = kernels.rotateBilinear(d, w, h, W, H, cos, sin, cx, cy, ox, oy, fill);
  return { view: { data: out, width: W, height: H }, rotation: { cos, sin, cx, cy, ox, oy } };
}
