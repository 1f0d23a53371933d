/** `barbucket cat oss://bucket/key`: the object's bytes on stdout. */
import { pipeline } from "node:stream/promises";
import { EXIT, UsageError } from "../exit-codes.js";
import { parseOssUrl } from "../oss-url.js";
import { ossCommand } from "./common.js";

export const catCommand = ossCommand({
  name: "cat",
  summary: "write an object to stdout",
  usage: `usage: barbucket cat oss://bucket/key

Streams the object's bytes to stdout.`,
  options: {},
  positionals: { min: 1, max: 1 },
  async run({ positionals, client }) {
    const { bucket, key } = parseOssUrl(positionals[0]!);
    if (key === "") throw new UsageError("cat needs an object key");
    const { stream } = await client(bucket).getStream(key);
    await pipeline(stream, process.stdout, { end: false });
    return EXIT.ok;
  },
});
