/**
 * "Never below plain": on every image of every set (../shared/datasets/ and both generated sets, both halves),
 * the engine as `barbucket scan --max 255` runs it finds every code that plain zxing-wasm with default options
 * finds, and makes no more misreads than it does, set by set. Images are judged one by one; a failure lists
 * each image and the codes it lost. No timing here: speed is shown by `npm run bench:codes`.
 *
 * The generated sets are taken quick (a few scenes per category: the default `npm test` stays within minutes);
 * BARBUCKET_FULL_SETS=1 takes them whole (~500 more scenes, ~15 min on 2 cores: what .ci/run does).
 */
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { evaluate, type Tallies } from "./sets/evaluate.js";
import { loadSets, SET_NAMES, type SetItem } from "./sets/items.js";
import { engineReader, readPlainFull } from "./sets/readers.js";

const quick = process.env.BARBUCKET_FULL_SETS !== "1";

describe("never below plain zxing-wasm, image by image", () => {
  let items: SetItem[] = [];
  let tallies: Tallies = new Map();
  const below = new Map<string, string[]>();

  before(async () => {
    items = await loadSets({ half: "all", quick });
    const engine = engineReader(255);
    const result = await evaluate(items, [
      { name: "engine", read: (item) => engine(item.bytes()) },
      { name: "plain", read: (item) => readPlainFull(item.bytes()) },
    ], "plain");
    tallies = result.tallies;
    for (const o of result.outcomes) {
      const missed = o.reads.get("engine")!.missed;
      if (missed.length === 0) continue;
      const list = below.get(o.item.set) ?? [];
      list.push(`${o.item.id}: ${missed.map((m) => JSON.stringify(m.slice(0, 60))).join(", ")}`);
      below.set(o.item.set, list);
    }
    // The whole sets made from scratch and read twice: ~15 min here, more on a slower machine (inside run-tests.js'
    // 60-min budget for the run).
  }, { timeout: 50 * 60_000 });

  for (const set of SET_NAMES) {
    it(`${set}: every code plain zxing-wasm finds, and no more misreads`, (t) => {
      const all = tallies.get(set)?.get("ALL");
      if (!all) {
        t.skip(`no images in ${set} (../shared/datasets or the generator missing)`);
        return;
      }
      const e = all.get("engine")!, p = all.get("plain")!;
      assert.deepEqual(below.get(set) ?? [], [], `${set}: images where the engine lost a code plain zxing-wasm read`);
      assert.ok(e.misreads <= p.misreads, `${set}: ${e.misreads} misreads against plain's ${p.misreads}`);
      t.diagnostic(`${set}: ${e.images} images, engine ${e.matched}/${e.expected} codes, plain ${p.matched}/${p.expected}; misreads ${e.misreads} vs ${p.misreads}`);
    });
  }
});
