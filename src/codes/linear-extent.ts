/**
 * zxing reports a 1D barcode as a thin band around the scan lines that read it. To box the whole symbol we
 * follow the bars: sample the binarised profile across the bars on the band's centre line, then step along
 * the bar direction, up and down, while each new row still matches the previous one (±1 sample of drift, so
 * slightly tilted codes and perspective are followed).
 */
import type { Corner } from "./found.js";
import type { GrayImage } from "./zxing.js";

const AGREEMENT = 0.85; // fraction of samples that must keep the same bar/space colour
const MIN_CONTRAST = 24; // a row with less luminance range than this is not bars any more
const MIN_EDGE_SHARE = 0.35; // …nor is a row with fewer than this share of the centre line's bar edges

/**
 * Returns the corners (TL, TR, BR, BL) of the band extended over the bars' full height. `ends` > 0 follows only
 * the first and last `ends` share of the reading line: a PDF417's start and stop patterns run the symbol's
 * full height while its rows in between differ (zxing sometimes boxes only the rows it needed).
 */
export function extendLinear(img: GrayImage, corners: readonly Corner[], ends = 0): Corner[] {
  const copy = corners.map((c): Corner => [c[0], c[1]]);
  if (corners.length !== 4) return copy;
  const [tl, tr, br, bl] = corners as [Corner, Corner, Corner, Corner];
  // Centre line from the middle of the left edge to the middle of the right edge (reading direction).
  const a: Corner = [(tl[0] + bl[0]) / 2, (tl[1] + bl[1]) / 2];
  const b: Corner = [(tr[0] + br[0]) / 2, (tr[1] + br[1]) / 2];
  const len = Math.hypot(b[0] - a[0], b[1] - a[1]);
  if (len < 8) return copy;
  // Bar direction: along the band's left/right edges when the band spans several scan lines (zxing scans
  // rows, so for a tilted code the reading line is not perpendicular to the bars); else the normal.
  let dx = bl[0] - tl[0] + (br[0] - tr[0]), dy = bl[1] - tl[1] + (br[1] - tr[1]);
  const nx = -(b[1] - a[1]) / len, ny = (b[0] - a[0]) / len;
  const dl = Math.hypot(dx, dy);
  if (dl < 6) { dx = nx; dy = ny; } else { dx /= dl; dy /= dl; }
  if (dx * nx + dy * ny < 0) { dx = -dx; dy = -dy; }
  const step = 1 / Math.max(0.5, dx * nx + dy * ny); // keep the perpendicular advance at ~1 px per step

  const n = Math.min(2048, Math.max(64, Math.round(2 * len))); // 2 samples a pixel: a 1.5 px bar survives the 3-tap median
  const line: SampleLine = { img, ax: a[0], ay: a[1], bx: b[0], by: b[1], dx, dy, n, ends };
  const centre = new Uint8Array(n);
  if (!sampleRow(line, 0, centre)) return copy;
  // A row past the bars' ends can still agree with the one before it — blank paper with specks, a line of
  // text — so each row must also keep most of the bars' edges (else boxes run to the image's edge or over
  // printed text).
  const minTransitions = MIN_EDGE_SHARE * transitions(centre);
  const maxSteps = Math.round(2 * len); // bars are never much taller than twice the code length
  const walk = (dir: 1 | -1): number => {
    let prev = centre.slice(), row = new Uint8Array(n), last = 0;
    for (let s = 1; s <= maxSteps; s++) {
      if (!sampleRow(line, dir * s * step, row) || transitions(row) < minTransitions || !agrees(prev, row)) break;
      last = s * step;
      const was = prev;
      prev = row;
      row = was;
    }
    return last;
  };
  // Never return a box smaller than the band zxing gave us.
  const bandHalf = Math.max(Math.hypot(bl[0] - tl[0], bl[1] - tl[1]), Math.hypot(br[0] - tr[0], br[1] - tr[1])) / 2;
  const up = Math.max(walk(-1), bandHalf), down = Math.max(walk(1), bandHalf);
  return [
    [a[0] - dx * up, a[1] - dy * up],
    [b[0] - dx * up, b[1] - dy * up],
    [b[0] + dx * down, b[1] + dy * down],
    [a[0] + dx * down, a[1] + dy * down],
  ];
}

/** The centre line from (ax, ay) to (bx, by), sampled `n` times, shifted by `off` along the bars (dx, dy). */
interface SampleLine {
  img: GrayImage;
  ax: number;
  ay: number;
  bx: number;
  by: number;
  dx: number;
  dy: number;
  n: number;
  ends: number;
}

// The helpers below are module functions, not closures of extendLinear: closures made anew on every call did not
// stay optimised, and boxed every intermediate number (a quarter of the engine's JS heap churn).

/** Sample the line shifted by `off` into `out` as bars (1) and spaces (0); returns its luminance range, 0 when
 * it is too flat to be bars. */
function sampleRow(l: SampleLine, off: number, out: Uint8Array): number {
  const { img, ax, ay, n, ends } = l;
  const ex = l.bx - ax, ey = l.by - ay, ox = l.dx * off, oy = l.dy * off;
  const w = img.width, h = img.height, data = img.data;
  let lo = 255, hi = 0;
  for (let i = 0; i < n; i++) {
    const u = (i + 0.5) / n;
    const t = ends > 0 ? (u < 0.5 ? 2 * u * ends : 1 - 2 * (1 - u) * ends) : u;
    const x = Math.round(ax + ex * t + ox);
    const y = Math.round(ay + ey * t + oy);
    const v = x >= 0 && y >= 0 && x < w && y < h ? data[y * w + x]! : 255;
    out[i] = v;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (hi - lo < MIN_CONTRAST) return 0;
  const thr = (lo + hi) / 2;
  // 3-tap median before the threshold: an isolated speck (salt-and-pepper, JPEG ringing) is not a bar.
  let p = out[0]!, c = out[0]!;
  for (let i = 0; i < n; i++) {
    const q = out[Math.min(n - 1, i + 1)]!;
    const m = Math.max(Math.min(p, c), Math.min(Math.max(p, c), q));
    p = c;
    c = q;
    out[i] = m < thr ? 1 : 0;
  }
  return hi - lo;
}

function transitions(row: Uint8Array): number {
  let t = 0;
  for (let i = 1; i < row.length; i++) if (row[i] !== row[i - 1]) t++;
  return t;
}

/** Does `row` keep AGREEMENT of `prev`'s samples, allowing ±1 sample of drift? */
function agrees(prev: Uint8Array, row: Uint8Array): boolean {
  const n = row.length;
  for (let shift = -1; shift <= 1; shift++) {
    let same = 0;
    for (let i = 1; i < n - 1; i++) if (row[i]! === prev[i + shift]!) same++;
    if (same >= AGREEMENT * (n - 2)) return true;
  }
  return false;
}
