/**
 * Reed–Solomon over GF(256) as QR codes use it (primitive polynomial x⁸+x⁴+x³+x²+1, generator roots
 * α⁰…α^(m−1)), with erasures: a codeword known to be unreadable costs one check symbol instead of the two an
 * unknown error costs. zxing's decoder takes no erasures, so a symbol with a glared patch whose codewords we
 * can point at is readable here and not there.
 *
 * Polynomials are arrays of coefficients, lowest degree first. A block is codewords in transmission order: the
 * first codeword is the coefficient of x^(n−1).
 */

const EXP = new Uint8Array(512);
const LOG = new Uint8Array(256);
{
  let x = 1;
  for (let i = 0; i < 255; i++) {
    EXP[i] = x;
    LOG[x] = i;
    x <<= 1;
    if (x & 0x100) x ^= 0x11d;
  }
  for (let i = 255; i < 512; i++) EXP[i] = EXP[i - 255]!;
}

const mul = (a: number, b: number): number => (a === 0 || b === 0 ? 0 : EXP[LOG[a]! + LOG[b]!]!);
const div = (a: number, b: number): number => (a === 0 ? 0 : EXP[LOG[a]! + 255 - LOG[b]!]!);
const alphaPow = (e: number): number => EXP[((e % 255) + 255) % 255]!;

function evalPoly(p: readonly number[], x: number): number {
  let y = 0;
  for (let i = p.length - 1; i >= 0; i--) y = mul(y, x) ^ p[i]!;
  return y;
}

function mulPoly(a: readonly number[], b: readonly number[]): number[] {
  const out = new Array<number>(a.length + b.length - 1).fill(0);
  for (let i = 0; i < a.length; i++) for (let j = 0; j < b.length; j++) out[i + j] = out[i + j]! ^ mul(a[i]!, b[j]!);
  return out;
}

/** The m check codewords of `data` (for tests and for re-encoding). */
export function rsEncode(data: readonly number[], m: number): number[] {
  let gen = [1];
  for (let i = 0; i < m; i++) gen = mulPoly(gen, [alphaPow(i), 1]);
  // Highest-degree-first long division of data·x^m by the monic generator.
  const rem = new Array<number>(m).fill(0);
  for (const d of data) {
    const f = d ^ rem[0]!;
    rem.shift();
    rem.push(0);
    if (f) for (let j = 0; j < m; j++) rem[j] = rem[j]! ^ mul(gen[m - 1 - j]!, f);
  }
  return rem;
}

export interface RsResult {
  /** The corrected block (a copy). */
  block: Uint8Array;
  /** Codewords found wrong outside the erasures. */
  errors: number;
  /** Check symbols left unused: m − erasures − 2·errors (the margin against a wrong correction). */
  spare: number;
}

/**
 * Corrects `block` (n codewords, the last m of them check codewords) given the indices of erased codewords.
 * Null when the block is not within reach: 2·errors + erasures > m − minSpare, or the locator's roots do not
 * check out.
 */
export function rsDecode(block: Uint8Array, m: number, erasures: readonly number[] = [], minSpare = 0): RsResult | null {
  const n = block.length;
  const e = erasures.length;
  if (e > m - minSpare) return null;
  const degreeOf = (k: number): number => n - 1 - k;
  const S: number[] = [];
  let clean = true;
  for (let i = 0; i < m; i++) {
    let s = 0;
    const x = alphaPow(i);
    for (let k = 0; k < n; k++) s = mul(s, x) ^ block[k]!;
    S.push(s);
    if (s) clean = false;
  }
  if (clean) return { block: Uint8Array.from(block), errors: 0, spare: m - e };
  // Erasure locator Γ(x) = Π (1 + X_j x), X_j = α^degree.
  let gamma = [1];
  for (const k of erasures) gamma = mulPoly(gamma, [1, alphaPow(degreeOf(k))]);
  // Forney syndromes: coefficients e..m−1 of Γ(x)·S(x); they satisfy the error-only key equation.
  const gs = mulPoly(gamma, S).slice(0, m);
  const T = gs.slice(e);
  const sigma = berlekampMassey(T);
  const nu = sigma.length - 1;
  if (2 * nu + e > m - minSpare) return null;
  const psi = mulPoly(sigma, gamma);
  while (psi.length > 1 && psi[psi.length - 1] === 0) psi.pop();
  // Chien search over the block's positions.
  const roots: number[] = [];
  for (let k = 0; k < n; k++) if (evalPoly(psi, alphaPow(-degreeOf(k))) === 0) roots.push(k);
  if (roots.length !== psi.length - 1) return null;
  const omega = mulPoly(S, psi).slice(0, m);
  // Formal derivative (characteristic 2: odd-degree terms survive).
  const dpsi: number[] = [];
  for (let i = 1; i < psi.length; i++) dpsi.push(i % 2 ? psi[i]! : 0);
  const out = Uint8Array.from(block);
  for (const k of roots) {
    const X = alphaPow(degreeOf(k)), Xinv = alphaPow(-degreeOf(k));
    const den = evalPoly(dpsi, Xinv);
    if (den === 0) return null;
    out[k] = out[k]! ^ mul(X, div(evalPoly(omega, Xinv), den));
  }
  for (let i = 0; i < m; i++) {
    let s = 0;
    const x = alphaPow(i);
    for (let k = 0; k < n; k++) s = mul(s, x) ^ out[k]!;
    if (s) return null;
  }
  const erased = new Set(erasures);
  const errors = roots.filter((k) => !erased.has(k)).length;
  return { block: out, errors, spare: m - e - 2 * errors };
}

/** Shortest linear recurrence (connection polynomial, lowest degree first, c₀ = 1) generating `s`. */
function berlekampMassey(s: readonly number[]): number[] {
  let C = [1], B = [1], L = 0, shift = 1, b = 1;
  for (let n = 0; n < s.length; n++) {
    let d = s[n]!;
    for (let i = 1; i <= L; i++) d ^= mul(C[i] ?? 0, s[n - i]!);
    if (d === 0) { shift++; continue; }
    const coef = div(d, b);
    const next = C.slice();
    while (next.length < B.length + shift) next.push(0);
    for (let i = 0; i < B.length; i++) next[i + shift] = next[i + shift]! ^ mul(coef, B[i]!);
    if (2 * L <= n) {
      B = C;
      L = n + 1 - L;
      b = d;
      shift = 1;
    } else {
      shift++;
    }
    C = next;
  }
  while (C.length > L + 1) C.pop();
  while (C.length < L + 1) C.push(0);
  return C;
}
