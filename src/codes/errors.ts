/** Maps sharp/libvips and zxing failures to `CodesError` kinds. */
import { CodesError } from "./types.js";

export { CodesError };

const UNSUPPORTED = [
  /unsupported image format/i,
  /input buffer contains unsupported image format/i,
  /input buffer is empty/i,
  /input file is missing/i,
  /is not a known file format/i,
  /heif: .*unsupported/i,
  /No decoding plugin/i,
];
const TOO_LARGE = [/exceeds pixel limit/i, /too large/i, /image too big/i, /dimensions.*exceed/i];

/** Turn any error thrown while probing/decoding an image into a CodesError. */
export function toCodesError(err: unknown): CodesError {
  if (err instanceof CodesError) return err;
  const message = err instanceof Error ? err.message : String(err);
  if (UNSUPPORTED.some((re) => re.test(message))) {
    return new CodesError("unsupported-format", "The image format is not supported.");
  }
  if (TOO_LARGE.some((re) => re.test(message))) {
    return new CodesError("image-too-large", "The image exceeds the size limits.");
  }
  if (err instanceof RangeError && /allocat|memory/i.test(message)) {
    return new CodesError("image-too-large", "The image needs too much memory to scan.");
  }
  // Everything else libvips says about a recognised format (truncated, bad huffman, CRC, …) is corruption.
  return new CodesError("corrupt-image", `The image data is corrupt or truncated: ${firstLine(message)}`);
}

function firstLine(s: string): string {
  const line = s.split("\n", 1)[0] ?? "";
  return line.length > 200 ? line.slice(0, 200) + "…" : line;
}
