/** The zxing-cpp sample images under ../shared/datasets/zxing-cpp-dev (see its README and manifest.json). */
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { repoRoot } from "./suite.js";
import type { Truth } from "./score.js";

export interface DatasetImage {
  /** Path relative to the dataset folder, e.g. "qrcode-1/1.webp". */
  readonly id: string;
  readonly family: string;
  readonly path: string;
  readonly ext: string;
  readonly truth: Truth;
}

interface ManifestEntry { image: string; family: string; texts: string[]; binary?: boolean; unlabelled?: boolean }

export function datasetDir(): string {
  return resolve(repoRoot(), "..", "shared", "datasets", "zxing-cpp-dev");
}

export function loadDataset(dir = datasetDir()): DatasetImage[] {
  const manifestPath = join(dir, "manifest.json");
  if (!existsSync(manifestPath)) return [];
  const entries = JSON.parse(readFileSync(manifestPath, "utf8")) as ManifestEntry[];
  return entries.map((e) => {
    const negative = e.family === "falsepositives";
    // Binary payloads and the multi-* images have no comparable text: count results only.
    const labelled = !negative && !e.binary && !e.unlabelled && e.texts.length > 0;
    return {
      id: e.image,
      family: e.family,
      path: join(dir, e.image),
      ext: e.image.slice(e.image.lastIndexOf(".") + 1).toLowerCase(),
      truth: { negative, codes: labelled ? e.texts.map((text) => ({ text })) : null },
    };
  });
}
