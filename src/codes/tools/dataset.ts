/** Dataset helpers shared by the tuning script and the dataset test: locate, load and match expectations. */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export interface ManifestEntry {
  image: string;
  family: string;
  texts: string[];
  binary: boolean;
  unlabelled?: boolean;
}

export interface Sample extends ManifestEntry {
  path: string;
  /** Expected payload bytes for binary entries (NAME.bin). */
  binaryBytes?: Uint8Array;
}

/** The repo root, found from this file's location in either src/ or dist/src/. */
export function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, "package.json"))) return dir;
    dir = dirname(dir);
  }
  return process.cwd();
}

/** `../shared/datasets/zxing-cpp-dev` relative to the repo root, or BARBUCKET_DATASET; undefined if absent. */
export function datasetDir(): string | undefined {
  const dir = process.env.BARBUCKET_DATASET ?? resolve(repoRoot(), "../shared/datasets/zxing-cpp-dev");
  return existsSync(join(dir, "manifest.json")) ? dir : undefined;
}

export function loadSamples(dir: string): Sample[] {
  const manifest = JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8")) as ManifestEntry[];
  return manifest.map((e) => {
    const path = join(dir, e.image);
    const s: Sample = { ...e, path };
    // The manifest folds CR LF to LF; NAME.txt holds the exact expected text (README), so prefer it.
    const txt = path.replace(/\.[^.]+$/, ".txt");
    if (!e.binary && e.texts.length === 1 && existsSync(txt)) s.texts = [readFileSync(txt, "utf8")];
    if (e.binary) {
      const bin = path.replace(/\.[^.]+$/, ".bin");
      if (existsSync(bin)) s.binaryBytes = new Uint8Array(readFileSync(bin));
    }
    return s;
  });
}

/** The dataset keeps UPC-A as 13 digits with a leading 0; we report 12 (see detect.ts). */
export function sameContent(expected: string, got: string): boolean {
  if (expected === got) return true;
  return /^0\d{12}(\d{2}|\d{5})?$/.test(expected) && expected.slice(1) === got;
}

export interface ReadLike {
  text: string;
  bytes?: Uint8Array;
}

/** Did a result list contain the sample's expected code? undefined when the sample cannot be judged. */
export function isHit(sample: Sample, reads: readonly ReadLike[]): boolean | undefined {
  if (sample.family === "falsepositives") return reads.length === 0;
  if (sample.binary) {
    const want = sample.binaryBytes;
    if (!want) return undefined;
    return reads.some((r) => r.bytes !== undefined && Buffer.from(r.bytes).equals(Buffer.from(want)));
  }
  if (sample.texts.length === 0) return undefined;
  return sample.texts.every((t) =>
    reads.some(
      (r) =>
        sameContent(t, r.text) ||
        (r.bytes !== undefined &&
          (sameContent(t, Buffer.from(r.bytes).toString("utf8")) ||
            sameContent(t, Buffer.from(r.bytes).toString("latin1")))),
    ),
  );
}
