/**
 * Damage on a printed label, drawn in the label's own coordinates before it is warped: scratches (ink
 * scraped off, or a pen line), stains (a tint with a darker rim), ink smears, rubbed-off patches, dirt
 * specks and a torn-off corner. Items are added one by one while the share of modules they corrupt stays
 * under a budget the symbology's error correction can recover, and (QR) no more than one finder pattern
 * is hurt; an item that would break either rule is undone.
 */
import type { Rng } from "../synthetic/prng.js";
import { clamp, samplePlane, hyp } from "./canvas.js";
import { ValueNoise } from "./noise.js";
import { DamagePlanes, LabelSurface, type LabelSpec } from "./surfaces.js";

export interface DamageReport {
  items: string[];
  /** Share of the symbol's modules whose binarised value the damage flips (or hides). */
  corrupted: number;
}

type Painter = (d: DamagePlanes) => void;

/** Apply f(texel-x, texel-y) over a box of label units. */
function forBox(d: DamagePlanes, u0: number, v0: number, u1: number, v1: number, f: (i: number, u: number, v: number) => void): void {
  const k = d.k;
  const x0 = Math.max(0, Math.floor(u0 * k)), x1 = Math.min(d.width - 1, Math.ceil(u1 * k));
  const y0 = Math.max(0, Math.floor(v0 * k)), y1 = Math.min(d.height - 1, Math.ceil(v1 * k));
  for (let y = y0; y <= y1; y++) for (let x = x0; x <= x1; x++) f(y * d.width + x, (x + 0.5) / k, (y + 0.5) / k);
}

function segDist(u: number, v: number, ax: number, ay: number, bx: number, by: number): number {
  const vx = bx - ax, vy = by - ay, t = clamp(((u - ax) * vx + (v - ay) * vy) / (vx * vx + vy * vy || 1), 0, 1);
  return hyp(u - ax - t * vx, v - ay - t * vy);
}

