/**
 * Deciding modules from their grid context, for blurred symbols (defocus, hand shake): blur spreads each
 * module into its neighbours, so a light module among dark ones comes out grey and a plain threshold calls it
 * dark. The symbol's function patterns are known modules with known neighbours, so they measure how much a
 * module's own colour and its neighbours' colours set its sampled value:
 *   u ≈ α + β·dark(self) + γ·Σ dark(4 neighbours) + δ·Σ dark(4 diagonal neighbours)
 * (u: the value normalised between the local dark and light levels). With that model the data modules are
 * decided jointly: starting from the plain threshold, each module takes the colour that best explains its own
 * value and its neighbours' values given their current colours (iterated conditional modes, a few sweeps).
 */
import { functionTemplate, UNKNOWN } from "./qr-spec.js";
import { solve } from "./homography.js";

const SWEEPS = 4;
/** Fitted own-colour weight must be at least this (in normalised units) for the model to be used. */
const MIN_OWN = 0.25;

/**
 * Module bits (1 dark) of a dim² grid of values (dark = low), or null when the known modules do not give a
 * usable model. `lo`/`hi`: the local dark and light levels per module.
 */
export function deblurModules(values: Float32Array, lo: Float32Array, hi: Float32Array, version: number): Uint8Array | null {
  const t = functionTemplate(version), n = values.length, dim = Math.round(Math.sqrt(n));
  const u = new Float64Array(n);
  for (let i = 0; i < n; i++) u[i] = (values[i]! - lo[i]!) / Math.max(12, hi[i]! - lo[i]!);
  const bits = new Uint8Array(n);
  for (let i = 0; i < n; i++) bits[i] = t[i] === UNKNOWN ? (u[i]! < 0.5 ? 1 : 0) : t[i]!;
  const first = fitModel(u, t, dim, null);
  if (!first || -first[1]! < MIN_OWN) return null;
  let [a, b, g, d] = first as unknown as [number, number, number, number];
  const at = (r: number, c: number): number => (r < 0 || c < 0 || r >= dim || c >= dim ? 0 : bits[r * dim + c]!);
  const pred = (r: number, c: number): number =>
    a + b * at(r, c) + g * (at(r - 1, c) + at(r + 1, c) + at(r, c - 1) + at(r, c + 1)) + d * (at(r - 1, c - 1) + at(r - 1, c + 1) + at(r + 1, c - 1) + at(r + 1, c + 1));
  const err = (r: number, c: number): number => (r < 0 || c < 0 || r >= dim || c >= dim ? 0 : (u[r * dim + c]! - pred(r, c)) ** 2);
  const local = (r: number, c: number): number => {
    let e = 0;
    for (let dr = -1; dr <= 1; dr++) for (let dc = -1; dc <= 1; dc++) e += err(r + dr, c + dc);
    return e;
  };
  for (let s = 0; s < SWEEPS; s++) {
    if (s > 0) {
      // Refit on every module, the data modules' colours as decided so far (more, and less collinear, evidence
      // than the function patterns alone).
      const m = fitModel(u, t, dim, bits);
      if (m && -m[1]! >= MIN_OWN) [a, b, g, d] = m as unknown as [number, number, number, number];
    }
    let changed = 0;
    for (let r = 0; r < dim; r++) {
      for (let c = 0; c < dim; c++) {
        const i = r * dim + c;
        if (t[i] !== UNKNOWN) continue;
        const keep = local(r, c);
        bits[i] = 1 - bits[i]!;
        if (local(r, c) < keep) changed++; else bits[i] = 1 - bits[i]!;
      }
    }
    if (!changed) break;
  }
  return bits;
}

/** Least squares of u on (1, self, 4-neighbours, diagonals) over known modules whose neighbours are all known,
 * or with `bits`, over every module with those colours. */
function fitModel(u: Float64Array, t: Uint8Array, dim: number, bits: Uint8Array | null): Float64Array | null {
  const M = new Float64Array(16), v = new Float64Array(4);
  const known = (r: number, c: number): number => (r < 0 || c < 0 || r >= dim || c >= dim ? 0 : bits ? bits[r * dim + c]! : t[r * dim + c]!);
  let count = 0;
  for (let r = 0; r < dim; r++) {
    for (let c = 0; c < dim; c++) {
      const self = known(r, c);
      if (self === UNKNOWN) continue;
      let ok = true;
      for (let dr = -1; dr <= 1 && ok; dr++) for (let dc = -1; dc <= 1; dc++) if (known(r + dr, c + dc) === UNKNOWN) { ok = false; break; }
      if (!ok) continue;
      const f = [1, self, known(r - 1, c) + known(r + 1, c) + known(r, c - 1) + known(r, c + 1),
        known(r - 1, c - 1) + known(r - 1, c + 1) + known(r + 1, c - 1) + known(r + 1, c + 1)];
      for (let p = 0; p < 4; p++) {
        v[p]! += f[p]! * u[r * dim + c]!;
        for (let q = 0; q < 4; q++) M[p * 4 + q]! += f[p]! * f[q]!;
      }
      count++;
    }
  }
  if (count < 30) return null;
  for (let p = 0; p < 4; p++) M[p * 5]! += 1e-3;
  return solve(M, v, 4);
}
