/**
 * ListObjectVersions (GET /?versions): keys in UTF-8 order, each key's versions newest first,
 * delete markers interleaved where they fall (so the body is written as an ordered sequence).
 * Paged from the metadata index by key-marker + version-id-marker.
 */
import type { RequestContext } from "../http/context.js";
import { isoDate, sendXmlString } from "../http/context.js";
import { OssError } from "../errors/oss-error.js";
import { toXmlSequence, type XmlValue } from "../http/xml.js";
import { NULL_VERSION, type BucketRecord, type VersionEntry } from "../storage/types.js";
import { quoted } from "../objects/etag.js";
import { restoreHeader } from "../objects/storage-class.js";
import { encoder, parseMaxKeys } from "./list-params.js";
import { requireBucket } from "./types.js";

function entryElement(entry: VersionEntry, encode: (s: string) => string, now: Date): [string, XmlValue] {
  if (entry.kind === "marker") {
    const m = entry.marker;
    return ["DeleteMarker", {
      Key: encode(m.key),
      VersionId: m.versionId ?? NULL_VERSION,
      IsLatest: entry.isLatest,
      LastModified: isoDate(m.lastModified),
      Owner: { ID: m.owner, DisplayName: m.owner },
    }];
  }
  const o = entry.record;
  return ["Version", {
    Key: encode(o.key),
    VersionId: o.versionId ?? NULL_VERSION,
    IsLatest: entry.isLatest,
    LastModified: isoDate(o.lastModified),
    ETag: quoted(o.etag),
    Type: o.type,
    Size: o.size,
    StorageClass: o.storageClass,
    Owner: { ID: o.owner, DisplayName: o.owner },
    RestoreInfo: restoreHeader(o, now),
  }];
}

export async function listObjectVersions(ctx: RequestContext, bucket: BucketRecord | undefined): Promise<void> {
  const b = requireBucket(bucket);
  const q = ctx.query;
  const prefix = q.get("prefix") ?? "";
  const delimiter = q.get("delimiter") ?? "";
  const keyMarker = q.get("key-marker") ?? "";
  const versionIdMarker = q.get("version-id-marker") ?? "";
  if (versionIdMarker !== "" && keyMarker === "") {
    throw new OssError("InvalidArgument", "A version-id marker cannot be specified without a key marker.", {
      extra: { ArgumentName: "version-id-marker", ArgumentValue: versionIdMarker },
    });
  }
  const maxKeys = parseMaxKeys(q.get("max-keys"), 100);
  const encode = encoder(q.get("encoding-type"));
  const page = maxKeys === 0
    ? { entries: [], commonPrefixes: [], isTruncated: false, nextKeyMarker: undefined, nextVersionIdMarker: undefined }
    : await ctx.services.meta.listObjectVersions({ bucket: b.name, prefix, delimiter, keyMarker, versionIdMarker, maxKeys });
  const now = ctx.services.clock.now();
  const elements: [string, XmlValue][] = [
    ["Name", b.name],
    ["Prefix", encode(prefix)],
    ["KeyMarker", encode(keyMarker)],
    ["VersionIdMarker", versionIdMarker],
    ["MaxKeys", maxKeys],
    ["Delimiter", encode(delimiter)],
    ["EncodingType", q.get("encoding-type") || undefined],
    ["IsTruncated", page.isTruncated],
    ["NextKeyMarker", page.nextKeyMarker !== undefined ? encode(page.nextKeyMarker) : undefined],
    ["NextVersionIdMarker", page.nextVersionIdMarker],
    ...page.entries.map((entry) => entryElement(entry, encode, now)),
    ...page.commonPrefixes.map((p): [string, XmlValue] => ["CommonPrefixes", { Prefix: encode(p) }]),
  ];
  sendXmlString(ctx, 200, toXmlSequence("ListVersionsResult", elements, { xmlns: true }));
}
