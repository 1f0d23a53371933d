/** `barbucket ls [-r] [oss://bucket[/prefix]]`: buckets, or the objects and folders under a prefix. */
import { listAll } from "../client.js";
import { EXIT } from "../exit-codes.js";
import { formatOssUrl, parseOssUrl } from "../oss-url.js";
import { ossCommand } from "./common.js";

const DIR = "DIR".padStart(12);

function date(d: string | undefined): string {
  const t = d ? Date.parse(d) : NaN;
  return Number.isNaN(t) ? "-".padEnd(20) : new Date(t).toISOString().replace(/\.\d+Z$/, "Z");
}

export const lsCommand = ossCommand({
  name: "ls",
  summary: "list buckets, or objects under oss://bucket[/prefix] (-r recursive)",
  usage: `usage: barbucket ls [-r] [oss://bucket[/prefix]]

Without an argument: the buckets, one line each ("DATE  oss://bucket/").
With oss://bucket[/prefix]: the objects ("DATE  SIZE  oss://bucket/key") and, unless -r, the folders
one level down ("DIR  oss://bucket/prefix/folder/"), grouped by "/".`,
  optionsHelp: `  -r, --recursive   every object under the prefix, no folders`,
  options: { recursive: { type: "boolean", short: "r" } },
  positionals: { min: 0, max: 1 },
  async run({ positionals, values, io, client }) {
    const arg = positionals[0];
    if (arg === undefined) {
      const oss = client();
      let marker: string | undefined;
      do {
        const page = await oss.listBuckets({ "max-keys": 1000, ...(marker ? { marker } : {}) });
        for (const b of page.buckets ?? []) io.out(`${date(b.creationDate)}  ${formatOssUrl(b.name)}`);
        marker = page.isTruncated ? page.nextMarker : undefined;
      } while (marker);
      return EXIT.ok;
    }
    const { bucket, key } = parseOssUrl(arg);
    const oss = client(bucket);
    for await (const entry of listAll(oss, key, values.recursive ? undefined : "/")) {
      if (entry.prefix !== undefined) io.out(`${"".padEnd(20)}  ${DIR}  ${formatOssUrl(bucket, entry.prefix)}`);
      else if (entry.object) io.out(`${date(entry.object.lastModified)}  ${String(entry.object.size).padStart(12)}  ${formatOssUrl(bucket, entry.object.name)}`);
    }
    return EXIT.ok;
  },
});
