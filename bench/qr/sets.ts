/**
 * The image sets the QR module is measured on, as (set, id, category, bytes, expected texts), each image
 * tagged with its half (test/sets/split.ts). Sets that are not there (yet) are skipped with a note.
 */
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { halfOf, type Half } from "../../test/sets/split.js";

export interface EvalImage {
  /** Already luminance (generated here): no decoding. */
  gray?: import("../../src/codes/zxing.js").GrayImage;
  set: string;
  id: string;
  category: string;
  half: Half;
  load(): Promise<Uint8Array>;
  /** Generated on demand (qr-stress): image and text. */
  lazy?: () => { image: import("../../src/codes/zxing.js").GrayImage; text: string };
  /** Expected QR texts; empty = a negative (nothing should be read). */
  texts: string[];
}

export function repoRoot(): string {
  return fileURLToPath(new URL("../../../../../", import.meta.url));
}

interface ManifestEntry { image: string; family: string; texts: string[]; binary?: boolean; unlabelled?: boolean }

/** zxing-cpp-dev: the qrcode-* folders and the negatives (falsepositives-*). */
export function zxingCppDev(): EvalImage[] {
  const dir = resolve(repoRoot(), "..", "shared", "datasets", "zxing-cpp-dev");
  const manifest = join(dir, "manifest.json");
  if (!existsSync(manifest)) return [];
  const entries = JSON.parse(readFileSync(manifest, "utf8")) as ManifestEntry[];
  const out: EvalImage[] = [];
  for (const e of entries) {
    const negative = e.family === "falsepositives";
    if (!negative && (e.family !== "qrcode" || e.binary || e.unlabelled || e.texts.length === 0)) continue;
    out.push({
      set: "zxing-cpp-dev", id: e.image, category: e.image.split("/")[0]!, half: halfOf("zxing-cpp-dev", e.image),
      load: async () => readFileSync(join(dir, e.image)), texts: negative ? [] : e.texts,
    });
  }
  return out;
}

interface PhotoScene { id: string; category?: string; image: Uint8Array; codes: { text: string; format?: string; symbology?: string }[] }

/** The photo-realistic generator (test/photoreal), when it has been built; QR scenes and negatives only. */
export async function photoreal(count?: number): Promise<EvalImage[]> {
  const path = join(repoRoot(), "dist", "test", "photoreal", "index.js");
  if (!existsSync(path)) return [];
  const mod = (await import(pathToFileURL(path).href)) as { generatePhotoSuite?: (o?: unknown) => Promise<PhotoScene[]>; defaultPhotorealCacheDir?: () => string };
  if (!mod.generatePhotoSuite) return [];
  const cacheDir = mod.defaultPhotorealCacheDir?.();
  const scenes = await mod.generatePhotoSuite({ ...(count === undefined ? {} : { perCategory: count }), ...(cacheDir ? { cacheDir } : {}) });
  const out: EvalImage[] = [];
  for (const s of scenes) {
    const qr = s.codes.filter((c) => /^qr/i.test(c.format ?? c.symbology ?? ""));
    if (s.codes.length > 0 && qr.length === 0) continue;
    out.push({ set: "photoreal", id: s.id, category: s.category ?? s.id.replace(/-\d+$/, ""), half: halfOf("photoreal", s.id), load: async () => s.image, texts: qr.map((c) => c.text) });
  }
  return out;
}

/** The synthetic suite (test/synthetic), cached under .bench/scenes: scenes with a QR code, and negatives. */
export async function synthetic(): Promise<EvalImage[]> {
  const { generateSuite, defaultCacheDir } = await import("../../test/synthetic/index.js");
  const scenes = await generateSuite({ cacheDir: defaultCacheDir() });
  const out: EvalImage[] = [];
  for (const s of scenes) {
    const qr = s.codes.filter((c) => c.format === "QRCode");
    if (s.codes.length > 0 && qr.length === 0) continue;
    out.push({ set: "synthetic", id: s.id, category: s.category, half: halfOf("synthetic", s.id), load: async () => s.image, texts: qr.map((c) => c.text) });
  }
  return out;
}

/** qr-stress (tools/stress-set.ts): `perCategory` scenes of each stress. */
export async function qrStress(perCategory = 24): Promise<EvalImage[]> {
  const { STRESS_CATEGORIES, stressScene } = await import("./stress-set.js");
  const out: EvalImage[] = [];
  for (const c of STRESS_CATEGORIES) {
    for (let i = 0; i < perCategory; i++) {
      const id = `${c}-${i}`;
      out.push({ set: "qr-stress", id, category: c, half: halfOf("qr-stress", id), texts: [], load: async () => new Uint8Array(), lazy: () => stressScene(c, i) } as EvalImage);
    }
  }
  return out;
}
