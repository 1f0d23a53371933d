/** An SVG alpha mask (circle or rounded rectangle) composited `dest-in`: outside becomes transparent. */
import type { Sharp } from "sharp";

export function applyShapeMask(img: Sharp, width: number, height: number, shape: string): Sharp {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">${shape}</svg>`;
  return img.ensureAlpha().composite([{ input: Buffer.from(svg), blend: "dest-in" }]);
}
