/**
 * Runs readers over set items and tallies, per set and category: recall, misreads, box IoU, time, and the
 * images where a reader missed a code the baseline (plain zxing-wasm) found. Shared by bench:codes and the
 * "never below plain" test.
 *
 * Plain zxing-wasm's results can be cached on disk (`.bench/plain/`, keyed by zxing-wasm's version, the set and
 * the id; generated scenes also by their bytes' hash), since the baseline never changes while the engine is tuned.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { repoRoot } from "../synthetic/suite.js";
import type { SetItem } from "./items.js";
import { judge, missedAgainst, type Read, type Verdict } from "./judge.js";

export interface Tally {
  images: number;
  expected: number;
  matched: number;
  misreads: number;
  /** Images with at least one misread. */
  misreadImages: number;
  boxChecked: number;
  boxOk: number;
  errors: number;
  ms: number[];
  /** Images where this reader missed a code the baseline found. */
  belowBaseline: number;
}

export const emptyTally = (): Tally => ({ images: 0, expected: 0, matched: 0, misreads: 0, misreadImages: 0, boxChecked: 0, boxOk: 0, errors: 0, ms: [], belowBaseline: 0 });

export interface ReaderSpec {
  name: string;
  read: (item: SetItem) => Promise<Read[]>;
  /** Cache its results on disk (the baseline). */
  cache?: boolean;
}

export interface ItemOutcome {
  item: SetItem;
  reads: Map<string, { found: Read[]; ms: number; error?: string; verdict: Verdict; missed: string[] }>;
}

/** set → category (and "ALL") → reader → tally */
export type Tallies = Map<string, Map<string, Map<string, Tally>>>;

const zxingVersion = (() => {
  try {
    const require = createRequire(import.meta.url);
    return (require("zxing-wasm/package.json") as { version: string }).version;
  } catch {
    return "unknown";
  }
})();

function cachePath(reader: string, item: SetItem): string {
  const key = item.path ? item.id : `${item.id}-${createHash("sha1").update(item.bytes()).digest("hex").slice(0, 12)}`;
  return join(repoRoot(), ".bench", "plain", `${reader}-${zxingVersion}`, item.set, `${key.replace(/[^\w.-]+/g, "_")}.json`);
}

interface Cached { found: { text: string; bytes?: number[]; format: string; box?: Read["box"] }[]; ms: number; error?: string }

async function runReader(spec: ReaderSpec, item: SetItem): Promise<{ found: Read[]; ms: number; error?: string }> {
  const path = spec.cache ? cachePath(spec.name, item) : undefined;
  if (path && existsSync(path)) {
    const c = JSON.parse(readFileSync(path, "utf8")) as Cached;
    const found: Read[] = c.found.map(({ bytes, ...f }) => (bytes ? { ...f, bytes: Uint8Array.from(bytes) } : f));
    return { found, ms: c.ms, ...(c.error ? { error: c.error } : {}) };
  }
  const t0 = performance.now();
  let out: { found: Read[]; ms: number; error?: string };
  try {
    const found = await spec.read(item);
    out = { found, ms: performance.now() - t0 };
  } catch (e) {
    out = { found: [], ms: performance.now() - t0, error: e instanceof Error ? e.message : String(e) };
  }
  if (path) {
    mkdirSync(join(path, ".."), { recursive: true });
    const found: Cached["found"] = out.found.map(({ bytes, ...f }) => (bytes ? { ...f, bytes: [...bytes] } : f));
    const c: Cached = { found, ms: out.ms, ...(out.error ? { error: out.error } : {}) };
    writeFileSync(path, JSON.stringify(c));
  }
  return out;
}

function add(t: Tally, v: Verdict, ms: number, error: boolean, below: boolean): void {
  t.images++;
  t.expected += v.expected; t.matched += v.matched; t.misreads += v.misreads; if (v.misreads) t.misreadImages++;
  t.boxChecked += v.boxChecked; t.boxOk += v.boxOk; if (error) t.errors++; t.ms.push(ms); if (below) t.belowBaseline++;
}

/**
 * Every reader on every item, in turn per item (the order rotating, so that a drifting machine weighs on all
 * alike). `baseline` names the reader the others are compared to for belowBaseline.
 */
export async function evaluate(
  items: readonly SetItem[], readers: readonly ReaderSpec[], baseline: string,
  onItem?: (o: ItemOutcome) => void,
): Promise<{ tallies: Tallies; outcomes: ItemOutcome[] }> {
  const tallies: Tallies = new Map();
  const outcomes: ItemOutcome[] = [];
  for (const [k, item] of items.entries()) {
    const o: ItemOutcome = { item, reads: new Map() };
    for (let j = 0; j < readers.length; j++) {
      const spec = readers[(k + j) % readers.length]!;
      const r = await runReader(spec, item);
      o.reads.set(spec.name, { ...r, verdict: judge(item.truth, r.found), missed: [] });
    }
    const base = o.reads.get(baseline);
    for (const [name, r] of o.reads) {
      if (base && name !== baseline) r.missed = missedAgainst(item.truth, r.found, base.found);
      for (const cat of [item.category, "ALL"]) {
        const bySet = tallies.get(item.set) ?? new Map<string, Map<string, Tally>>();
        tallies.set(item.set, bySet);
        const byCat = bySet.get(cat) ?? new Map<string, Tally>();
        bySet.set(cat, byCat);
        const t = byCat.get(name) ?? emptyTally();
        byCat.set(name, t);
        add(t, r.verdict, r.ms, r.error !== undefined, r.missed.length > 0);
      }
    }
    outcomes.push(o);
    onItem?.(o);
  }
  return { tallies, outcomes };
}

export const recallOf = (t: Tally): number => (t.expected ? t.matched / t.expected : NaN);

/**
 * The mean over categories of each category's recall — how the published QR photo study scores (a category of
 * many codes weighs as much as one of few).
 */
export function meanOfCategories(byCat: Map<string, Map<string, Tally>>, reader: string): number {
  const rs = [...byCat].filter(([c]) => c !== "ALL").map(([, m]) => m.get(reader)).filter((t): t is Tally => !!t && t.expected > 0).map(recallOf);
  return rs.length ? rs.reduce((a, b) => a + b, 0) / rs.length : NaN;
}
