/**
 * The header of a still JPEG, PNG or WebP image read in JS: format, stored size and EXIF orientation, what the
 * native luminance decoder (native-luma.ts) needs to know before it decodes.
 *
 * Why not sharp's metadata(): it runs on libuv's thread pool, so the worker waits ~0.3–0.5 ms an image for a
 * header it could read in microseconds (3 % of a worker's time idle, and another thread's CPU, over the bench's
 * throughput sample). Anything this reader does not fully understand — another format, an animation, several
 * EXIF blocks, a header that runs past the bytes — gives undefined, and sharp's probe decides as before.
 * Tested against sharp's metadata() on every suite and dataset image (still-header.test.ts).
 */

export interface StillHeader {
  format: "jpeg" | "png" | "webp";
  /** Stored size (before EXIF orientation). */
  width: number;
  height: number;
  /** EXIF orientation 1–8 (1 when absent or invalid, as libvips reads it). */
  orientation: number;
}

/** Markers and chunks visited before giving up: real headers have a handful, a hostile one may claim thousands. */
const MAX_SEGMENTS = 512;

export function readStillHeader(bytes: Uint8Array): StillHeader | undefined {
  if (bytes.length < 16) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return jpegHeader(bytes, view);
  if (view.getUint32(0) === 0x89504e47 && view.getUint32(4) === 0x0d0a1a0a) return pngHeader(bytes, view);
  if (ascii(bytes, 0, 4) === "RIFF" && ascii(bytes, 8, 4) === "WEBP") return webpHeader(bytes, view);
  return undefined;
}

function ascii(bytes: Uint8Array, at: number, n: number): string {
  return at + n <= bytes.length ? String.fromCharCode(...bytes.subarray(at, at + n)) : "";
}

function sized(format: StillHeader["format"], width: number, height: number, orientation: number): StillHeader | undefined {
  return width > 0 && height > 0 ? { format, width, height, orientation } : undefined;
}

/** JPEG: markers up to the start of scan; the frame header (SOFn) gives the size, an APP1 "Exif" block the
 * orientation (libjpeg reads every marker before the scan, so both are looked for that far). */
function jpegHeader(bytes: Uint8Array, view: DataView): StillHeader | undefined {
  let at = 2, width = 0, height = 0, frames = 0, exif: DataView | undefined, exifBlocks = 0;
  for (let n = 0; n < MAX_SEGMENTS; n++) {
    if (at + 4 > bytes.length || bytes[at] !== 0xff) return undefined;
    const marker = bytes[at + 1]!;
    if (marker === 0xff) { at++; continue; } // fill byte
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) { at += 2; continue; } // no length
    if (marker === 0xd9) return undefined; // end of image before any scan
    const length = view.getUint16(at + 2);
    if (length < 2 || at + 2 + length > bytes.length) return undefined;
    const body = at + 4;
    if (marker === 0xda) {
      // Start of scan: the header is complete. Several frames or EXIF blocks (which one wins?) and a height
      // defined later by DNL are left to libvips.
      if (frames !== 1 || exifBlocks > 1) return undefined;
      return sized("jpeg", width, height, exif ? tiffOrientation(exif) : 1);
    }
    if (isStartOfFrame(marker)) {
      if (length < 8) return undefined;
      height = view.getUint16(body + 1);
      width = view.getUint16(body + 3);
      frames++;
    } else if (marker === 0xe1 && length >= 8 && ascii(bytes, body, 6) === "Exif\0\0") {
      exif = new DataView(bytes.buffer, bytes.byteOffset + body + 6, length - 8);
      exifBlocks++;
    }
    at += 2 + length;
  }
  return undefined; // no start of scan within MAX_SEGMENTS: a later marker could still change the answer
}

function isStartOfFrame(marker: number): boolean {
  return marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
}

