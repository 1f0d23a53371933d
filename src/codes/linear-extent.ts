/**
 * zxing reports a 1D barcode as a thin band around the scan lines that read it. To box the whole symbol we
 * follow the bars perpendicular to the reading direction: sample the binarised profile across the bars on the
 * centre line, then step up and down while each new profile still agrees with it.
 */
import type { Corner } from "./found.js";
import type { GrayImage } from "./zxing.js";

const AGREEMENT = 0.85; // fraction of samples that must keep the same bar/space colour
const MIN_CONTRAST = 24; // a row with less luminance range than this is not bars any more

/** Returns the corners (TL, TR, BR, BL) of the band extended over the bars' full height. */
export function extendLinear(img: GrayImage, corners: readonly Corner[]): Corner[] {
  if (corners.length !== 4) return corners.map((c) => [c[0], c[1]]);
  const [tl, tr, br, bl] = corners as [Corner, Corner, Corner, Corner];
  // Centre line from the middle of the left edge to the middle of the right edge (reading direction).
  const a: Corner = [(tl[0] + bl[0]) / 2, (tl[1] + bl[1]) / 2];
  const b: Corner = [(tr[0] + br[0]) / 2, (tr[1] + br[1]) / 2];
  const len = Math.hypot(b[0] - a[0], b[1] - a[1]);
  if (len < 8) return corners.map((c) => [c[0], c[1]]);
  const ux = (b[0] - a[0]) / len, uy = (b[1] - a[1]) / len; // along the code
  const nx = -uy, ny = ux; // across the bars ("down" for an upright code)
  const n = Math.min(1024, Math.max(32, Math.round(len)));
  const sample = (off: number, out: Uint8Array): number => {
    let lo = 255, hi = 0;
    for (let i = 0; i < n; i++) {
      const t = (i + 0.5) / n;
      const x = Math.round(a[0] + (b[0] - a[0]) * t + nx * off);
      const y = Math.round(a[1] + (b[1] - a[1]) * t + ny * off);
      const v = x >= 0 && y >= 0 && x < img.width && y < img.height ? img.data[y * img.width + x]! : 255;
      out[i] = v;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    return hi - lo;
  };
  const ref = new Uint8Array(n);
  const contrast = sample(0, ref);
  if (contrast < MIN_CONTRAST) return corners.map((c) => [c[0], c[1]]);
  let lo = 255, hi = 0;
  for (const v of ref) { if (v < lo) lo = v; if (v > hi) hi = v; }
  const thr = (lo + hi) / 2;
  const refBits = ref.map((v) => (v < thr ? 1 : 0));
  const row = new Uint8Array(n);
  const maxSteps = Math.round(2 * len); // bars are never much taller than twice the code length
  const walk = (dir: 1 | -1): number => {
    let last = 0;
    for (let s = 1; s <= maxSteps; s++) {
      if (sample(dir * s, row) < MIN_CONTRAST) break;
      let rlo = 255, rhi = 0;
      for (const v of row) { if (v < rlo) rlo = v; if (v > rhi) rhi = v; }
      const rthr = (rlo + rhi) / 2;
      let agree = 0;
      for (let i = 0; i < n; i++) if ((row[i]! < rthr ? 1 : 0) === refBits[i]) agree++;
      if (agree < AGREEMENT * n) break;
      last = s;
    }
    return last;
  };
  // Start from the band zxing gave us (its half-height) and never return a box smaller than it.
  const bandHalf = Math.max(Math.hypot(bl[0] - tl[0], bl[1] - tl[1]), Math.hypot(br[0] - tr[0], br[1] - tr[1])) / 2;
  const up = Math.max(walk(-1), bandHalf), down = Math.max(walk(1), bandHalf);
  return [
    [a[0] - nx * up, a[1] - ny * up],
    [b[0] - nx * up, b[1] - ny * up],
    [b[0] + nx * down, b[1] + ny * down],
    [a[0] + nx * down, a[1] + ny * down],
  ];
}
