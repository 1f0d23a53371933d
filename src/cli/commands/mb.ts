/** `barbucket mb [--acl A] [--storage-class C] oss://bucket`: creates a bucket. */
import { EXIT, UsageError } from "../exit-codes.js";
import { parseOssUrl } from "../oss-url.js";
import { ossCommand } from "./common.js";

const ACLS = ["private", "public-read", "public-read-write"];
const CLASSES = ["Standard", "IA", "Archive", "ColdArchive", "DeepColdArchive"];

export const mbCommand = ossCommand({
  name: "mb",
  summary: "make a bucket (--acl, --storage-class)",
  usage: `usage: barbucket mb [--acl ACL] [--storage-class CLASS] oss://bucket

Creates the bucket.`,
  optionsHelp: `  --acl ACL              ${ACLS.join(" | ")} (default private)
  --storage-class CLASS  ${CLASSES.join(" | ")} (default Standard)`,
  options: { acl: { type: "string" }, "storage-class": { type: "string" } },
  positionals: { min: 1, max: 1 },
  async run({ positionals, values, io, client }) {
    const { bucket, key } = parseOssUrl(positionals[0]!);
    if (key !== "") throw new UsageError(`mb takes a bucket, not an object: ${positionals[0]}`);
    const acl = values.acl as string | undefined;
    const storageClass = values["storage-class"] as string | undefined;
    if (acl !== undefined && !ACLS.includes(acl)) throw new UsageError(`--acl must be one of ${ACLS.join(", ")}`);
    if (storageClass !== undefined && !CLASSES.includes(storageClass)) throw new UsageError(`--storage-class must be one of ${CLASSES.join(", ")}`);
    await client().putBucket(bucket, { ...(acl ? { acl } : {}), ...(storageClass ? { storageClass } : {}) });
    io.err(`made oss://${bucket}/`);
    return EXIT.ok;
  },
});
