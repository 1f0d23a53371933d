/** `barbucket stat [--json] oss://bucket[/key]`: an object's size, type, ETag, metadata and headers; or a bucket's info. */
import { EXIT } from "../exit-codes.js";
import { parseOssUrl } from "../oss-url.js";
import { ossCommand } from "./common.js";

export const statCommand = ossCommand({
  name: "stat",
  summary: "an object's metadata and headers, or a bucket's info",
  usage: `usage: barbucket stat [--json] oss://bucket[/key]

For an object (HeadObject): Key, Size, Content-Type, ETag, Last-Modified, Storage-Class, user
metadata (x-oss-meta-*) and every response header. For a bucket (GetBucketInfo): its fields.`,
  optionsHelp: `  --json   one JSON object instead of "Name: value" lines`,
  options: { json: { type: "boolean" } },
  positionals: { min: 1, max: 1 },
  async run({ positionals, values, io, client }) {
    const { bucket, key } = parseOssUrl(positionals[0]!);
    if (key === "") {
      const { bucket: info } = await client().getBucketInfo(bucket);
      if (values.json) io.out(JSON.stringify(info));
      else for (const [k, v] of Object.entries(info)) io.out(`${k}: ${typeof v === "object" ? JSON.stringify(v) : String(v)}`);
      return EXIT.ok;
    }
    const head = await client(bucket).head(key);
    const h = head.res.headers;
    const summary = {
      Key: key,
      Size: Number(h["content-length"] ?? 0),
      ContentType: h["content-type"] ?? "",
      ETag: (h["etag"] ?? "").replace(/"/g, ""),
      LastModified: h["last-modified"] ?? "",
      StorageClass: h["x-oss-storage-class"] ?? "",
      ObjectType: h["x-oss-object-type"] ?? "",
      Meta: head.meta ?? {},
      Headers: h,
    };
    if (values.json) {
      io.out(JSON.stringify(summary));
      return EXIT.ok;
    }
    const rows: [string, string][] = [
      ["Key", `oss://${bucket}/${key}`],
      ["Size", String(summary.Size)],
      ["Content-Type", summary.ContentType],
      ["ETag", summary.ETag],
      ["Last-Modified", summary.LastModified],
      ["Storage-Class", summary.StorageClass],
      ["Object-Type", summary.ObjectType],
      ...Object.entries(summary.Meta).map(([k, v]): [string, string] => [`Meta-${k}`, v]),
    ];
    const width = Math.max(...rows.map(([k]) => k.length));
    for (const [k, v] of rows) io.out(`${(k + ":").padEnd(width + 1)} ${v}`);
    io.out("Headers:");
    for (const [k, v] of Object.entries(h).sort()) io.out(`  ${k}: ${v}`);
    return EXIT.ok;
  },
});
