/**
 * Write photo-realistic scenes to a folder, with a manifest.json, to look at them or feed other readers:
 *   node dist/test/photoreal/dump.js OUTDIR [--quick] [--category C]... [--count N] [--seed S] [--clean]
 * Scenes come from the cache (<repo>/.bench/photoreal) when present (not with --clean).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { PHOTOREAL_CATEGORIES, generatePhotoScene, type PhotoCategory, type PhotoScene } from "./scene.js";
import { PHOTOREAL_QUICK_COUNTS, defaultPhotorealCacheDir, generatePhotoSuite } from "./suite.js";

const EXT = { "image/jpeg": "jpg", "image/png": "png", "image/webp": "webp" } as const;

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const out = args[0];
  if (!out || out.startsWith("--")) {
    console.error("usage: node dist/test/photoreal/dump.js OUTDIR [--quick] [--category C]... [--count N] [--seed S] [--clean]");
    process.exit(2);
  }
  const categories: PhotoCategory[] = [];
  let quick = false, count: number | undefined, seed: number | string = 1, clean = false;
  for (let i = 1; i < args.length; i++) {
    const a = args[i]!;
    if (a === "--quick") quick = true;
    else if (a === "--clean") clean = true;
    else if (a === "--category") {
      const c = args[++i] as PhotoCategory;
      if (!PHOTOREAL_CATEGORIES.includes(c)) throw new Error(`unknown category ${c}; one of ${PHOTOREAL_CATEGORIES.join(", ")}`);
      categories.push(c);
    } else if (a === "--count") count = Number(args[++i]);
    else if (a === "--seed") { const s = args[++i]!; seed = /^\d+$/.test(s) ? Number(s) : s; }
    else throw new Error(`unknown option ${a}`);
  }
  const cats = categories.length ? categories : [...PHOTOREAL_CATEGORIES];
  const per = count ?? (quick ? PHOTOREAL_QUICK_COUNTS : undefined);
  const t0 = performance.now();
  let scenes: PhotoScene[];
  if (clean) {
    scenes = [];
    for (const c of cats) {
      const n = typeof per === "number" ? per : per?.[c] ?? 3;
      for (let i = 0; i < n; i++) scenes.push(await generatePhotoScene(c, i, seed, { clean: true }));
    }
  } else {
    scenes = await generatePhotoSuite({ seed, categories: cats, ...(per !== undefined ? { perCategory: per } : {}), cacheDir: defaultPhotorealCacheDir() });
  }
  mkdirSync(out, { recursive: true });
  const manifest = scenes.map((s) => {
    const { image, ...meta } = s;
    const file = `${s.id}.${EXT[s.mime]}`;
    writeFileSync(join(out, file), image);
    return { ...meta, image: file };
  });
  writeFileSync(join(out, "manifest.json"), JSON.stringify(manifest, null, 1));
  console.log(`${scenes.length} scenes in ${out} (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
}

main().catch((e) => { console.error(e); process.exit(1); });
