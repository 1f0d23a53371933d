/**
 * A suite of photo-realistic scenes per category, cached on disk under `<repo>/.bench/photoreal/v<version>-seed<seed>/`
 * (image first, then the .json that marks the entry complete), like test/synthetic/suite.ts.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { PHOTOREAL_CATEGORIES, PHOTOREAL_VERSION, generatePhotoScene, type PhotoCategory, type PhotoScene } from "./scene.js";

export interface PhotoSuiteOptions {
  readonly seed?: number | string;
  /** Scenes per category: one number for all, or per category (missing ones use the defaults). */
  readonly perCategory?: number | Partial<Record<PhotoCategory, number>>;
  readonly categories?: readonly PhotoCategory[];
  /** Where to cache scenes; omit to always render. */
  readonly cacheDir?: string;
  /** Worker threads rendering scenes not in the cache (default: one per core, at most 4; 0 = this thread). */
  readonly workers?: number;
}

/** Default suite: 24 per category; fewer in the 4-12 MP categories, whose renders and reads cost the most. */
export const PHOTOREAL_DEFAULT_COUNTS: Readonly<Record<PhotoCategory, number>> = Object.fromEntries(
  PHOTOREAL_CATEGORIES.map((c) => [c, c === "tiny" ? 20 : c === "many-codes" ? 16 : 24]),
) as Record<PhotoCategory, number>;

/** Scenes per category in the quick set. */
export const QUICK_PER_CATEGORY = 3;

/** A few per category: for CI and `--quick`. */
export const PHOTOREAL_QUICK_COUNTS: Readonly<Record<PhotoCategory, number>> = Object.fromEntries(
  PHOTOREAL_CATEGORIES.map((c) => [c, QUICK_PER_CATEGORY]),
) as Record<PhotoCategory, number>;

/** <repo>/.bench/photoreal (this file compiles to dist/test/photoreal/suite.js). */
export function defaultPhotorealCacheDir(): string {
  return join(fileURLToPath(new URL("../../../", import.meta.url)), ".bench", "photoreal");
}

type CachedMeta = Omit<PhotoScene, "image">;

/** Categories whose frames are 4-12 MP: the slowest scenes to render. */
const HEAVY: ReadonlySet<PhotoCategory> = new Set<PhotoCategory>(["many-codes", "tiny"]);

export async function generatePhotoSuite(options: PhotoSuiteOptions = {}): Promise<PhotoScene[]> {
  const seed = options.seed ?? 1;
  const per = options.perCategory;
  const dir = options.cacheDir === undefined ? undefined : join(options.cacheDir, `v${PHOTOREAL_VERSION}-seed${seed}`);
  if (dir) mkdirSync(dir, { recursive: true });
  const jobs: { category: PhotoCategory; index: number }[] = [];
  for (const category of options.categories ?? PHOTOREAL_CATEGORIES) {
    const count = typeof per === "number" ? per : per?.[category] ?? PHOTOREAL_DEFAULT_COUNTS[category];
    for (let index = 0; index < count; index++) jobs.push({ category, index });
  }
  const scenes: PhotoScene[] = new Array(jobs.length);
  const todo: number[] = [];
  jobs.forEach((j, k) => {
    const cached = dir ? loadCached(dir, `${j.category}-${j.index}`) : undefined;
    if (cached) scenes[k] = cached;
    else todo.push(k);
  });
  // The 4-12 MP categories first, so that the last scenes in flight are short ones (no long tail on one core).
  todo.sort((a, b) => Number(HEAVY.has(jobs[b]!.category)) - Number(HEAVY.has(jobs[a]!.category)));
  const nWorkers = Math.min(todo.length, options.workers ?? Math.min(4, availableParallelism()));
  const store = (k: number, s: PhotoScene): void => {
    scenes[k] = s;
    if (dir) saveCached(dir, s);
  };
  if (nWorkers <= 0) {
    // Two scenes in flight: one renders in JS while sharp works on the other on the libuv pool.
    let next = 0;
    const lane = async (): Promise<void> => {
      while (next < todo.length) {
        const k = todo[next++]!, { category, index } = jobs[k]!;
        store(k, await generatePhotoScene(category, index, seed));
      }
    };
    await Promise.all([lane(), lane()]);
    return scenes;
  }
  // Worker threads render in parallel; each keeps two scenes in flight for the same reason.
  let next = 0;
  const workers = Array.from({ length: nWorkers }, () => new Worker(new URL("./worker.js", import.meta.url)));
  try {
    await Promise.all(workers.map((w) => new Promise<void>((resolve, reject) => {
      let inFlight = 0;
      const send = (): void => {
        while (inFlight < 2 && next < todo.length) {
          const k = todo[next++]!, { category, index } = jobs[k]!;
          inFlight++;
          w.postMessage({ id: k, category, index, seed });
        }
        if (inFlight === 0) resolve();
      };
      w.on("message", (m: { id: number; meta?: Omit<PhotoScene, "image">; image?: ArrayBuffer; error?: string }) => {
        inFlight--;
        if (m.error || !m.meta || !m.image) { reject(new Error(`photoreal worker: ${m.error ?? "no scene"}`)); return; }
        store(m.id, { ...m.meta, image: Buffer.from(m.image) });
        send();
      });
      w.on("error", reject);
      send();
    })));
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return scenes;
}

function loadCached(dir: string, id: string): PhotoScene | undefined {
  const metaPath = join(dir, `${id}.json`), imagePath = join(dir, `${id}.img`);
  if (!existsSync(metaPath) || !existsSync(imagePath)) return undefined;
  const meta = JSON.parse(readFileSync(metaPath, "utf8")) as CachedMeta;
  return { ...meta, image: readFileSync(imagePath) };
}

function saveCached(dir: string, s: PhotoScene): void {
  const metaPath = join(dir, `${s.id}.json`);
  writeFileSync(join(dir, `${s.id}.img`), s.image); // image first: the .json marks a complete entry
  const { image: _image, ...meta } = s;
  writeFileSync(`${metaPath}.tmp`, JSON.stringify(meta));
  renameSync(`${metaPath}.tmp`, metaPath);
}
