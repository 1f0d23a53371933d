/**
 * Photo-realistic scenes of codes, one category per way phone photos of codes fail. A category draws its
 * parameters from the seeded Rng (always ranges, never one value), builds the scene (background, labels on
 * planes, cylinders, folded or crumpled sheets, screens), and hands a photometric plan to one common
 * pipeline: illumination, cast shadows, highlights, lens, sensor, phone processing, compression.
 *
 * `clean: true` (tests only) keeps the geometry and the print but skips every degradation (damage,
 * lighting, shading, highlights, blur, noise, processing, lossy encoding), drawing the same random numbers,
 * so the clean render has the same geometry and truth as the degraded one.
 */
import { Rng, hashString } from "../synthetic/prng.js";
import type { Symbology } from "./codes.js";
import { encodingWithinLimit } from "./encoding-plan.js";
import { finish } from "./photo-pipeline.js";
import type { Ctx } from "./plan-base.js";
import { PLANNERS } from "./planners.js";
import type { Camera } from "./warp.js";

/** Bump when the rendering changes: it keys the scene cache. */
export const PHOTOREAL_VERSION = 5;

export const PHOTOREAL_CATEGORIES = [
  "glare", "bright-spots", "curved", "folded", "damaged", "perspective", "motion-blur", "defocus", "uneven-light",
  "shadow", "low-light", "jpeg-low", "screen", "dense-qr", "many-codes", "inverted", "mirrored", "tiny", "huge",
  "rotated", "negative",
] as const;
export type PhotoCategory = (typeof PHOTOREAL_CATEGORIES)[number];

export interface PhotoCode {
  /** Content as zxing-cpp reports it (text mode Plain). UPC-A: 13 digits with a leading 0. */
  text: string;
  /** zxing-cpp format name of the symbology drawn. */
  format: string;
  /** Axis-aligned box of the symbol (quiet zone excluded; full bar height for 1D), after every warp, clamped to the image. */
  box: { left: number; top: number; width: number; height: number };
  /** The symbol's corners in the image: its top-left, top-right, bottom-right, bottom-left (as printed). */
  corners: [number, number][];
  inverted?: boolean;
  mirrored?: boolean;
}

export interface PhotoScene {
  id: string;
  category: PhotoCategory;
  index: number;
  image: Buffer;
  mime: "image/jpeg" | "image/png" | "image/webp";
  width: number;
  height: number;
  codes: PhotoCode[];
  /** The parameters drawn for this scene (for looking into misses; not part of the truth). */
  conditions: Record<string, number | string | boolean>;
}

export interface SceneOptions {
  /** Test-only: the same scene without any degradation (lossless PNG). */
  readonly clean?: boolean;
  /** Test-only: force the main code's symbology. */
  readonly symbology?: Symbology;
  /** Test-only: planar codes face the camera squarely, unrotated (symbology text tests). */
  readonly upright?: boolean;
}

// ---- frames --------------------------------------------------------------------------------------------

type Frame = readonly [number, number, number]; // width, height, weight
const PHONE: readonly Frame[] = [
  [640, 480, 1], [800, 600, 1], [1024, 768, 2], [1280, 960, 3], [1280, 720, 2], [1600, 1200, 4], [1920, 1080, 3],
  [1920, 1440, 3], [2048, 1536, 3], [2304, 1728, 2], [2560, 1440, 1],
];
const MID: readonly Frame[] = PHONE.filter(([w, h]) => w * h >= 1e6);
const LARGE: readonly Frame[] = [[4000, 3000, 3], [3264, 2448, 2], [4032, 2268, 1], [2592, 1944, 2], [2304, 1728, 1]];
const SMALLISH: readonly Frame[] = PHONE.filter(([w, h]) => w * h <= 2.1e6);

function pickFrame(rng: Rng, list: readonly Frame[], portrait = 0.3): { W: number; H: number } {
  const total = list.reduce((a, f) => a + f[2], 0);
  let r = rng.range(0, total), f = list[0]!;
  for (const x of list) { r -= x[2]; if (r <= 0) { f = x; break; } }
  return rng.chance(portrait) ? { W: f[1], H: f[0] } : { W: f[0], H: f[1] };
}

// ---- entry point ---------------------------------------------------------------------------------------

/** Scale ground truth for a downscaled output (messenger recompression). */
function scaleCodes(codes: PhotoCode[], sx: number, sy: number, W: number, H: number): PhotoCode[] {
  return codes.map((c) => {
    const l = Math.max(0, Math.min(W, Math.round(c.box.left * sx))), t = Math.max(0, Math.min(H, Math.round(c.box.top * sy)));
    const r = Math.max(0, Math.min(W, Math.round((c.box.left + c.box.width) * sx))), b = Math.max(0, Math.min(H, Math.round((c.box.top + c.box.height) * sy)));
    return { ...c, box: { left: l, top: t, width: r - l, height: b - t }, corners: c.corners.map(([x, y]) => [Math.round(x * sx * 100) / 100, Math.round(y * sy * 100) / 100] as [number, number]) };
  });
}

const FRAMES: Record<PhotoCategory, readonly Frame[]> = {
  glare: PHONE, "bright-spots": PHONE, curved: PHONE, folded: PHONE, damaged: PHONE, perspective: PHONE,
  "motion-blur": PHONE, defocus: PHONE, "uneven-light": PHONE, shadow: PHONE, "low-light": PHONE,
  "jpeg-low": MID, screen: PHONE, "dense-qr": MID, "many-codes": LARGE, inverted: PHONE, mirrored: PHONE,
  tiny: LARGE, huge: SMALLISH, rotated: PHONE, negative: [...PHONE, [4000, 3000, 2]],
};

/** Render one scene. Same (category, index, seed, version, options) -> same bytes. */
export async function generatePhotoScene(category: PhotoCategory, index: number, seed: number | string = 1, opts: SceneOptions = {}): Promise<PhotoScene> {
  const rng = new Rng(hashString(`photoreal:${PHOTOREAL_VERSION}:${category}:${index}:${seed}${opts.symbology ? `:${opts.symbology}` : ""}`));
  const { W, H } = pickFrame(rng.fork("frame"), FRAMES[category], category === "many-codes" ? 0.15 : 0.3);
  const crng = rng.fork("camera");
  const cam: Camera = { f: Math.max(W, H) * crng.range(0.75, 1.15), cx: W / 2, cy: H / 2 };
  const ctx: Ctx = { category, clean: !!opts.clean, symbology: opts.symbology, upright: !!opts.upright, W, H, cam, cond: {} };
  const st = await PLANNERS[category](ctx, rng.fork("plan"));
  st.post.encoding = encodingWithinLimit(st.post.encoding, W, H, rng.fork("encoding")); // never over the source limits
  const out = await finish(ctx, rng.fork("finish"), st);
  let codes = st.placed.map((p) => p.code);
  if (out.width !== W || out.height !== H) codes = scaleCodes(codes, out.width / W, out.height / H, out.width, out.height);
  return { id: `${category}-${index}`, category, index, image: out.image, mime: out.mime, width: out.width, height: out.height, codes, conditions: ctx.cond };
}
