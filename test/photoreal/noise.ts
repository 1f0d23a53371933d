/** Seeded smooth noise: a value-noise lattice that can be evaluated at any point, and fbm planes built from it. */
import type { Rng } from "../synthetic/prng.js";
import { newPlane, type Plane } from "./canvas.js";

const SIZE = 256; // lattice period (cells); fields larger than this repeat, far beyond what a scene shows

export class ValueNoise {
  private readonly t: Float32Array;

  constructor(rng: Rng) {
    this.t = new Float32Array(SIZE * SIZE);
    for (let i = 0; i < this.t.length; i++) this.t[i] = rng.next();
  }

  /** Smooth value noise in [0, 1] (quintic fade between lattice values), lattice spacing 1. */
  at(x: number, y: number): number {
    const xf = Math.floor(x), yf = Math.floor(y);
    const tx = x - xf, ty = y - yf;
    const x0 = xf & (SIZE - 1), y0 = yf & (SIZE - 1), x1 = (x0 + 1) & (SIZE - 1), y1 = (y0 + 1) & (SIZE - 1);
    const sx = tx * tx * tx * (tx * (tx * 6 - 15) + 10), sy = ty * ty * ty * (ty * (ty * 6 - 15) + 10);
    const t = this.t;
    const a = t[y0 * SIZE + x0]!, b = t[y0 * SIZE + x1]!, c = t[y1 * SIZE + x0]!, d = t[y1 * SIZE + x1]!;
    return (a + (b - a) * sx) * (1 - sy) + (c + (d - c) * sx) * sy;
  }

  /** Fractal sum of `octaves` octaves, normalised to about [0, 1]. */
  fbm(x: number, y: number, octaves: number, gain = 0.5): number {
    let sum = 0, amp = 1, norm = 0, f = 1;
    for (let o = 0; o < octaves; o++) {
      sum += amp * this.at(x * f + o * 17.3, y * f + o * 31.7);
      norm += amp; amp *= gain; f *= 2.03;
    }
    return sum / norm;
  }
}

/**
 * A width x height plane of fbm noise with a lattice cell of `cell` pixels, stretched to fill [0, 1].
 * `stretch` elongates the features along `angle` (wood grain, brushed metal, fabric streaks).
 */
export function fbmPlane(rng: Rng, width: number, height: number, cell: number, octaves: number, gain = 0.5, stretch = 1, angle = 0): Plane {
  const n = new ValueNoise(rng);
  const p = newPlane(width, height);
  const ca = Math.cos(angle), sa = Math.sin(angle);
  let min = Infinity, max = -Infinity;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const u = (x * ca + y * sa) / (cell * stretch), v = (-x * sa + y * ca) / cell;
      const val = n.fbm(u, v, octaves, gain);
      p.data[y * width + x] = val;
      if (val < min) min = val;
      if (val > max) max = val;
    }
  }
  const span = max - min || 1;
  for (let i = 0; i < p.data.length; i++) p.data[i] = (p.data[i]! - min) / span;
  return p;
}
