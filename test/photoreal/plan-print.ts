/**
 * Categories whose main condition is the print itself: light-on-dark stock (inverted), symbols printed
 * mirrored (on the back of film, or seen in a mirror), and damaged labels (scratches, stains, torn corners).
 */
import { LINEAR_SYMS, makePhotoSymbol } from "./codes.js";
import { makeDamage } from "./damage.js";
import { round2, mildExtras, type Planner } from "./plan-base.js";
import { chooseSymbol } from "./placement.js";
import { standard, tiltMild } from "./plan-standard.js";

export const PRINT_PLANS: Record<"inverted" | "mirrored" | "damaged", Planner> = {
  async inverted(ctx, rng) {
    // Reflectance reversal is part of the QR, Data Matrix and Aztec specs; light-on-dark bars (laser-marked
    // metal, white print on black packaging) exist too, at a lower share.
    const st = await standard(ctx, rng, {
      pose: tiltMild, inverted: true,
      symbol: (r, i) => chooseSymbol(ctx, r, { main: i === 0, qrShare: 0.65, others: r.chance(0.7) ? ["DataMatrix", "Aztec"] : LINEAR_SYMS }), bg: { dark: true, style: "dark" }, label: { margin: [0.05, 0.4], spread: [-0.1, 0.1] } });
    mildExtras(ctx, rng.fork("extra"), st.post, st.placed[0]!.code.box, "none");
    return st;
  },

  async mirrored(ctx, rng) {
    const st = await standard(ctx, rng, {
      pose: tiltMild, second: 0,
      symbol: (r) => makePhotoSymbol(ctx.symbology ?? (r.chance(0.6) ? "QRCode" : r.pick(["DataMatrix", "Aztec"] as const)), r, { mirrored: true }),
    });
    const g = rng.fork("mirror"), b = st.placed[0]!.code.box, size = Math.max(b.width, b.height);
    const how = g.chance(0.5) ? "mirror" : "film";
    if (how === "mirror") {
      // A glass mirror: a faint second image from the front surface, offset along the view tilt.
      const ang = g.range(0, 2 * Math.PI), off = g.range(2, 8) * (size / 400 + 0.5);
      st.post.ghost = { dx: Math.cos(ang) * off, dy: Math.sin(ang) * off, alpha: g.range(0.08, 0.25), box: { left: b.left - size * 0.2, top: b.top - size * 0.2, width: size * 1.4 + b.width - size, height: size * 1.4 + b.height - size } };
    }
    // Film / glass sheen: a broad weak reflection.
    st.post.highlights.push({ x: b.left + g.range(0, 1) * b.width, y: b.top + g.range(0, 1) * b.height, a: size * g.range(0.5, 1.5), b: size * g.range(0.3, 0.8), angle: g.range(0, Math.PI), peak: g.range(0.08, 0.3), power: 1, colour: [1, 1, 1] });
    ctx.cond.through = how;
    return st;
  },

  async damaged(ctx, rng) {
    const budgetR = rng.fork("budget");
    const st = await standard(ctx, rng, {
      pose: tiltMild, second: 0,
      symbol: (r) => chooseSymbol(ctx, r, { qr: { version: r.int(2, 12), ec: r.pick(["Q", "H"] as const), fill: r.range(0.5, 1) } }),
      damage: (r, spec) => {
        const s = spec.sym;
        const budget = s.symbology === "QRCode" ? (s.ecLevel === "H" ? budgetR.range(0.08, 0.2) : budgetR.range(0.05, 0.12)) : s.linear ? budgetR.range(0.3, 0.6) : budgetR.range(0.03, 0.09);
        const { planes, report } = makeDamage(r, spec, budget, r.int(2, 7));
        Object.assign(ctx.cond, { damage: report.items.join("+") || "none", corrupted: round2(report.corrupted) });
        return { ...spec, damage: planes };
      },
    });
    return st;
  },
};
