/**
 * Categories whose main condition is the camera: its pose (perspective, rotation), its distance (tiny,
 * huge close-ups with lens distortion, dense QR codes at the resolution limit), its optics (motion blur,
 * defocus) and what the phone does with the file afterwards (messenger recompression).
 */
import { makePhotoSymbol, randomQrOptions, symbolDims } from "./codes.js";
import { round2, mildExtras, DEG, type Ctx, type Planner } from "./plan-base.js";
import { chooseSymbol, moduleFor, typicalFrac } from "./placement.js";
import { standard, tiltMild } from "./plan-standard.js";

export const CAMERA_PLANS: Record<"perspective" | "motion-blur" | "defocus" | "jpeg-low" | "dense-qr" | "tiny" | "huge" | "rotated", Planner> = {
  async perspective(ctx, rng) {
    const p = rng.fork("persp");
    const f = Math.max(ctx.W, ctx.H) * p.range(0.55, 1.0);
    const ctx2: Ctx = { ...ctx, cam: { ...ctx.cam, f } };
    const st = await standard(ctx2, rng, { pose: { tilt: [20, 60], roll: [-180, 180], region: [0.25, 0.25, 0.75, 0.75] } });
    ctx.cond.focal = round2(f / Math.max(ctx.W, ctx.H));
    mildExtras(ctx, rng.fork("extra"), st.post, st.placed[0]!.code.box, "none");
    return st;
  },

  async "motion-blur"(ctx, rng) {
    const st = await standard(ctx, rng, { pose: tiltMild, modulePx: (r, s) => moduleFor(s, typicalFrac(r, s), Math.min(ctx.W, ctx.H), 2.5, 9) });
    const m = rng.fork("motion");
    st.post.motion = { len: m.range(3, 15), angle: m.range(0, Math.PI), curve: m.chance(0.4) ? m.range(-0.3, 0.3) : 0, dwell: m.chance(0.3) ? m.range(0, 1.5) : 0 };
    Object.assign(ctx.cond, { motionPx: round2(st.post.motion.len), motionAngle: round2(st.post.motion.angle / DEG), motionCurve: round2(st.post.motion.curve) });
    st.post.soft = Math.min(st.post.soft, 0.4);
    mildExtras(ctx, rng.fork("extra"), st.post, st.placed[0]!.code.box, "motion");
    return st;
  },

  async defocus(ctx, rng) {
    const st = await standard(ctx, rng, { pose: tiltMild, modulePx: (r, s) => moduleFor(s, typicalFrac(r, s), Math.min(ctx.W, ctx.H), 3, 10) });
    const m = rng.fork("defocus"), rel = m.range(0.3, 1.2);
    st.post.defocus = { r: Math.max(0.8, rel * (ctx.cond.modulePx as number)), rim: m.chance(0.5) ? m.range(0, 0.6) : 0 };
    st.post.soft = 0;
    Object.assign(ctx.cond, { defocusModules: round2(rel), defocusPx: round2(st.post.defocus.r) });
    mildExtras(ctx, rng.fork("extra"), st.post, st.placed[0]!.code.box, "defocus");
    return st;
  },

  async "jpeg-low"(ctx, rng) {
    const j = rng.fork("jpeg"), scale = j.range(0.4, 0.8);
    const st = await standard(ctx, rng, { pose: tiltMild, modulePx: (r, s) => moduleFor(s, typicalFrac(r, s), Math.min(ctx.W, ctx.H) * scale, 1.8, 5) / scale });
    st.post.messenger = { scale, ...(j.chance(0.4) ? { first: Math.round(j.range(50, 88)) } : {}) };
    st.post.encoding = { kind: "jpeg", quality: Math.round(j.range(15, 40)), chroma: "4:2:0" };
    Object.assign(ctx.cond, { jpegQuality: st.post.encoding.quality, downscale: round2(scale), doubleJpeg: st.post.messenger.first !== undefined, modulePx: round2((ctx.cond.modulePx as number) * scale) });
    mildExtras(ctx, rng.fork("extra"), st.post, st.placed[0]!.code.box, "none");
    return st;
  },

  async "dense-qr"(ctx, rng) {
    const st = await standard(ctx, rng, {
      second: 0, pose: { tilt: [0, 15], roll: [-20, 20] },
      symbol: (r) => makePhotoSymbol(ctx.symbology ?? "QRCode", r, { qr: { version: r.int(15, 40), ec: r.pick(["L", "M", "Q", "H"] as const), fill: r.range(0.6, 1) } }),
      modulePx: (r) => r.range(2, 3),
    });
    st.post.soft = Math.min(st.post.soft, 0.4);
    if (st.post.encoding.kind === "jpeg") st.post.encoding = { ...st.post.encoding, quality: Math.max(75, st.post.encoding.quality) };
    ctx.cond.qrVersion = st.placed[0]!.label.sym.qrVersion ?? 0;
    return st;
  },

  async tiny(ctx, rng) {
    const t = rng.fork("tiny"), frac = t.range(0.01, 0.03);
    const st = await standard(ctx, rng, {
      pose: { tilt: [0, 30], roll: [-30, 30], region: [0.1, 0.1, 0.9, 0.9] }, second: 0,
      symbol: (r) => chooseSymbol(ctx, r, { qr: randomQrOptions(r, [2, 15]) }),
      modulePx: (_r, s) => { const { w, h } = symbolDims(s); return Math.sqrt((frac * ctx.W * ctx.H) / (w * h)); },
      bg: { objects: [2, 6], pages: [0, 3] },
    });
    ctx.cond.areaFraction = round2(frac * 100) / 100;
    mildExtras(ctx, rng.fork("extra"), st.post, st.placed[0]!.code.box, "none");
    return st;
  },

  async huge(ctx, rng) {
    const h = rng.fork("huge"), frac = h.range(0.6, 0.9), lens = h.chance(0.5) ? h.range(0.02, 0.14) : 0;
    const st = await standard(ctx, rng, {
      pose: { tilt: [0, 15], roll: [-15, 15], region: [0.42, 0.42, 0.58, 0.58], symbolOnly: true, ...(lens ? { lensK: lens } : {}) }, second: 0,
      symbol: (r) => chooseSymbol(ctx, r, { qr: randomQrOptions(r, [1, 10]) }),
      modulePx: (_r, s) => { const { w, h: sh } = symbolDims(s); return (frac * Math.min(ctx.W, ctx.H)) / Math.max(w, sh); },
    });
    st.post.light = { ...st.post.light, vignette: h.range(0.4, 0.75) };
    st.post.soft = Math.max(st.post.soft, h.range(0.5, 0.25 * (ctx.cond.modulePx as number)));
    Object.assign(ctx.cond, { fill: round2(frac), lensK: round2(lens) });
    return st;
  },

  async rotated(ctx, rng) {
    const st = await standard(ctx, rng, { pose: { tilt: [0, 15], roll: [-180, 180] } });
    mildExtras(ctx, rng.fork("extra"), st.post, st.placed[0]!.code.box, "none");
    return st;
  },
};
