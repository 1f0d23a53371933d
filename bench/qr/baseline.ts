/**
 * The baseline the QR module is judged against, per photoreal scene: zxing-wasm's default read of the
 * engine's luminance (readGray with no options) and the engine itself (detectCodes, maxCodes 255), cached
 * under .bench/qr-eval/ (keyed by scene id and a hash of its bytes; delete the file when the engine changes).
 *
 *   node dist/bench/qr/baseline.js --half tune|validation   (fills the cache; eval.ts reads it)
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { decodeImage } from "../../src/codes/decode-image.js";
import { detectCodes } from "../../src/codes/detect.js";
import { CodesError } from "../../src/codes/errors.js";
import { loadZXing, readGray } from "../../src/codes/zxing.js";
import { photorealScenes, type QrScene } from "./photoreal-scenes.js";
import { repoRoot } from "./sets.js";

export interface BaselineRead { text: string; format: string; corners: [number, number][] }
/** `refused`: the engine refuses the image (decode-image.ts limits: a 12 MP PNG over 20 MB); the module is
 * never called on it, so the evaluation leaves it out. */
export interface Baseline { hash: string; zxing: BaselineRead[]; engine: BaselineRead[]; engineMs: number; refused?: boolean }

const cacheFile = (): string => join(repoRoot(), ".bench", "qr-eval", "baseline-photoreal.json");

export const hashOf = (bytes: Uint8Array): string => createHash("sha1").update(bytes).digest("hex").slice(0, 16);

export function loadBaselines(): Map<string, Baseline> {
  const f = cacheFile();
  if (!existsSync(f)) return new Map();
  return new Map(Object.entries(JSON.parse(readFileSync(f, "utf8")) as Record<string, Baseline>));
}

export function saveBaselines(m: Map<string, Baseline>): void {
  mkdirSync(join(repoRoot(), ".bench", "qr-eval"), { recursive: true });
  writeFileSync(cacheFile(), JSON.stringify(Object.fromEntries(m)));
}

/** The scene's baseline, computed (and stored in `cache`) when missing or stale. */
export async function baselineOf(scene: QrScene, cache: Map<string, Baseline>): Promise<Baseline> {
  const hash = hashOf(scene.bytes);
  const hit = cache.get(scene.id);
  if (hit && hit.hash === hash) return hit;
  const mod = await loadZXing();
  let gray;
  try {
    gray = await decodeImage(scene.bytes);
  } catch (err) {
    if (!(err instanceof CodesError)) throw err;
    const b: Baseline = { hash, zxing: [], engine: [], engineMs: 0, refused: true };
    cache.set(scene.id, b);
    return b;
  }
  const zxing = readGray(mod, gray, {}).map((r) => ({ text: r.text, format: r.format, corners: r.corners.map(([x, y]) => [x, y] as [number, number]) }));
  const t0 = performance.now();
  const codes = await detectCodes(scene.bytes, { maxCodes: 255, timeBudgetMs: 60_000 });
  const engineMs = performance.now() - t0;
  const engine = codes.map((c) => ({ text: c.Content, format: c.Format, corners: c.Boundary.Polygon.map((p) => [p.X, p.Y] as [number, number]) }));
  const b: Baseline = { hash, zxing, engine, engineMs };
  cache.set(scene.id, b);
  return b;
}

async function main(): Promise<void> {
  const i = process.argv.indexOf("--half");
  const half = (i >= 0 ? process.argv[i + 1] : "tune") as "tune" | "validation" | "all";
  const scenes = await photorealScenes(half);
  const cache = loadBaselines();
  let n = 0;
  for (const s of scenes) {
    await baselineOf(s, cache);
    if (++n % 20 === 0) { saveBaselines(cache); console.log(`${n}/${scenes.length}`); }
  }
  saveBaselines(cache);
  console.log(`baseline: ${scenes.length} scenes (${half})`);
}

if (process.argv[1]?.endsWith("baseline.js")) await main();
