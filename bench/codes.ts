/**
 * Recognition benchmark: the engine against plain zxing-wasm (THE baseline, default options) and, with --peers,
 * native ZXingReader and zbarimg, on every image set (test/sets/items.ts), by default on the VALIDATION half.
 *
 *   node dist/bench/codes.js [--half validation|tune|all] [--sets s1,s2] [--categories c1,c2] [--max N]
 *                            [--quick] [--peers] [--misses] [--cli-time] [--throughput] [--json out.json]
 *
 * Per set and category: recall (expected codes found), misreads (results that match no code of the image, all
 * results on images without codes), images below plain (a code plain zxing-wasm found that the reader did not),
 * box IoU ≥ 0.5, p50 and total ms. `--max` is the engine's cap (default 255, as `barbucket scan --max 255`).
 * Tune on `--half tune`; report on the validation half, which never changes (test/sets/split.ts).
 *
 * --cli-time: the issue's time measure: `barbucket scan --max 255` over the set's files in batches of 100 (process
 * start and pool included), against plain zxing-wasm in one thread over the same files.
 * --throughput: the pool at 1 and 2 workers against plain zxing-wasm in a bare pool (bench/throughput.ts).
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import sharp from "sharp";
import { loadSets, SET_NAMES, type SetItem, type SetName } from "../test/sets/items.js";
import { evaluate, meanOfCategories, recallOf, type ReaderSpec, type Tallies, type Tally } from "../test/sets/evaluate.js";
import { engineReader, readPlainFull } from "../test/sets/readers.js";
import type { Half } from "../test/sets/split.js";
import { percentile } from "../test/synthetic/score.js";
import { zbarPeer, zxingReaderPeer, type Peer } from "../test/synthetic/peers.js";
import { cliTime } from "./cli-time.js";
import { throughput } from "./throughput.js";

interface Args {
  half: Half | "all"; sets: SetName[]; categories?: string[]; max: number; quick: boolean; peers: boolean;
  misses: boolean; cliTime: boolean; throughput: boolean; json?: string;
}

function parseArgs(argv: string[]): Args {
  const a: Args = { half: "validation", sets: [...SET_NAMES], max: 255, quick: false, peers: false, misses: false, cliTime: false, throughput: false };
  for (let i = 0; i < argv.length; i++) {
    const v = argv[i]!;
    const next = (): string => { const n = argv[++i]; if (n === undefined) throw new Error(`${v} needs a value`); return n; };
    if (v === "--half") {
      const h = next();
      if (h !== "validation" && h !== "tune" && h !== "all") throw new Error("--half validation|tune|all");
      a.half = h;
    } else if (v === "--sets") {
      a.sets = next().split(",").map((s) => {
        if (!(SET_NAMES as readonly string[]).includes(s)) throw new Error(`unknown set ${s} (${SET_NAMES.join(", ")})`);
        return s as SetName;
      });
    } else if (v === "--categories") a.categories = next().split(",");
    else if (v === "--max") a.max = Number(next());
    else if (v === "--quick") a.quick = true;
    else if (v === "--peers") a.peers = true;
    else if (v === "--misses") a.misses = true;
    else if (v === "--cli-time") a.cliTime = true;
    else if (v === "--throughput") a.throughput = true;
    else if (v === "--json") a.json = next();
    else throw new Error(`unknown option ${v}`);
  }
  return a;
}

/** An external tool as a reader: it needs a file it can open (generated scenes and WebP are written as PNG, untimed). */
async function peerReader(peer: Peer, items: readonly SetItem[], dir: string): Promise<ReaderSpec> {
  const files = new Map<SetItem, string>();
  for (const [k, item] of items.entries()) {
    const readable = peer.reads.includes(item.ext);
    if (item.path && readable) { files.set(item, item.path); continue; }
    const path = join(dir, `${peer.name}-${k}.${readable ? item.ext : "png"}`);
    writeFileSync(path, readable ? item.bytes() : await sharp(item.bytes()).png({ compressionLevel: 1 }).toBuffer());
    files.set(item, path);
  }
  return {
    name: peer.name,
    read: async (item) => {
      const r = await peer.run(files.get(item)!, 30_000);
      if (r.error) throw new Error(r.error);
      return r.found.map((f) => ({ text: f.text, format: f.format, ...(f.box ? { box: f.box } : {}) }));
    },
  };
}

const pct = (v: number): string => (Number.isNaN(v) ? "-" : (100 * v).toFixed(1));
const fmtMs = (v: number): string => (Number.isNaN(v) ? "-" : v < 10 ? v.toFixed(1) : v.toFixed(0));
const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);

function table(title: string, headers: string[], rows: string[][]): void {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
  console.log(`\n${title}\n${line(headers)}\n${widths.map((w) => "-".repeat(w)).join("  ")}`);
  for (const r of rows) console.log(line(r));
}

