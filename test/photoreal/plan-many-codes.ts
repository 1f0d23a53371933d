/** Category many-codes: a sheet of 20-100 labels in a grid, some turned, on a 4-12 MP frame. */
import type { Rng } from "../synthetic/prng.js";
import { makeBackground } from "./background.js";
import type { Rgb } from "./canvas.js";
import { LINEAR_SYMS, makePhotoSymbol, randomQrOptions, symbolDims, type PhotoSymbol } from "./codes.js";
import { makeLabel, printColours } from "./labels.js";
import { basePost, mildExtras, DEG, type Ctx, type Staged } from "./plan-base.js";
import { chooseSymbol, codeOf, drawLabel, unionBox, type Placed } from "./placement.js";
import { renderSurface, surfaceRect } from "./render.js";
import { FlatSurface, type LabelSpec } from "./surfaces.js";
import { PlanarMapping, mappedBounds, mulH, planeHomography, similarity } from "./warp.js";

export async function manyCodesScene(ctx: Ctx, rng: Rng): Promise<Staged> {
  const { W, H, cam } = ctx;
  const brng = rng.fork("background");
  const img = await makeBackground(brng, W, H, { style: brng.pick(["desk", "stone", "fabric", "metal"] as const), objects: brng.int(0, 2), camera: cam });
  const m = rng.fork("sheet");
  const maxN = Math.max(20, Math.min(100, Math.floor((W * H) / 1e6 * 9)));
  const N = m.int(20, maxN);
  const aspect = W / H;
  const cols = Math.max(2, Math.round(Math.sqrt(N * aspect * m.range(0.7, 1.3)))), rows = Math.ceil(N / cols);
  // The sheet in its own units (px at depth f), filling most of the frame.
  const fill = m.range(0.8, 0.95);
  const cw = (W * fill) / cols, ch = (H * fill) / rows;
  const sheetW = cw * cols, sheetH = ch * rows, margin = Math.min(cw, ch) * 0.15;
  const pose = { px: W / 2 + m.range(-0.03, 0.03) * W, py: H / 2 + m.range(-0.03, 0.03) * H, uc: sheetW / 2, vc: sheetH / 2, scale: 1, roll: m.range(-6, 6) * DEG, tilt: m.range(0, 22) * DEG, tiltAxis: m.range(0, Math.PI) };
  const hs = planeHomography(cam, pose);
  const sheetMap = new PlanarMapping(hs);
  const paper: Rgb = printColours(m, false).paper;
  const sr = surfaceRect(img, sheetMap, -margin, -margin, sheetW + margin, sheetH + margin);
  if (sr) renderSurface(img, new FlatSurface(-margin, -margin, sheetW + margin, sheetH + margin, paper), sheetMap, sr);
  const placed: Placed[] = [];
  const labelPaper = m.chance(0.5) ? paper : printColours(m, false).paper;
  const texts = new Set<string>();
  for (let k = 0; k < N; k++) {
    const r = m.fork(`cell${k}`);
    const cx = (k % cols + 0.5) * cw, cy = (Math.floor(k / cols) + 0.5) * ch;
    let sym = chooseSymbol(ctx, r, { main: false, qrShare: 0.5, others: r.chance(0.7) ? LINEAR_SYMS : ["DataMatrix", "Aztec", "PDF417"], qr: randomQrOptions(r, [1, 5]) });
    for (let tries = 0; texts.has(sym.text) && tries < 20; tries++) sym = makePhotoSymbol(sym.symbology, r, { qr: randomQrOptions(r, [2, 5]) });
    if (texts.has(sym.text)) continue; // (never seen: content is random)
    texts.add(sym.text);
    const ink: Rgb = printColours(r, false).ink;
    const build = (s: PhotoSymbol): LabelSpec => makeLabel(r, s, { pxPerModule: 3, paper: labelPaper, ink, margin: [0.03, 0.12], decor: r.chance(0.5) });
    let label = build(sym);
    const turn = r.chance(0.25) ? (r.chance(0.6) ? r.pick([90, 180, 270]) : r.range(0, 360)) : r.range(-4, 4);
    const th = turn * DEG, ca = Math.abs(Math.cos(th)), sa = Math.abs(Math.sin(th));
    const fit = (L: LabelSpec): number => Math.min((cw * 0.9) / (L.width * ca + L.height * sa), (ch * 0.9) / (L.width * sa + L.height * ca));
    let s = fit(label);
    if (s < 1.8 && sym.symbology !== "QRCode") { // too dense for its cell: a small QR code instead
      texts.delete(sym.text);
      sym = makePhotoSymbol("QRCode", r, { qr: randomQrOptions(r, [2, 3]) });
      if (texts.has(sym.text)) continue;
      texts.add(sym.text);
      label = build(sym);
      s = fit(label);
    }
    s *= r.range(0.85, 1);
    const A = mulH(similarity(s, th, cx, cy), [1, 0, -label.width / 2, 0, 1, -label.height / 2, 0, 0, 1]);
    const map = new PlanarMapping(mulH(hs, A));
    const p: Placed = { label, map, code: codeOf(sym, map, label, W, H, false), bounds: mappedBounds(map, 0, 0, label.width, label.height, 4) };
    const b = p.code.box;
    const { w, h } = symbolDims(sym);
    const qb = mappedBounds(map, label.sx - sym.quiet, label.sy - 1, label.sx + w + sym.quiet, label.sy + h + 1, 8);
    if (b.width < 4 || qb.x0 < 2 || qb.y0 < 2 || qb.x1 > W - 2 || qb.y1 > H - 2) continue; // off the frame
    drawLabel(img, p);
    placed.push(p);
  }
  Object.assign(ctx.cond, { codes: placed.length, grid: `${cols}x${rows}`, sheetTiltDeg: Math.round(pose.tilt / DEG) });
  const post = basePost(rng.fork("post"));
  post.soft = Math.min(post.soft, 0.5);
  if (post.encoding.kind === "jpeg") post.encoding = { ...post.encoding, quality: Math.max(75, post.encoding.quality) };
  mildExtras(ctx, rng.fork("extra"), post, unionBox(placed), "defocus");
  return { img, placed, post };
}
