/** ListObjects (v1, marker paging) and ListObjectsV2 (continuation tokens). */
import type { RequestContext } from "../http/context.js";
import { isoDate, sendXml } from "../http/context.js";
import { OssError } from "../errors/oss-error.js";
import type { BucketRecord, ListObjectsPage, ObjectRecord } from "../storage/types.js";
import { quoted } from "../objects/etag.js";
import { encoder, parseMaxKeys } from "./list-params.js";
import { requireBucket } from "./types.js";
import { compareKeys } from "../storage/list-page.js";
import { restoreHeader } from "../objects/storage-class.js";

async function listPage(ctx: RequestContext, bucket: string, prefix: string, delimiter: string, after: string, maxKeys: number): Promise<ListObjectsPage> {
  if (maxKeys === 0) return { objects: [], commonPrefixes: [], isTruncated: false, nextMarker: undefined };
  return await ctx.services.meta.listObjects({ bucket, prefix, delimiter, after, maxKeys });
}

function contents(objects: ObjectRecord[], encode: (s: string) => string, withOwner: boolean, now: Date): unknown[] {
  return objects.map((o) => ({
    Key: encode(o.key),
    LastModified: isoDate(o.lastModified),
    ETag: quoted(o.etag),
    Type: o.type,
    Size: o.size,
    StorageClass: o.storageClass,
    Owner: withOwner ? { ID: o.owner, DisplayName: o.owner } : undefined,
    RestoreInfo: restoreHeader(o, now), // as x-oss-restore: only while a restore is ongoing or readable
  }));
}

export async function listObjects(ctx: RequestContext, bucket: BucketRecord | undefined): Promise<void> {
  const b = requireBucket(bucket);
  const q = ctx.query;
  const prefix = q.get("prefix") ?? "";
  const delimiter = q.get("delimiter") ?? "";
  const marker = q.get("marker") ?? "";
  const maxKeys = parseMaxKeys(q.get("max-keys"), 100);
  const encode = encoder(q.get("encoding-type"));
  const page = await listPage(ctx, b.name, prefix, delimiter, marker, maxKeys);
  sendXml(
    ctx,
    200,
    "ListBucketResult",
    {
      Name: b.name,
      Prefix: encode(prefix),
      Marker: encode(marker),
      MaxKeys: maxKeys,
      Delimiter: encode(delimiter),
      EncodingType: q.get("encoding-type") || undefined,
      IsTruncated: page.isTruncated,
      NextMarker: page.isTruncated && page.nextMarker !== undefined ? encode(page.nextMarker) : undefined,
      Contents: contents(page.objects, encode, true, ctx.services.clock.now()) as never,
      CommonPrefixes: page.commonPrefixes.map((p) => ({ Prefix: encode(p) })),
    },
    { xmlns: true },
  );
}

/** Continuation tokens are opaque to clients: base64url of the last key returned. */
function decodeToken(token: string): string {
  const key = Buffer.from(token, "base64url").toString("utf8");
  if (Buffer.from(key, "utf8").toString("base64url") !== token) {
    throw new OssError("InvalidArgument", "The continuation token provided is incorrect.", {
      extra: { ArgumentName: "continuation-token", ArgumentValue: token },
    });
  }
  return key;
}

export async function listObjectsV2(ctx: RequestContext, bucket: BucketRecord | undefined): Promise<void> {
  const b = requireBucket(bucket);
  const q = ctx.query;
  const prefix = q.get("prefix") ?? "";
  const delimiter = q.get("delimiter") ?? "";
  const startAfter = q.get("start-after") ?? "";
  const token = q.get("continuation-token");
  const maxKeys = parseMaxKeys(q.get("max-keys"), 100);
  const encode = encoder(q.get("encoding-type"));
  const fetchOwner = q.get("fetch-owner") === "true";
  const tokenKey = token ? decodeToken(token) : "";
  // Keys are ordered by UTF-8 bytes (as listings are), not by UTF-16 code units.
  const after = compareKeys(tokenKey, startAfter) > 0 ? tokenKey : startAfter;
  const page = await listPage(ctx, b.name, prefix, delimiter, after, maxKeys);
  sendXml(
    ctx,
    200,
    "ListBucketResult",
    {
      Name: b.name,
      Prefix: encode(prefix),
      StartAfter: q.has("start-after") ? encode(startAfter) : undefined,
      ContinuationToken: token || undefined,
      MaxKeys: maxKeys,
      Delimiter: encode(delimiter),
      EncodingType: q.get("encoding-type") || undefined,
      IsTruncated: page.isTruncated,
      NextContinuationToken:
        page.isTruncated && page.nextMarker !== undefined ? Buffer.from(page.nextMarker, "utf8").toString("base64url") : undefined,
      KeyCount: page.objects.length + page.commonPrefixes.length,
      Contents: contents(page.objects, encode, fetchOwner, ctx.services.clock.now()) as never,
      CommonPrefixes: page.commonPrefixes.map((p) => ({ Prefix: encode(p) })),
    },
    { xmlns: true },
  );
}
