/**
 * Tuning against the benchmark's synthetic suite (test/synthetic, owned by the bench author), generated into
 * /tmp so our runs do not disturb theirs. Per category: recall and p50 of plain zxing-wasm vs detectCodes.
 *   node dist/src/codes/tools/tune-suite.js [perCategory=4] [category...] [--trace] [--only-ours]
 */
import { detectCodes, type DetectDiagnostics } from "../detect.js";

interface SuiteMod {
  generateSuite(o: { cacheDir: string; perCategory?: number; categories?: readonly string[] }): Promise<
    { id: string; category: string; image: Uint8Array; codes: { text: string; format: string }[] }[]
  >;
}
interface ScoreMod { sameContent(a: string, b: string): boolean }
interface PlainMod { readPlain(i: Uint8Array): Promise<{ text: string }[]>; loadZxing(): Promise<unknown> }

const imp = <T>(p: string): Promise<T> => import(new URL(p, import.meta.url).href) as Promise<T>;

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const per = Number(args.find((a) => /^\d+$/.test(a)) ?? 4);
  const cats = args.filter((a) => /^[a-z0-9][a-z0-9-]*$/.test(a) && !/^\d+$/.test(a));
  const suite = await imp<SuiteMod>("../../../test/synthetic/suite.js");
  const score = await imp<ScoreMod>("../../../test/synthetic/score.js");
  const plain = await imp<PlainMod>("../../../test/synthetic/zxing.js");
  await plain.loadZxing();
  const scenes = await suite.generateSuite({ cacheDir: "/tmp/bb-scenes", perCategory: per, ...(cats.length ? { categories: cats } : {}) });
  const byCat = new Map<string, { n: number; p: number; o: number; fp: number; pfp: number; pt: number[]; ot: number[] }>();
  const allP: number[] = [], allO: number[] = [];
  const med = (xs: number[]) => (xs.length ? [...xs].sort((a, b) => a - b)[xs.length >> 1]! : NaN);
  if (scenes[0]) { await detectCodes(scenes[0].image, { maxCodes: 5 }).catch(() => []); await plain.readPlain(scenes[0].image); }
  for (const s of scenes) {
    const r = byCat.get(s.category) ?? { n: 0, p: 0, o: 0, fp: 0, pfp: 0, pt: [], ot: [] };
    byCat.set(s.category, r);
    // CPU time (user+system of the process), less sensitive than wall time to other load on the machine.
    const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
    const clock = args.includes("--wall") ? () => performance.now() : cpu;
    const reps = Number(args.find((a) => a.startsWith("--reps="))?.slice(7) ?? 1);
    let t0 = 0, best = Infinity;
    let pr: { text: string }[] = [];
    for (let k = 0; k < reps && !args.includes("--only-ours"); k++) {
      t0 = clock();
      pr = await plain.readPlain(s.image);
      best = Math.min(best, clock() - t0);
    }
    r.pt.push(best);
    const diag: DetectDiagnostics = { trace: [], decodeMs: 0, totalMs: 0 };
    best = Infinity;
    let or: Awaited<ReturnType<typeof detectCodes>> = [];
    for (let k = 0; k < reps; k++) {
      t0 = clock();
      or = await detectCodes(s.image, { maxCodes: 5, timeBudgetMs: 60_000 }, diag).catch((e) => { console.log(s.id, "ERROR", e); return []; });
      best = Math.min(best, clock() - t0);
    }
    r.ot.push(best);
    const hit = (found: { text: string }[], t: string) => found.some((f) => score.sameContent(t, f.text));
    r.n += s.codes.length;
    const ph = s.codes.filter((c) => hit(pr, c.text)).length, oh = s.codes.filter((c) => hit(or.map((c) => ({ text: c.Content })), c.text)).length;
    r.p += ph; r.o += oh;
    r.fp += or.filter((f) => !s.codes.some((c) => score.sameContent(c.text, f.Content))).length;
    r.pfp += pr.filter((f) => !s.codes.some((c) => score.sameContent(c.text, f.text))).length;
    const missed = s.codes.filter((c) => !hit(or.map((c) => ({ text: c.Content })), c.text)).map((c) => c.format);
    if (args.includes("--trace") || oh < ph || (args.includes("--misses") && missed.length)) {
      console.log(`  ${s.id} plain ${ph} ours ${oh}/${s.codes.length} [missed ${missed.join(",")}] ${r.ot.at(-1)!.toFixed(0)}ms (plain ${r.pt.at(-1)!.toFixed(0)}) dec ${diag.decodeMs.toFixed(0)} ${diag.trace.join(" ")}`);
    }
  }
  console.log("category        codes plain  ours  fp(p/o)  p50 plain  ours  ratio");
  for (const [c, r] of byCat) {
    allP.push(...r.pt); allO.push(...r.ot);
    console.log(`${c.padEnd(14)} ${String(r.n).padStart(5)} ${String(r.p).padStart(5)} ${String(r.o).padStart(5)}  ${r.pfp}/${r.fp}      ${med(r.pt).toFixed(0).padStart(6)} ${med(r.ot).toFixed(0).padStart(5)}  ${(med(r.ot) / med(r.pt)).toFixed(2)}`);
  }
  const tot = [...byCat.values()].reduce((a, r) => ({ n: a.n + r.n, p: a.p + r.p, o: a.o + r.o }), { n: 0, p: 0, o: 0 });
  console.log(`OVERALL codes ${tot.n} plain ${tot.p} ours ${tot.o}  p50 ${med(allP).toFixed(0)} / ${med(allO).toFixed(0)} = ${(med(allO) / med(allP)).toFixed(2)}`);
}

await main();