function printSet(set: string, byCat: Map<string, Map<string, Tally>>, readers: string[]): void {
  const cats = [...byCat.keys()].filter((c) => c !== "ALL").sort().concat("ALL");
  const first = (c: string) => byCat.get(c)!.values().next().value as Tally;
  table(`[${set}] recall % / misreads (results matching no code) / images below plain`, ["category", "imgs", "codes", ...readers],
    cats.map((c) => [c, String(first(c).images), String(first(c).expected), ...readers.map((r) => {
      const t = byCat.get(c)!.get(r);
      if (!t) return "n/a";
      return `${pct(recallOf(t))} m${t.misreads}${r === "zxing-wasm" ? "" : ` b${t.belowBaseline}`}${t.errors ? ` e${t.errors}` : ""}`;
    })]));
  const mean = readers.map((r) => pct(meanOfCategories(byCat, r)));
  console.log(`mean of categories: ${readers.map((r, i) => `${r} ${mean[i]}`).join(", ")}`);
  table(`[${set}] ms per image p50 / total s (box IoU >= 0.5 %)`, ["category", ...readers, "engine/plain total"],
    cats.map((c) => {
      const m = byCat.get(c)!;
      const e = m.get("engine"), p = m.get("zxing-wasm");
      return [c, ...readers.map((r) => {
        const t = m.get(r);
        return t ? `${fmtMs(percentile(t.ms, 50))} / ${(sum(t.ms) / 1000).toFixed(1)}${t.boxChecked ? ` (${pct(t.boxOk / t.boxChecked)})` : ""}` : "n/a";
      }), e && p ? (sum(e.ms) / sum(p.ms)).toFixed(2) : "-"];
    }));
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  console.log(`bench:codes ${new Date().toISOString()}  cpus=${cpus().length}  load=${loadavg().map((l) => l.toFixed(1)).join(",")}  half=${args.half}  max=${args.max}${args.quick ? "  QUICK" : ""}`);
  const t0 = performance.now();
  const items = await loadSets({ sets: args.sets, half: args.half, quick: args.quick, ...(args.categories ? { categories: args.categories } : {}) });
  console.log(`${items.length} images (${[...new Set(items.map((i) => i.set))].map((s) => `${s} ${items.filter((i) => i.set === s).length}`).join(", ")}), loaded in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const engine = engineReader(args.max);
  const readers: ReaderSpec[] = [
    { name: "engine", read: (item) => engine(item.bytes()) },
    { name: "zxing-wasm", read: (item) => readPlainFull(item.bytes()), cache: true },
  ];
  const tmp = mkdtempSync(join(tmpdir(), "bench-codes-"));
  try {
    if (args.peers) {
      for (const peer of [zxingReaderPeer(), zbarPeer()]) {
        if (peer) readers.push(await peerReader(peer, items, tmp));
        else console.log("(a peer tool is not installed: apt-get install zxing-cpp-tools zbar-tools)");
      }
    }
    // Warm-up: the wasm compiles once per reader.
    if (items[0]) { await engine(items[0].bytes()).catch(() => []); await readPlainFull(items[0].bytes()).catch(() => []); }
    const { tallies, outcomes } = await evaluate(items, readers, "zxing-wasm", (o) => {
      if (!args.misses) return;
      const e = o.reads.get("engine")!;
      if (e.missed.length || e.verdict.misreads || e.verdict.matched < e.verdict.expected) {
        const want = o.item.truth.codes?.map((c) => c.text.slice(0, 40)) ?? [];
        console.log(`  ${o.item.set}/${o.item.id} [${o.item.category}] engine ${e.verdict.matched}/${e.verdict.expected}` +
          `${e.missed.length ? ` BELOW plain: ${JSON.stringify(e.missed.map((m) => m.slice(0, 40)))}` : ""}` +
          `${e.verdict.misreads ? ` MISREAD ${JSON.stringify(e.verdict.wrong.map((w) => `${w.format}:${w.text.slice(0, 40)}`))}` : ""}` +
          ` want ${JSON.stringify(want)} ${fmtMs(e.ms)} ms`);
      }
    });
    const names = readers.map((r) => r.name);
    for (const [set, byCat] of tallies) printSet(set, byCat, names);
    summary(tallies, names);
    if (args.cliTime) await cliTime(items, tmp);
    if (args.throughput) await throughput(items);
    if (args.json) writeJson(args, tallies, outcomes.length);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

function summary(tallies: Tallies, readers: string[]): void {
  const rows: string[][] = [];
  for (const [set, byCat] of tallies) {
    const all = byCat.get("ALL")!;
    rows.push([set, ...readers.map((r) => {
      const t = all.get(r);
      return t ? `${pct(recallOf(t))} (mean ${pct(meanOfCategories(byCat, r))}) m${t.misreads}${r === "zxing-wasm" ? "" : ` b${t.belowBaseline}`} ${(sum(t.ms) / 1000).toFixed(1)}s` : "n/a";
    })]);
  }
  table("summary: recall % (mean of categories) misreads, images below plain, total time", ["set", ...readers], rows);
}

function writeJson(args: Args, tallies: Tallies, images: number): void {
  const out = {
    date: new Date().toISOString(), half: args.half, max: args.max, images,
    sets: Object.fromEntries([...tallies].map(([set, byCat]) => [set, Object.fromEntries([...byCat].map(([c, m]) => [c,
      Object.fromEntries([...m].map(([r, t]) => [r, {
        images: t.images, expected: t.expected, matched: t.matched, recall: recallOf(t), misreads: t.misreads,
        belowPlain: t.belowBaseline, boxIoU50: t.boxChecked ? t.boxOk / t.boxChecked : null, p50ms: percentile(t.ms, 50), totalMs: sum(t.ms), errors: t.errors,
      }])),
    ]))])),
  };
  writeFileSync(args.json!, JSON.stringify(out, null, 2));
  console.log(`\nwrote ${args.json}`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
