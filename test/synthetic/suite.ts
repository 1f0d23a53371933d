/** A suite of scenes per category, cached on disk (keyed by generator version + seed) for the benchmark. */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { CATEGORIES, GENERATOR_VERSION, generateScene, type Category, type ExpectedCode, type GeneratedScene } from "./scene.js";

export interface Scene extends GeneratedScene {
  /** `<category>-<index>`, unique within a suite. */
  readonly id: string;
  readonly category: Category;
  readonly index: number;
}

export interface SuiteOptions {
  readonly seed?: number | string;
  /** Scenes per category: one number for all, or per category (missing ones use the defaults). */
  readonly perCategory?: number | Partial<Record<Category, number>>;
  readonly categories?: readonly Category[];
  /** Where to cache scenes; omit to always render. */
  readonly cacheDir?: string;
}

/** Default suite size: ~30 per category; fewer 12 MP photos, which dominate render and decode time. */
export const DEFAULT_COUNTS: Readonly<Record<Category, number>> = {
  clean: 30, multi: 30, rotation: 30, perspective: 30, blur: 30, noise: 30, "low-contrast": 30, glare: 30,
  jpeg: 30, small: 20, photo12mp: 12, linear: 35, "2d": 32, negative: 30,
};

/** A few per category: for CI and `--quick`. */
export const QUICK_COUNTS: Readonly<Record<Category, number>> = {
  clean: 4, multi: 3, rotation: 4, perspective: 4, blur: 4, noise: 4, "low-contrast": 4, glare: 4,
  jpeg: 4, small: 2, photo12mp: 2, linear: 7, "2d": 4, negative: 6,
};

/** The repository root (this file compiles to dist/test/synthetic/suite.js). */
export function repoRoot(): string {
  return fileURLToPath(new URL("../../../", import.meta.url));
}

export function defaultCacheDir(): string {
  return join(repoRoot(), ".bench", "scenes");
}

interface CachedMeta { mime: GeneratedScene["mime"]; width: number; height: number; codes: ExpectedCode[] }

export async function generateSuite(options: SuiteOptions = {}): Promise<Scene[]> {
  const seed = options.seed ?? 1;
  const per = options.perCategory;
  const dir = options.cacheDir === undefined ? undefined : join(options.cacheDir, `v${GENERATOR_VERSION}-seed${seed}`);
  if (dir) mkdirSync(dir, { recursive: true });
  const jobs: { category: Category; index: number }[] = [];
  for (const category of options.categories ?? CATEGORIES) {
    const count = typeof per === "number" ? per : per?.[category] ?? DEFAULT_COUNTS[category];
    for (let index = 0; index < count; index++) jobs.push({ category, index });
  }
  const scenes: Scene[] = new Array(jobs.length);
  let next = 0;
  // Two scenes in flight: one renders in JS while sharp encodes the other on the libuv pool.
  const lane = async (): Promise<void> => {
    while (next < jobs.length) {
      const k = next++;
      const { category, index } = jobs[k]!;
      scenes[k] = await loadOrGenerate(category, index, seed, dir);
    }
  };
  await Promise.all([lane(), lane()]);
  return scenes;
}

async function loadOrGenerate(category: Category, index: number, seed: number | string, dir: string | undefined): Promise<Scene> {
  const id = `${category}-${index}`;
  const metaPath = dir && join(dir, `${id}.json`), imagePath = dir && join(dir, `${id}.img`);
  if (metaPath && imagePath && existsSync(metaPath) && existsSync(imagePath)) {
    const meta = JSON.parse(readFileSync(metaPath, "utf8")) as CachedMeta;
    return { ...meta, image: readFileSync(imagePath), id, category, index };
  }
  const s = await generateScene({ category, index }, seed);
  if (metaPath && imagePath) {
    writeFileSync(imagePath, s.image); // image first: the .json marks a complete entry
    const meta: CachedMeta = { mime: s.mime, width: s.width, height: s.height, codes: s.codes };
    writeFileSync(metaPath, JSON.stringify(meta));
  }
  return { ...s, id, category, index };
}
