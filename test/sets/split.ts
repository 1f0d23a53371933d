/**
 * The fixed tuning / validation split of every image set (real and generated).
 *
 * An image belongs to one half for ever: the half is a function of the set's name and the image's id only
 * (SHA-256, first byte's low bit), so adding images never moves old ones, and no one can pick the halves.
 * Decisions (keep a step, choose a threshold) are made on the tuning half; figures are reported on the
 * validation half, which a step must improve to be kept.
 */
import { createHash } from "node:crypto";

export type Half = "tune" | "validation";

export function halfOf(set: string, id: string): Half {
  const first = createHash("sha256").update(`${set}/${id}`).digest()[0]!;
  return (first & 1) === 0 ? "tune" : "validation";
}
