/**
 * Every image set we measure recognition on, as one list of items with their truth and their fixed half
 * (split.ts): the real photos and samples under ../shared/datasets/ and the two generated sets.
 *
 *   zxing-cpp-dev   zxing-cpp's test samples (category = family; binary payloads compared as bytes)
 *   quagga2-1d      camera photos of 1D barcodes (quagga2's texts: compared by symbol, see score.ts sameContent)
 *   ups-labels      phone photos of shipping labels (2 Code 128 + 1 MaxiCode each)
 *   synthetic       test/synthetic's seeded scenes (category = its category)
 *   photoreal       test/photoreal's photo-like scenes (category = its category)
 */
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Box } from "../synthetic/geometry.js";
import { defaultCacheDir, generateSuite, QUICK_COUNTS, repoRoot } from "../synthetic/suite.js";
import { halfOf, type Half } from "./split.js";
import { defaultPhotorealCacheDir, generatePhotoSuite, QUICK_PER_CATEGORY } from "../photoreal/index.js";

export const SET_NAMES = ["zxing-cpp-dev", "quagga2-1d", "ups-labels", "synthetic", "photoreal"] as const;
export type SetName = (typeof SET_NAMES)[number];
export const REAL_SETS: readonly SetName[] = ["zxing-cpp-dev", "quagga2-1d", "ups-labels"];

export interface ExpectedCode {
  readonly text: string;
  /** Expected payload bytes (binary samples): compared instead of the text. */
  readonly bytes?: Uint8Array;
  readonly box?: Box;
}

export interface ItemTruth {
  /** null: unlabelled (recall and misreads are not judged). */
  readonly codes: readonly ExpectedCode[] | null;
  /** No code at all: every result is a misread. */
  readonly negative: boolean;
}

export interface SetItem {
  readonly set: SetName;
  readonly category: string;
  /** Unique within the set: the image's path in the set, or the generated scene's id. */
  readonly id: string;
  readonly half: Half;
  readonly ext: string;
  /** A file on disk (real sets); generated scenes live in memory until written out. */
  readonly path?: string;
  bytes(): Uint8Array;
  readonly truth: ItemTruth;
}

export interface LoadOptions {
  readonly sets?: readonly SetName[];
  /** "all" = both halves. Default: validation. */
  readonly half?: Half | "all";
  /** A few scenes per category of the generated sets (CI). */
  readonly quick?: boolean;
  /** Only these categories. */
  readonly categories?: readonly string[];
}

export function datasetsDir(): string {
  return process.env.BARBUCKET_DATASETS ?? resolve(repoRoot(), "..", "shared", "datasets");
}

interface ManifestEntry { image: string; family: string; texts: string[]; binary?: boolean; unlabelled?: boolean }

function fileItems(set: SetName, dir: string, truthOf: (e: ManifestEntry, path: string) => ItemTruth): SetItem[] {
  const manifest = join(dir, "manifest.json");
  if (!existsSync(manifest)) return [];
  const entries = JSON.parse(readFileSync(manifest, "utf8")) as ManifestEntry[];
  return entries.map((e) => {
    const path = join(dir, e.image);
    return {
      set, category: e.family, id: e.image, half: halfOf(set, e.image), ext: extOf(e.image), path,
      bytes: () => new Uint8Array(readFileSync(path)), truth: truthOf(e, path),
    };
  });
}

const extOf = (name: string): string => name.slice(name.lastIndexOf(".") + 1).toLowerCase();

/** zxing-cpp's samples: NAME.txt is the exact text (the manifest folds CR LF), NAME.bin a binary payload. */
function zxingCppTruth(e: ManifestEntry, path: string): ItemTruth {
  if (e.family === "falsepositives") return { codes: [], negative: true };
  if (e.unlabelled) return { codes: null, negative: false };
  const stem = path.replace(/\.[^.]+$/, "");
  if (e.binary) {
    return existsSync(`${stem}.bin`) ? { codes: [{ text: "", bytes: new Uint8Array(readFileSync(`${stem}.bin`)) }], negative: false } : { codes: null, negative: false };
  }
  if (e.texts.length === 0) return { codes: null, negative: false };
  const texts = e.texts.length === 1 && existsSync(`${stem}.txt`) ? [readFileSync(`${stem}.txt`, "utf8")] : e.texts;
  return { codes: texts.map((text) => ({ text })), negative: false };
}

const textTruth = (e: ManifestEntry): ItemTruth =>
  e.texts.length === 0 ? { codes: [], negative: true } : { codes: e.texts.map((text) => ({ text })), negative: false };

interface GeneratedScene { id: string; category: string; image: Uint8Array; mime: string; codes: readonly { text: string; box: Box }[] }

function sceneItems(set: SetName, scenes: readonly GeneratedScene[]): SetItem[] {
  return scenes.map((s) => ({
    set, category: s.category, id: s.id, half: halfOf(set, s.id), ext: s.mime.slice(6), bytes: () => s.image,
    truth: s.codes.length === 0 ? { codes: [], negative: true } : { codes: s.codes.map((c) => ({ text: c.text, box: c.box })), negative: false },
  }));
}

/** The photoreal scenes (test/photoreal), boxes in the judge's spelling. */
async function photorealScenes(quick: boolean): Promise<GeneratedScene[]> {
  const scenes = await generatePhotoSuite({ cacheDir: defaultPhotorealCacheDir(), ...(quick ? { perCategory: QUICK_PER_CATEGORY } : {}) });
  return scenes.map((s) => ({ ...s, codes: s.codes.map((c) => ({ text: c.text, box: { Left: c.box.left, Top: c.box.top, Width: c.box.width, Height: c.box.height } })) }));
}

export async function loadSets(options: LoadOptions = {}): Promise<SetItem[]> {
  const want = new Set(options.sets ?? SET_NAMES);
  const half = options.half ?? "validation";
  const dir = datasetsDir();
  const items: SetItem[] = [];
  if (want.has("zxing-cpp-dev")) items.push(...fileItems("zxing-cpp-dev", join(dir, "zxing-cpp-dev"), zxingCppTruth));
  if (want.has("quagga2-1d")) items.push(...fileItems("quagga2-1d", join(dir, "quagga2-1d"), textTruth));
  if (want.has("ups-labels")) items.push(...fileItems("ups-labels", join(dir, "ups-labels"), textTruth));
  if (want.has("synthetic")) {
    const scenes = await generateSuite({ cacheDir: defaultCacheDir(), ...(options.quick ? { perCategory: QUICK_COUNTS } : {}) });
    items.push(...sceneItems("synthetic", scenes.map((s) => ({ ...s, image: s.image }))));
  }
  if (want.has("photoreal")) items.push(...sceneItems("photoreal", await photorealScenes(options.quick === true)));
  const cats = options.categories && new Set(options.categories);
  return items.filter((i) => (half === "all" || i.half === half) && (!cats || cats.has(i.category)));
}
