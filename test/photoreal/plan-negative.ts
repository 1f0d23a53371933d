/** Category negative: code-like clutter (text, tables, grids, keyboards, stripes, module mosaics) and no code. */
import type { Rng } from "../synthetic/prng.js";
import { makeBackground, BG_STYLES, type PageKind } from "./background.js";
import { basePost, mildExtras, type Ctx, type Staged } from "./plan-base.js";

export async function negativeScene(ctx: Ctx, rng: Rng): Promise<Staged> {
  const brng = rng.fork("background");
  const kinds: PageKind[] = ["text", "table", "grid", "keyboard", "tiles", "stripes", "modules", "calendar"];
  const style = brng.pick(BG_STYLES);
  const img = await makeBackground(brng, ctx.W, ctx.H, { style, objects: brng.int(2, 7), pages: brng.int(1, 4), pageKinds: kinds, camera: ctx.cam });
  ctx.cond.background = style;
  const post = basePost(rng.fork("post"));
  const n = rng.fork("extra");
  mildExtras(ctx, n, post, { left: 0, top: 0, width: ctx.W, height: ctx.H }, "none");
  return { img, placed: [], post };
}