export function makeDamage(rng: Rng, spec: LabelSpec, budget: number, maxItems: number): { planes: DamagePlanes; report: DamageReport } {
  const sym = spec.sym, symW = sym.cols, symH = sym.rows * sym.rowHeight;
  const k = Math.max(3, Math.min(6, Math.floor(1400 / Math.max(spec.width, spec.height))));
  const d = new DamagePlanes(Math.ceil(spec.width * k) + 1, Math.ceil(spec.height * k) + 1, k);
  const noise = new ValueNoise(rng);
  const big = Math.sqrt(symW * symH); // item sizes scale with the symbol's area (PDF417 and 1D are long)
  // Random point in the symbol (label units).
  const inSym = (m = 0): [number, number] => [spec.sx + rng.range(m, 1 - m) * symW, spec.sy + rng.range(m, 1 - m) * symH];
  const items: string[] = [];

  const scratch = (): Painter => {
    const [cx, cy] = inSym(0.1), ang = sym.linear && rng.chance(0.8) ? rng.range(-0.3, 0.3) : rng.range(0, Math.PI);
    const len = big * rng.range(0.3, 1.1), w = rng.range(0.08, 0.45), dark = rng.chance(0.3), bend = rng.range(-0.08, 0.08) * len;
    const ax = cx - Math.cos(ang) * len / 2, ay = cy - Math.sin(ang) * len / 2, bx = cx + Math.cos(ang) * len / 2, by = cy + Math.sin(ang) * len / 2;
    const mx = (ax + bx) / 2 - Math.sin(ang) * bend, my = (ay + by) / 2 + Math.cos(ang) * bend;
    const strength = dark ? rng.range(0.7, 1) : rng.range(0.7, 1);
    items.push(dark ? "pen-line" : "scratch");
    return (dd) => forBox(dd, Math.min(ax, bx, mx) - 2, Math.min(ay, by, my) - 2, Math.max(ax, bx, mx) + 2, Math.max(ay, by, my) + 2, (i, u, v) => {
      const dist = Math.min(segDist(u, v, ax, ay, mx, my), segDist(u, v, mx, my, bx, by));
      const wj = w * (0.6 + 0.8 * noise.at(u * 0.7, v * 0.7));
      if (dist > wj) return;
      const t = strength * clamp((wj - dist) / (0.3 * wj + 0.05), 0, 1);
      if (dark) dd.inkAdd.data[i] = Math.max(dd.inkAdd.data[i]!, t);
      else dd.inkKeep.data[i] = Math.min(dd.inkKeep.data[i]!, 1 - t);
    });
  };

  const stain = (): Painter => {
    const [cx, cy] = inSym(0), r = big * rng.range(0.06, 0.22), a = rng.range(0.2, 0.6);
    const col = rng.pick([[0.72, 0.5, 0.28], [0.85, 0.78, 0.55], [0.93, 0.93, 0.9], [0.6, 0.62, 0.7]] as [number, number, number][]);
    const rim = rng.chance(0.6) ? rng.range(0.15, 0.5) : 0, off = rng.range(0, 100);
    items.push("stain");
    return (dd) => forBox(dd, cx - r * 1.6, cy - r * 1.6, cx + r * 1.6, cy + r * 1.6, (i, u, v) => {
      const ang = Math.atan2(v - cy, u - cx);
      const rr = r * (0.75 + 0.5 * noise.at(Math.cos(ang) * 2 + off, Math.sin(ang) * 2 + off));
      const dist = hyp(u - cx, v - cy);
      if (dist > rr) return;
      const edge = clamp((rr - dist) / (0.08 * rr + 0.1), 0, 1);
      const ring = rim * Math.exp(-(((rr - dist) / (0.08 * rr + 0.1)) ** 2));
      const al = a * edge + ring;
      for (let c = 0; c < 3; c++) { const t = dd.tint[c]!.data; t[i] = t[i]! * (1 - al * (1 - col[c]!)); }
    });
  };

  const label = new LabelSurface(spec);
  const smear = (): Painter => {
    const [cx, cy] = inSym(0.1), r = big * rng.range(0.05, 0.15), ang = rng.range(0, 2 * Math.PI), len = rng.range(0.8, 3);
    const dx = Math.cos(ang), dy = Math.sin(ang), amount = rng.range(0.5, 0.9);
    items.push("smear");
    return (dd) => forBox(dd, cx - r - len, cy - r - len, cx + r + len, cy + r + len, (i, u, v) => {
      const dist = hyp(u - cx, v - cy) / r;
      if (dist > 1) return;
      let m = 0;
      for (let s = 1; s <= 6; s++) {
        const t = (s / 6) * len;
        const ink = label.inkAt(u - spec.sx - dx * t, v - spec.sy - dy * t) * (1 - s / 7);
        if (ink > m) m = ink;
      }
      dd.inkAdd.data[i] = Math.max(dd.inkAdd.data[i]!, m * amount * (1 - dist * dist));
    });
  };

  const rubbed = (): Painter => {
    const [cx, cy] = inSym(0.05), r = big * rng.range(0.04, 0.14), keep = rng.range(0, 0.45), off = rng.range(0, 100);
    items.push("rubbed");
    return (dd) => forBox(dd, cx - r * 1.5, cy - r * 1.5, cx + r * 1.5, cy + r * 1.5, (i, u, v) => {
      const n = noise.fbm((u - cx) / (r * 0.5) + off, (v - cy) / (r * 0.5), 3);
      const dist = hyp(u - cx, v - cy) / r;
      const t = clamp((1 - dist) * 2 + (n - 0.5) * 2, 0, 1);
      dd.inkKeep.data[i] = Math.min(dd.inkKeep.data[i]!, 1 - t * (1 - keep));
    });
  };

  const specks = (): Painter => {
    const n = rng.int(5, 40), pts = Array.from({ length: n }, () => [...inSym(0), rng.range(0.1, 0.45)] as [number, number, number]);
    items.push("specks");
    return (dd) => {
      for (const [x, y, r] of pts) forBox(dd, x - r - 1, y - r - 1, x + r + 1, y + r + 1, (i, u, v) => {
        const t = clamp((r - hyp(u - x, v - y)) * 4, 0, 1);
        dd.inkAdd.data[i] = Math.max(dd.inkAdd.data[i]!, t);
      });
    };
  };

  const tear = (): Painter => {
    // A torn-off label corner. QR: usually the corner without a finder (bottom-right).
    const corner = sym.symbology === "QRCode" ? (rng.chance(0.75) ? 2 : rng.int(0, 3)) : rng.int(0, 3);
    const X = corner === 1 || corner === 2 ? spec.width : 0, Y = corner >= 2 ? spec.height : 0;
    const sxE = corner === 1 || corner === 2 ? spec.sx + symW : spec.sx, syE = corner >= 2 ? spec.sy + symH : spec.sy;
    // Reach: from the label corner to a little inside the symbol's corner.
    const reach = hyp(sxE - X, syE - Y) + big * rng.range(0.03, 0.18);
    const ang = rng.range(0.2, 0.8) * Math.PI / 2, off = rng.range(0, 100);
    const ex = X === 0 ? 1 : -1, ey = Y === 0 ? 1 : -1;
    const a = reach / Math.cos(Math.PI / 4 - ang / 2 + 0.2), b = a * rng.range(0.6, 1.4);
    items.push("torn-corner");
    return (dd) => forBox(dd, Math.min(X, X + ex * a * 1.3), Math.min(Y, Y + ey * b * 1.3), Math.max(X, X + ex * a * 1.3), Math.max(Y, Y + ey * b * 1.3), (i, u, v) => {
      const px = (u - X) * ex, py = (v - Y) * ey; // both >= 0 inside the label
      const jag = (noise.at(px * 0.8 + off, py * 0.8) - 0.5) * big * 0.04 + (noise.at(px * 3, py * 3 + off) - 0.5) * big * 0.012;
      const t = px / a + py / b - 1 - jag / Math.max(a, b);
      if (t < 0) dd.hole.data[i] = Math.max(dd.hole.data[i]!, clamp(-t * Math.max(a, b) * 3, 0, 1));
    });
  };

  const makers = sym.linear ? [scratch, scratch, stain, stain, rubbed, specks, smear, tear] : [scratch, scratch, stain, stain, smear, rubbed, rubbed, specks, tear];
  let corrupted = 0;
  const applied: string[] = [];
  // Add items until there are `maxItems` and they hurt at least a third of the budget (damage that misses
  // the symbol altogether is not what this category is for), within the budget and the structural rules.
  for (let attempt = 0; attempt < maxItems * 4 && (applied.length < maxItems || corrupted < budget / 3); attempt++) {
    const before = d.snapshot();
    const n0 = items.length;
    rng.pick(makers)()(d);
    const c = evaluate(spec, d);
    if (c.ok && c.corrupted <= budget) {
      corrupted = c.corrupted;
      applied.push(...items.slice(n0));
    } else {
      d.restore(before);
    }
    items.length = n0;
  }
  return { planes: d, report: { items: applied, corrupted } };
}

