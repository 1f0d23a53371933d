/** `image/average-hue`: the mean colour, as OSS answers it: `{"RGB":"0x5c783b"}`. */
import { OssError } from "../../errors/oss-error.js";
import type { ImageAction } from "../registry.js";
import { openSource } from "../source.js";

export interface AverageHueStep {
  readonly action: "average-hue";
}

export const averageHueAction: ImageAction<AverageHueStep> = {
  name: "average-hue",
  kind: "json",
  parse(params) {
    for (const [k] of params) throw new OssError("InvalidArgument", `image/average-hue takes no parameters (got "${k}").`);
    return { action: "average-hue" };
  },
  async json(source) {
    // Transparent pixels count as the white they are shown on.
    const stats = await openSource(source).flatten({ background: "#ffffff" }).toColourspace("srgb").stats();
    const mean = (i: number) => Math.round(stats.channels[Math.min(i, stats.channels.length - 1)]!.mean);
    const hex = [0, 1, 2].map((i) => mean(i).toString(16).padStart(2, "0")).join("");
    return { RGB: `0x${hex}` };
  },
};