/** PNG: IHDR first, then the chunks before the image data for eXIf (orientation) and acTL (an animated PNG). */
function pngHeader(bytes: Uint8Array, view: DataView): StillHeader | undefined {
  if (view.getUint32(8) !== 13 || ascii(bytes, 12, 4) !== "IHDR" || bytes.length < 33) return undefined;
  const width = view.getUint32(16), height = view.getUint32(20);
  let at = 33, orientation = 1, exifBlocks = 0;
  for (let n = 0; n < MAX_SEGMENTS; n++) {
    if (at + 8 > bytes.length) return undefined;
    const length = view.getUint32(at), type = ascii(bytes, at + 4, 4);
    if (length > bytes.length - at - 12) return undefined;
    if (type === "IDAT") return exifBlocks > 1 ? undefined : sized("png", width, height, orientation);
    if (type === "acTL" || type === "IEND") return undefined;
    if (type === "eXIf") {
      orientation = tiffOrientation(new DataView(bytes.buffer, bytes.byteOffset + at + 8, length));
      exifBlocks++;
    }
    at += 12 + length;
  }
  return undefined;
}

/** WebP: the first chunk gives the size (VP8, VP8L) or the canvas and flags (VP8X: animation, EXIF). */
function webpHeader(bytes: Uint8Array, view: DataView): StillHeader | undefined {
  if (bytes.length < 30) return undefined; // the first chunk's header fields end by byte 29
  const first = ascii(bytes, 12, 4), body = 20;
  if (first === "VP8 ") {
    if (bytes[body + 3] !== 0x9d || bytes[body + 4] !== 0x01 || bytes[body + 5] !== 0x2a) return undefined;
    return sized("webp", view.getUint16(body + 6, true) & 0x3fff, view.getUint16(body + 8, true) & 0x3fff, 1);
  }
  if (first === "VP8L") {
    if (bytes[body] !== 0x2f) return undefined;
    const bits = view.getUint32(body + 1, true);
    return sized("webp", (bits & 0x3fff) + 1, ((bits >>> 14) & 0x3fff) + 1, 1);
  }
  if (first !== "VP8X") return undefined;
  const flags = bytes[body]!;
  if (flags & 0x02) return undefined; // animation
  const u24 = (at: number) => bytes[at]! | (bytes[at + 1]! << 8) | (bytes[at + 2]! << 16);
  const width = u24(body + 4) + 1, height = u24(body + 7) + 1;
  if (!(flags & 0x08)) return sized("webp", width, height, 1);
  // EXIF flag: find the chunk (after the image data, usually).
  let at = 12;
  for (let n = 0; n < MAX_SEGMENTS; n++) {
    if (at + 8 > bytes.length) return undefined;
    const length = view.getUint32(at + 4, true);
    if (length > bytes.length - at - 8) return undefined;
    if (ascii(bytes, at, 4) === "EXIF") {
      // Writers differ on whether the TIFF data is prefixed with "Exif\0\0"; libvips accepts both.
      const skip = length >= 6 && ascii(bytes, at + 8, 6) === "Exif\0\0" ? 6 : 0;
      const tiff = new DataView(bytes.buffer, bytes.byteOffset + at + 8 + skip, length - skip);
      return sized("webp", width, height, tiffOrientation(tiff));
    }
    at += 8 + length + (length & 1);
  }
  return undefined;
}

/** Orientation (tag 0x0112) from IFD0 of TIFF-structured EXIF data; 1 when absent, unreadable or out of 1–8. */
export function tiffOrientation(tiff: DataView): number {
  if (tiff.byteLength < 8) return 1;
  const order = tiff.getUint16(0);
  if (order !== 0x4949 && order !== 0x4d4d) return 1;
  const le = order === 0x4949;
  if (tiff.getUint16(2, le) !== 42) return 1;
  const ifd = tiff.getUint32(4, le);
  if (ifd + 2 > tiff.byteLength) return 1;
  const entries = tiff.getUint16(ifd, le);
  for (let i = 0; i < entries; i++) {
    const e = ifd + 2 + 12 * i;
    if (e + 12 > tiff.byteLength) return 1;
    if (tiff.getUint16(e, le) !== 0x0112) continue;
    const type = tiff.getUint16(e + 2, le);
    const value = type === 3 ? tiff.getUint16(e + 8, le) : type === 4 ? tiff.getUint32(e + 8, le) : 0;
    return value >= 1 && value <= 8 ? value : 1;
  }
  return 1;
}
