/**
 * EXIF orientation applied to a luminance pixmap (what sharp's `.rotate()` does), for images decoded without
 * libvips (native-luma.ts). Orientation 1–8 as in EXIF 2.3 §4.6.4 (tag 0x0112): the stored pixels, turned and/or
 * mirrored, give the displayed frame.
 */
import type { GrayImage } from "./zxing.js";

export function applyExifOrientation(img: GrayImage, orientation: number): GrayImage {
  if (!(orientation >= 2 && orientation <= 8)) return img;
  const { data, width: w, height: h } = img;
  const swap = orientation >= 5;
  const ow = swap ? h : w, oh = swap ? w : h;
  const out = new Uint8Array(ow * oh);
  // Displayed (x, y) comes from stored (sx, sy): stored index = sy * w + sx = base + x * dx + y * dy.
  let base: number, dx: number, dy: number;
  switch (orientation) {
    case 2: base = w - 1; dx = -1; dy = w; break; // mirrored left-right
    case 3: base = w * h - 1; dx = -1; dy = -w; break; // turned 180°
    case 4: base = (h - 1) * w; dx = 1; dy = -w; break; // mirrored top-bottom
    case 5: base = 0; dx = w; dy = 1; break; // transposed
    case 6: base = (h - 1) * w; dx = -w; dy = 1; break; // displayed after a 90° clockwise turn
    case 7: base = w * h - 1; dx = -w; dy = -1; break; // transversed
    default: base = w - 1; dx = w; dy = -1; break; // 8: displayed after a 90° counter-clockwise turn
  }
  for (let y = 0, o = 0; y < oh; y++) {
    let s = base + y * dy;
    for (let x = 0; x < ow; x++, s += dx) out[o++] = data[s]!;
  }
  return { data: out, width: ow, height: oh };
}
