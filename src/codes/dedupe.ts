/**
 * Merging reads from several passes/tiles: the same symbol read twice is kept once (better box), and
 * overlapping reads of the same symbology with different text are treated as a misread conflict.
 */
import { boundsOf, type Found } from "./found.js";

/** Overlap of two boxes relative to the smaller one (0..1). Thin 1D boxes are padded so that two scan lines of
 * the same barcode (a few px apart) still count as overlapping. */
export function overlap(a: Found, b: Found): number {
  const A = padded(a), B = padded(b);
  const iw = Math.min(A.x1, B.x1) - Math.max(A.x0, B.x0);
  const ih = Math.min(A.y1, B.y1) - Math.max(A.y0, B.y0);
  if (iw <= 0 || ih <= 0) return 0;
  const areaA = (A.x1 - A.x0) * (A.y1 - A.y0), areaB = (B.x1 - B.x0) * (B.y1 - B.y0);
  return (iw * ih) / Math.max(1, Math.min(areaA, areaB));
}

function padded(f: Found): { x0: number; y0: number; x1: number; y1: number } {
  const b = boundsOf(f.corners);
  const w = b.x1 - b.x0, h = b.y1 - b.y0;
  // A linear read is a thin band; grow its short side to a fraction of its long side.
  const minSide = f.linear ? Math.max(w, h) * 0.25 : 1;
  const padX = Math.max(0, (minSide - w) / 2), padY = Math.max(0, (minSide - h) / 2);
  return { x0: b.x0 - padX, y0: b.y0 - padY, x1: b.x1 + padX, y1: b.y1 + padY };
}

function symbology(format: string): string {
  // EAN-13 / UPC-A / UPC-E / EAN-8 are one family for conflict purposes.
  if (/^(EAN|UPC)/i.test(format)) return "EANUPC";
  return format.replace(/[^A-Za-z]/g, "").toLowerCase();
}

/** Is `b` a better witness of the symbol than `a`? Finer resolution first, then unprocessed, then larger box. */
function betterBox(a: Found, b: Found): boolean {
  if (b.scale !== a.scale) return b.scale < a.scale;
  if (b.preprocessed !== a.preprocessed) return !b.preprocessed;
  const A = boundsOf(a.corners), B = boundsOf(b.corners);
  return (B.x1 - B.x0) * (B.y1 - B.y0) > (A.x1 - A.x0) * (A.y1 - A.y0);
}

/**
 * Add one read to the collection. Returns true if it was new. Same text + same symbology + overlapping →
 * merged (hits+1, best box kept). Same text far apart → two symbols (e.g. repeated labels).
 */
export function addFound(all: Found[], f: Found): boolean {
  for (let i = 0; i < all.length; i++) {
    const g = all[i]!;
    if (g.text === f.text && symbology(g.format) === symbology(f.format) && overlap(g, f) > 0.2) {
      const keep = betterBox(g, f) ? f : g;
      all[i] = { ...keep, hits: g.hits + f.hits, lines: g.lines + f.lines, preprocessed: g.preprocessed && f.preprocessed };
      return false;
    }
  }
  all.push(f);
  return true;
}

/**
 * Resolve misread conflicts: among overlapping reads of the same symbology with different text, keep the one
 * with most hits, then most agreeing scan lines, then the one from an unprocessed pass, then the first found.
 */
export function resolveConflicts(all: readonly Found[]): Found[] {
  const dropped = new Set<number>();
  for (let i = 0; i < all.length; i++) {
    for (let j = i + 1; j < all.length; j++) {
      if (dropped.has(i) || dropped.has(j)) continue;
      const a = all[i]!, b = all[j]!;
      if (a.text === b.text || symbology(a.format) !== symbology(b.format) || overlap(a, b) <= 0.5) continue;
      // An EAN/UPC read with its add-on and one without are the same symbol: keep the fuller read.
      if (symbology(a.format) === "EANUPC" && (a.text.startsWith(b.text) || b.text.startsWith(a.text))) {
        dropped.add(a.text.length >= b.text.length ? j : i);
        continue;
      }
      // An ITF read inside a longer one of the same text is a fragment of it (verify.ts): keep the longer.
      if (symbology(a.format) === "itf" && (a.text.includes(b.text) || b.text.includes(a.text))) {
        dropped.add(a.text.length >= b.text.length ? j : i);
        continue;
      }
      const aWins =
        a.hits !== b.hits ? a.hits > b.hits
        : a.lines !== b.lines ? a.lines > b.lines
        : a.preprocessed !== b.preprocessed ? !a.preprocessed
        : true;
      dropped.add(aWins ? j : i);
    }
  }
  return all.filter((_, i) => !dropped.has(i));
}
