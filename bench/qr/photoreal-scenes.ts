/**
 * The photoreal set (test/photoreal, cached scenes) as the QR evaluation needs it: per scene its half
 * (test/sets/split.ts, the same split as test/sets/items.ts loadSets), category, bytes and its QR codes with
 * their corners (items.ts keeps neither the format nor the corners, so the scenes are read directly).
 */
import { halfOf, type Half } from "../../test/sets/split.js";
import { defaultPhotorealCacheDir, generatePhotoSuite } from "../../test/photoreal/index.js";

export interface TruthQr {
  text: string;
  /** TL, TR, BR, BL as printed, image pixels. */
  corners: [number, number][];
  box: { left: number; top: number; width: number; height: number };
}

export interface QrScene {
  id: string;
  category: string;
  half: Half;
  bytes: Uint8Array;
  qr: TruthQr[];
  /** Codes of other symbologies (their texts are not misreads of ours, but never expected from us). */
  otherTexts: string[];
  /** The generator's drawn parameters (qrVersion, modulePx … of the main code): for diagnosis only. */
  conditions: Record<string, number | string | boolean>;
}

export async function photorealScenes(half: Half | "all", categories?: readonly string[]): Promise<QrScene[]> {
  const scenes = await generatePhotoSuite({ cacheDir: defaultPhotorealCacheDir() });
  const out: QrScene[] = [];
  for (const s of scenes) {
    const h = halfOf("photoreal", s.id);
    if (half !== "all" && h !== half) continue;
    if (categories && !categories.includes(s.category)) continue;
    const qr = s.codes.filter((c) => c.format === "QRCode");
    out.push({
      id: s.id, category: s.category, half: h, bytes: s.image,
      qr: qr.map((c) => ({ text: c.text, corners: c.corners, box: c.box })),
      otherTexts: s.codes.filter((c) => c.format !== "QRCode").map((c) => c.text), conditions: s.conditions,
    });
  }
  return out;
}

/** zxing-cpp's text vs the truth: line ends and trailing blanks are presentation. */
export function sameText(a: string, b: string): boolean {
  const norm = (t: string): string => t.replace(/\r\n/g, "\n").trimEnd();
  return norm(a) === norm(b);
}
