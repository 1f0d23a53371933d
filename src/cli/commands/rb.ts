/** `barbucket rb [--force] oss://bucket`: removes a bucket; --force empties it first. */
import { EXIT, UsageError } from "../exit-codes.js";
import { parseOssUrl } from "../oss-url.js";
import { ossCommand } from "./common.js";
import { deletePrefix } from "./delete.js";

export const rbCommand = ossCommand({
  name: "rb",
  summary: "remove a bucket (--force deletes its objects first)",
  usage: `usage: barbucket rb [--force] oss://bucket

Removes the bucket, which must be empty (else BucketNotEmpty, exit 5) unless --force.`,
  optionsHelp: `  --force   delete every object of the bucket first`,
  options: { force: { type: "boolean" } },
  positionals: { min: 1, max: 1 },
  async run({ positionals, values, io, client }) {
    const { bucket, key } = parseOssUrl(positionals[0]!);
    if (key !== "") throw new UsageError(`rb takes a bucket, not an object: ${positionals[0]}`);
    if (values.force) {
      const n = await deletePrefix(client(bucket), "", undefined, () => {});
      if (n > 0) io.err(`deleted ${n} object(s) of oss://${bucket}/`);
    }
    await client().deleteBucket(bucket);
    io.err(`removed oss://${bucket}/`);
    return EXIT.ok;
  },
});