/**
 * The share of modules the damage corrupts, and whether the symbol keeps what its reader needs: QR at most
 * one hurt finder pattern; linear symbols at least 30 % of their scan lines untouched.
 */
function evaluate(spec: LabelSpec, d: DamagePlanes): { corrupted: number; ok: boolean } {
  const sym = spec.sym, k = d.k, lab = new LabelSurface(spec);
  const bad = (mx: number, my: number): boolean => {
    let flips = 0;
    for (const [ox, oy] of [[0.5, 0.5], [0.25, 0.25], [0.75, 0.25], [0.25, 0.75], [0.75, 0.75]] as const) {
      const x = mx + ox, y = (my + oy) * sym.rowHeight;
      const u = spec.sx + x, v = spec.sy + y;
      const tu = u * k - 0.5, tv = v * k - 0.5;
      const orig = sym.dark[my * sym.cols + mx]!;
      let ink = lab.inkAt(x, y) * samplePlane(d.inkKeep, tu, tv);
      ink = Math.max(ink, samplePlane(d.inkAdd, tu, tv));
      const hole = samplePlane(d.hole, tu, tv);
      const t = (samplePlane(d.tint[0], tu, tv) + samplePlane(d.tint[1], tu, tv) + samplePlane(d.tint[2], tu, tv)) / 3;
      // The module's apparent darkness: ink, or a stain dark enough to pass for ink on a light module.
      const dark = hole > 0.5 ? -1 : ink > 0.5 || (!orig && t < 0.55) ? 1 : 0;
      if (dark === -1 || dark !== orig) flips++;
    }
    return flips >= 2;
  };
  let count = 0;
  const badGrid = new Uint8Array(sym.cols * sym.rows);
  for (let my = 0; my < sym.rows; my++) for (let mx = 0; mx < sym.cols; mx++) if (bad(mx, my)) { badGrid[my * sym.cols + mx] = 1; count++; }
  let ok = true;
  if (sym.symbology === "QRCode") {
    const n = sym.cols, hurt = [[0, 0], [n - 7, 0], [0, n - 7]].filter(([fx, fy]) => {
      let b = 0;
      for (let y = 0; y < 7; y++) for (let x = 0; x < 7; x++) b += badGrid[(fy! + y) * n + fx! + x]!;
      return b > 2;
    }).length;
    ok = hurt <= 1;
  } else if (sym.linear) {
    // Scan lines: 24 rows across the bar height; a row is clean when no sample on it is damaged.
    let clean = 0;
    for (let r = 0; r < 24; r++) {
      const y = ((r + 0.5) / 24) * sym.rowHeight;
      let hit = false;
      for (let x = 0.5; x < sym.cols && !hit; x += 0.5) {
        const u = spec.sx + x, v = spec.sy + y, tu = u * k - 0.5, tv = v * k - 0.5;
        if (samplePlane(d.inkKeep, tu, tv) < 0.6 || samplePlane(d.inkAdd, tu, tv) > 0.4 || samplePlane(d.hole, tu, tv) > 0.4) hit = true;
        else {
          const t = (samplePlane(d.tint[0], tu, tv) + samplePlane(d.tint[1], tu, tv) + samplePlane(d.tint[2], tu, tv)) / 3;
          if (t < 0.7) hit = true;
        }
      }
      if (!hit) clean++;
    }
    ok = clean >= 8;
  } else if (sym.symbology === "DataMatrix" || sym.symbology === "Aztec") {
    // Keep the finder (DataMatrix's L and clock edges, Aztec's bullseye centre) nearly whole.
    const n = sym.cols, m = sym.rows;
    let b = 0, tot = 0;
    if (sym.symbology === "DataMatrix") {
      for (let x = 0; x < n; x++) { b += badGrid[(m - 1) * n + x]! + badGrid[x]!; tot += 2; }
      for (let y = 0; y < m; y++) { b += badGrid[y * n]! + badGrid[y * n + n - 1]!; tot += 2; }
    } else {
      const c = Math.floor(n / 2);
      for (let y = c - 5; y <= c + 5; y++) for (let x = c - 5; x <= c + 5; x++) { b += badGrid[y * n + x] ?? 0; tot++; }
    }
    ok = b / tot < 0.08;
  }
  return { corrupted: count / (sym.cols * sym.rows), ok };
}
