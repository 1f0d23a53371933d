/** A decoded symbol on its way to becoming a `DetectedCode`, in full-image coordinates. */
export type Corner = [number, number];

export interface Found {
  text: string;
  bytes: Uint8Array;
  format: string;
  linear: boolean;
  /** topLeft, topRight, bottomRight, bottomLeft in full-image pixel coordinates. */
  corners: Corner[];
  /** Name of the pass that produced the kept box. */
  pass: string;
  /** Pixels of the source per pixel of the view the read came from (1 = full resolution). */
  scale: number;
  /** The pass altered pixel values (contrast, blur, sharpen, other binariser). */
  preprocessed: boolean;
  /** How many passes/tiles read the same symbol. */
  hits: number;
  /** Scan lines that agreed on this read (zxing's lineCount, summed over hits); 1D misreads have fewer. */
  lines: number;
}

/** How a view (downscaled and/or cropped copy) maps back to the full image. */
export interface ViewMapping {
  /** Source pixels per view pixel. */
  scale: number;
  /** Position of the view's (0,0) pixel block in the source. */
  left: number;
  top: number;
  /** The view was turned (orientation.ts rotateGray) after cropping/downscaling: undo that first. */
  rotation?: ViewRotation;
  /** The view was resampled through a plane projective map (quad-rectify.ts): view point → point before it. */
  warp?: (x: number, y: number) => Corner;
}

/** A turn about the centre: view point (u, v) ← source point, inverted by mapPoint (see rotateGray). */
export interface ViewRotation {
  cos: number;
  sin: number;
  /** Centre of the unturned view. */
  cx: number;
  cy: number;
  /** Centre of the turned view. */
  oy: number;
  ox: number;
}

/**
 * View → source coordinates. A view pixel i covers source pixels [i·s, (i+1)·s); zxing reports positions in
 * pixel-index units, so index i maps to the centre of its block, i·s + (s−1)/2, plus the crop offset.
 */
export function mapPoint(p: Corner, m: ViewMapping): Corner {
  if (m.warp) p = m.warp(p[0], p[1]);
  const r = m.rotation;
  if (r) {
    const du = p[0] - r.ox, dv = p[1] - r.oy;
    p = [r.cos * du + r.sin * dv + r.cx, -r.sin * du + r.cos * dv + r.cy];
  }
  return [m.left + p[0] * m.scale + (m.scale - 1) / 2, m.top + p[1] * m.scale + (m.scale - 1) / 2];
}

export function boundsOf(corners: readonly Corner[]): { x0: number; y0: number; x1: number; y1: number } {
  let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
  for (const [x, y] of corners) {
    if (x < x0) x0 = x;
    if (y < y0) y0 = y;
    if (x > x1) x1 = x;
    if (y > y1) y1 = y;
  }
  return { x0, y0, x1, y1 };
}
