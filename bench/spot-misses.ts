/**
 * Where the engine's misses are: for every expected code it did not read, whether a code-like spot lay over it
 * (≥ half its box) and how far the strategy got with that spot — its variants ran and failed, the effort budget
 * ran out first, it ranked beyond the spots that get variants, its score was under the variant gate, or no spot
 * covered it. Per category, on one half of the sets. Tells whether to work on finding spots or on reading them.
 *
 *   node dist/bench/spot-misses.js [--half tune|validation] [--sets photoreal,synthetic]
 */
import { detectCodes, type DetectDiagnostics } from "../src/codes/detect.js";
import { MAX_SPOTS, MIN_SPOT_SCORE } from "../src/codes/strategy.js";
import { judge } from "../test/sets/judge.js";
import { loadSets, SET_NAMES, type SetName } from "../test/sets/items.js";
import type { Half } from "../test/sets/split.js";

type Rect = { left: number; top: number; width: number; height: number };
type Box = { Left: number; Top: number; Width: number; Height: number };
const OUTCOMES = ["ran", "budget", "beyond", "low-score", "no-spot"] as const;
type Outcome = (typeof OUTCOMES)[number];


function share(s: Rect, b: Box): number {
  const w = Math.min(s.left + s.width, b.Left + b.Width) - Math.max(s.left, b.Left);
  const h = Math.min(s.top + s.height, b.Top + b.Height) - Math.max(s.top, b.Top);
  return w > 0 && h > 0 ? (w * h) / (b.Width * b.Height) : 0;
}

function outcomeOf(diag: DetectDiagnostics, box: Box): Outcome {
  const spots = diag.spots ?? [];
  const candidates = spots.filter((s) => s.score >= MIN_SPOT_SCORE);
  const i = candidates.findIndex((s) => share(s, box) >= 0.5);
  if (i < 0) return spots.some((s) => share(s, box) >= 0.5) ? "low-score" : "no-spot";
  if (diag.trace.some((t) => t.startsWith(`spot${i}-`) || t.startsWith(`spot${i}b-`))) return "ran";
  return i >= MAX_SPOTS ? "beyond" : "budget";
}

const argv = process.argv.slice(2);
const arg = (name: string) => { const i = argv.indexOf(name); return i >= 0 ? argv[i + 1] : undefined; };
const half = (arg("--half") ?? "tune") as Half;
const sets = (arg("--sets")?.split(",") ?? [...SET_NAMES]) as SetName[];
const items = await loadSets({ sets, half });
const tally = new Map<string, Record<Outcome, number>>();
for (const item of items) {
  const diag: DetectDiagnostics = { trace: [], decodeMs: 0, totalMs: 0 };
  const codes = await detectCodes(item.bytes(), { maxCodes: 255, timeBudgetMs: 60_000 }, diag);
  const reads = codes.map((c) => ({ text: c.Content, format: c.Format ?? "", box: c.Boundary }));
  for (const code of item.truth.codes ?? []) {
    if (!code.box || judge({ codes: [code], negative: false }, reads).matched > 0) continue;
    for (const key of [`${item.set} ${item.category}`, `${item.set} ALL`]) {
      const t = tally.get(key) ?? Object.fromEntries(OUTCOMES.map((o) => [o, 0])) as Record<Outcome, number>;
      t[outcomeOf(diag, code.box)]++;
      tally.set(key, t);
    }
  }
}
console.log(`missed codes by what happened to the spot over them (${half} half)`);
console.log(`${"set category".padEnd(32)} ${OUTCOMES.map((o) => o.padStart(9)).join(" ")}`);
for (const [key, t] of [...tally].sort((a, b) => a[0].localeCompare(b[0]))) {
  console.log(`${key.padEnd(32)} ${OUTCOMES.map((o) => String(t[o]).padStart(9)).join(" ")}`);
}
