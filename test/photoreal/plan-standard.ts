/**
 * The standard scene most categories start from: a background (surface, objects, printed pages, maybe a
 * shallow depth of field) and one or two labels on planes, with the everyday photometric plan.
 */
import type { Rng } from "../synthetic/prng.js";
import { makeBackground, BG_STYLES, type BgStyle, type PageKind } from "./background.js";
import { gaussBlur } from "./canvas.js";
import type { PhotoSymbol } from "./codes.js";
import { makeLabel, type LabelOptions } from "./labels.js";
import { basePost, round2, type Ctx, type Staged } from "./plan-base.js";
import { chooseSymbol, describeSymbol, drawLabel, modulePxOf, moduleFor, placePlanar, typicalFrac, type Placed, type PoseRange } from "./placement.js";
import type { LabelSpec } from "./surfaces.js";

export interface StdOptions {
  bg?: { style?: BgStyle; dark?: boolean; objects?: [number, number]; pages?: [number, number]; kinds?: readonly PageKind[] };
  /** Number of codes: main code plus, with this probability, a second one. */
  second?: number;
  symbol?: (rng: Rng, i: number) => PhotoSymbol;
  /** Module px for a symbol (default: a typical share of the frame). */
  modulePx?: (rng: Rng, sym: PhotoSymbol) => number;
  pose: PoseRange;
  label?: Partial<LabelOptions>;
  inverted?: boolean;
  /** Damage the main label (category damaged). */
  damage?: (rng: Rng, spec: LabelSpec) => LabelSpec;
}

export async function standard(ctx: Ctx, rng: Rng, o: StdOptions): Promise<Staged> {
  const S = Math.min(ctx.W, ctx.H);
  const brng = rng.fork("background");
  const style = o.bg?.style ?? brng.pick(BG_STYLES);
  const objects = o.bg?.objects ? brng.int(o.bg.objects[0], o.bg.objects[1]) : brng.int(0, 4);
  const pages = o.bg?.pages ? brng.int(o.bg.pages[0], o.bg.pages[1]) : brng.int(0, 2);
  let img = await makeBackground(brng, ctx.W, ctx.H, { style, dark: !!o.bg?.dark, objects, pages, camera: ctx.cam, ...(o.bg?.kinds ? { pageKinds: o.bg.kinds } : {}) });
  const bgBlur = brng.chance(0.4) ? brng.range(0.8, 4) * (S / 1500) : 0; // shallow depth of field behind the code
  if (bgBlur >= 0.3) img = await gaussBlur(img, bgBlur);
  ctx.cond.background = style;
  const placed: Placed[] = [];
  const n = rng.chance(o.second ?? 0.15) ? 2 : 1;
  for (let i = 0; i < n; i++) {
    const crng = rng.fork(`code${i}`);
    const sym = o.symbol ? o.symbol(crng, i) : chooseSymbol(ctx, crng, { main: i === 0 });
    const mpx = o.modulePx ? o.modulePx(crng, sym) : moduleFor(sym, typicalFrac(crng, sym) * (i > 0 ? 0.6 : 1), S);
    let label = makeLabel(crng, sym, { pxPerModule: mpx, ...(o.inverted ? { inverted: true } : {}), ...o.label });
    const drng = crng.fork("damage");
    if (i === 0 && o.damage) {
      const dmg = o.damage(drng, label);
      if (!ctx.clean) label = dmg;
    }
    const p = placePlanar(ctx, crng, label, mpx, o.pose, placed, !!o.inverted);
    if (p) { placed.push(p); drawLabel(img, p, !!o.pose.mapper || !!o.pose.lensK); }
    else if (i === 0) throw new Error(`${ctx.category}: could not place the main code`);
  }
  ctx.cond.modulePx = round2(modulePxOf(placed[0]!));
  describeSymbol(ctx, placed[0]!.label.sym);
  return { img, placed, post: basePost(rng.fork("post")) };
}

/** The pose of most categories: a mild tilt and in-plane rotation. */
export const tiltMild: PoseRange = { tilt: [0, 20], roll: [-20, 20] };
