/**
 * Categories whose main condition is the light: specular glare, flash and lamp spots, uneven illumination,
 * cast shadows, and a dark room at high ISO. Each draws its ranges from the seeded Rng on top of the standard
 * scene and records them in the conditions.
 */
import { round2, mildExtras, type Planner } from "./plan-base.js";
import { standard, tiltMild } from "./plan-standard.js";
import { shadowSdf, whiteBalance, type Highlight, type ShadowShape } from "./effects.js";

export const LIGHTING_PLANS: Record<"glare" | "bright-spots" | "uneven-light" | "shadow" | "low-light", Planner> = {
  async glare(ctx, rng) {
    const st = await standard(ctx, rng, { pose: tiltMild, label: { margin: [0.02, 0.2] } });
    const b = st.placed[0]!.code.box, size = Math.max(b.width, b.height), g = rng.fork("glare");
    const n = g.int(1, 3);
    for (let i = 0; i < n; i++) {
      const main = i === 0;
      const h: Highlight = {
        x: b.left + g.range(main ? 0.15 : -0.2, main ? 0.85 : 1.2) * b.width, y: b.top + g.range(main ? 0.15 : -0.2, main ? 0.85 : 1.2) * b.height,
        a: size * g.range(0.25, 0.75), b: size * (main ? g.range(0.03, 0.15) : g.range(0.02, 0.1)), angle: g.range(0, Math.PI),
        peak: main ? g.range(1.1, 2.2) : g.range(0.4, 1.3), power: g.range(1.2, 3), colour: [1, g.range(0.95, 1), g.range(0.86, 1)],
      };
      st.post.highlights.push(h);
      if (main) Object.assign(ctx.cond, { glarePeak: round2(h.peak), glareLength: round2((2 * h.a) / size), glareWidth: round2((2 * h.b) / size) });
    }
    if (g.chance(0.5)) st.post.highlights.push({ x: b.left + b.width / 2, y: b.top + b.height / 2, a: size * g.range(0.8, 2), b: size * g.range(0.5, 1.5), angle: g.range(0, Math.PI), peak: g.range(0.1, 0.35), power: 1, colour: [1, 1, 1] });
    ctx.cond.glares = n;
    st.post.bloom = { threshold: 235, sigma: g.range(2, 8), strength: g.range(0.1, 0.4) };
    mildExtras(ctx, rng.fork("extra"), st.post, b, "glare");
    return st;
  },

  async "bright-spots"(ctx, rng) {
    const st = await standard(ctx, rng, { pose: tiltMild });
    const b = st.placed[0]!.code.box, size = Math.max(b.width, b.height), g = rng.fork("spots");
    const n = g.int(3, 12);
    for (let i = 0; i < n; i++) {
      const on = g.chance(0.7), r = Math.max(1.5, size * g.range(0.01, 0.06));
      st.post.highlights.push({
        x: b.left + (on ? g.range(0, 1) : g.range(-0.4, 1.4)) * b.width, y: b.top + (on ? g.range(0, 1) : g.range(-0.4, 1.4)) * b.height,
        a: r * g.range(1, 1.6), b: r, angle: g.range(0, Math.PI), peak: g.range(1.5, 4), power: 2, colour: [1, g.range(0.93, 1), g.range(0.85, 1)],
      });
    }
    if (g.chance(0.4)) { // the flash's own reflection: a broad hot spot
      const r = size * g.range(0.06, 0.18);
      st.post.highlights.push({ x: b.left + g.range(0.2, 0.8) * b.width, y: b.top + g.range(0.2, 0.8) * b.height, a: r, b: r * g.range(0.8, 1.2), angle: 0, peak: g.range(0.8, 1.6), power: 1.5, colour: [1, 1, 1] });
      ctx.cond.flash = true;
    }
    st.post.bloom = { threshold: 220, sigma: g.range(3, 12), strength: g.range(0.3, 0.8) };
    ctx.cond.spots = n;
    mildExtras(ctx, rng.fork("extra"), st.post, b, "glare");
    return st;
  },

  async "uneven-light"(ctx, rng) {
    const st = await standard(ctx, rng, { pose: tiltMild });
    const b = st.placed[0]!.code.box, l = rng.fork("light");
    const ang = l.range(0, 2 * Math.PI), dx = Math.cos(ang), dy = Math.sin(ang);
    const proj = [0, ctx.W * dx, ctx.H * dy, ctx.W * dx + ctx.H * dy], pmin = Math.min(...proj), pmax = Math.max(...proj);
    const tc = ((b.left + b.width / 2) * dx + (b.top + b.height / 2) * dy - pmin) / (pmax - pmin);
    const span = l.range(0.08, 0.5);
    st.post.light = {
      gradMin: l.range(0.12, 0.4), gradAngle: ang, gradFrom: tc - span / 2, gradTo: tc + span / 2,
      vignette: l.range(0.3, 0.7), wb: whiteBalance(l, l.range(0.05, 0.2)),
      ...(l.chance(0.5) ? { lamp: { x: (b.left + b.width / 2) / ctx.W + l.range(-0.2, 0.2), y: (b.top + b.height / 2) / ctx.H + l.range(-0.2, 0.2), r: l.range(0.15, 0.45), gain: l.range(0.3, 1) } } : {}),
    };
    Object.assign(ctx.cond, { lightMin: round2(st.post.light.gradMin), vignette: round2(st.post.light.vignette), lamp: !!st.post.light.lamp });
    mildExtras(ctx, rng.fork("extra"), st.post, b, "light");
    return st;
  },

  async shadow(ctx, rng) {
    const st = await standard(ctx, rng, { pose: tiltMild });
    const b = st.placed[0]!.code.box, size = Math.max(b.width, b.height), s = rng.fork("shadow");
    const n = s.chance(0.25) ? 2 : 1;
    for (let i = 0; i < n; i++) {
      let shape: ShadowShape | undefined;
      for (let attempt = 0; attempt < 40; attempt++) {
        const kind = s.pick(["hand", "hand", "phone", "edge", "edge", "bars"] as const);
        const px = b.left + s.range(0.1, 0.9) * b.width, py = b.top + s.range(0.1, 0.9) * b.height, ang = s.range(0, 2 * Math.PI);
        const cand: ShadowShape =
          kind === "edge" ? { kind, x: px, y: py, angle: ang }
          : kind === "bars" ? { kind, x: px, y: py, angle: ang, period: size * s.range(0.25, 0.8), width: size * s.range(0.05, 0.2) }
          : kind === "phone" ? { kind, x: px - Math.cos(ang) * size * 0.5, y: py - Math.sin(ang) * size * 0.5, angle: ang, hw: size * s.range(0.35, 0.6), hh: size * s.range(0.7, 1.1) }
          : { kind, x: px - Math.cos(ang) * size * 0.4, y: py - Math.sin(ang) * size * 0.4, angle: ang, scale: size * s.range(0.2, 0.45) };
        // Accept when the shadow covers 15-85 % of the code box.
        const sdf = shadowSdf(cand);
        let inside = 0;
        for (let y = 0; y < 8; y++) for (let x = 0; x < 8; x++) if (sdf(b.left + ((x + 0.5) / 8) * b.width, b.top + ((y + 0.5) / 8) * b.height) < 0) inside++;
        if (inside >= 10 && inside <= 54) { shape = cand; break; }
      }
      if (!shape) continue;
      const sun = s.chance(0.5);
      st.post.shadows.push({ shape, depth: s.range(0.4, 0.8), penumbra: sun ? s.range(0.5, 3) : s.range(3, 12), tint: sun ? [s.range(0.88, 0.97), s.range(0.95, 1), s.range(1.02, 1.12)] : [1, 1, 1] });
      if (i === 0) Object.assign(ctx.cond, { shadow: shape.kind, shadowDepth: round2(st.post.shadows[0]!.depth), penumbra: round2(st.post.shadows[0]!.penumbra) });
    }
    mildExtras(ctx, rng.fork("extra"), st.post, b, "shadow");
    return st;
  },

  async "low-light"(ctx, rng) {
    const st = await standard(ctx, rng, { pose: tiltMild });
    const l = rng.fork("lowlight"), e = l.range(0.05, 0.25);
    st.post.sensor = { exposure: e, gain: l.range(0.45, 0.9) / e, shot: l.range(4, 10), read: l.range(1, 3.5), chroma: l.range(0.6, 1.5), black: l.range(0.3, 1.5) };
    st.post.light = { ...st.post.light, wb: whiteBalance(l, l.range(0.08, 0.2)), vignette: l.range(0.45, 0.8) };
    if (l.chance(0.6)) st.post.denoise = { sigma: l.range(1, 2.2), strength: l.range(0.5, 0.95) };
    else delete st.post.denoise;
    if (l.chance(0.4)) st.post.motion = { len: l.range(1.5, 4), angle: l.range(0, Math.PI), curve: l.range(-0.2, 0.2), dwell: 0 };
    st.post.tone = { contrast: l.range(0, 0.2), gamma: l.range(0.75, 0.95), saturation: l.range(0.7, 1) };
    Object.assign(ctx.cond, { exposure: round2(e), gain: round2(st.post.sensor.gain), denoise: !!st.post.denoise });
    return st;
  },
};
