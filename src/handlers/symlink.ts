/**
 * PutSymlink / GetSymlink (`/key?symlink`) and following a symlink on GET, HEAD and copy sources.
 * A symlink is an object of type Symlink with no bytes and its own metadata; it points at a key in
 * the same bucket (`x-oss-symlink-target`, URL-encoded as ali-oss sends it). Reads serve the
 * target's bytes with the link's metadata and `x-oss-object-type: Symlink`; a missing target is
 * 404 SymlinkTargetNotExist. As on OSS, PutSymlink does not look at the target (it may be missing or
 * itself a link); a read through a link whose target is another link is 400 InvalidTargetType, so
 * following is one step.
 */
import type { RequestContext } from "../http/context.js";
import { sendEmpty } from "../http/context.js";
import { OssError } from "../errors/oss-error.js";
import { readObject, type BucketRecord, type ObjectRecord } from "../storage/types.js";
import { validateKey } from "../http/addressing.js";
import { md5Etag, quoted } from "../objects/etag.js";
import { createHash } from "node:crypto";
import { endpointKey, requireBucket } from "./types.js";
import { commitObject, fileExists, forbidOverwrite, objectFromHeaders } from "./put-object.js";
import { loadObject } from "./get-object.js";

function decodeTarget(value: string | undefined): string {
  if (value === undefined || value === "") throw new OssError("MissingArgument", "The x-oss-symlink-target header is required.", { extra: { ArgumentName: "x-oss-symlink-target" } });
  let target: string;
  try {
    target = decodeURIComponent(value);
  } catch {
    throw new OssError("InvalidArgument", "x-oss-symlink-target is not validly URL-encoded.", { extra: { ArgumentName: "x-oss-symlink-target", ArgumentValue: value } });
  }
  validateKey(target);
  return target;
}

export async function putSymlink(ctx: RequestContext, bucket: BucketRecord | undefined): Promise<void> {
  const b = requireBucket(bucket);
  const key = endpointKey(ctx);
  const target = decodeTarget(ctx.headers["x-oss-symlink-target"]);
  const noOverwrite = forbidOverwrite(ctx);
  if (noOverwrite && await ctx.services.meta.getObject(b.name, key)) throw fileExists(key);
  const build = objectFromHeaders(ctx, b, key);
  // The link's ETag is the MD5 of its target name: it changes when the link is re-pointed.
  const md5 = createHash("md5").update(target, "utf8").digest();
  const record: ObjectRecord = {
    ...build({ id: "", size: 0, md5, crc64: 0n }, { blobId: "", size: 0 }, undefined),
    etag: md5Etag(md5),
    type: "Symlink",
    segments: [],
    symlinkTarget: target,
  };
  await commitObject(ctx, record, noOverwrite);
  sendEmpty(ctx, 200, { etag: quoted(record.etag) });
}

export async function getSymlink(ctx: RequestContext, bucket: BucketRecord | undefined): Promise<void> {
  const b = requireBucket(bucket);
  const link = await loadObject(ctx, b, endpointKey(ctx));
  if (link.type !== "Symlink" || link.symlinkTarget === undefined) throw new OssError("NotSymlink", undefined, { extra: { Key: link.key } });
  sendEmpty(ctx, 200, {
    "x-oss-symlink-target": encodeURIComponent(link.symlinkTarget).replace(/%2F/g, "/"),
    etag: quoted(link.etag),
    "last-modified": link.lastModified.toUTCString(),
  });
}

/**
 * The object whose bytes a read serves: a symlink's target (404 SymlinkTargetNotExist when gone,
 * 400 InvalidTargetType when the target is itself a symlink). `readOnly` as in loadObject.
 */
export async function followSymlink(ctx: RequestContext, bucket: string, object: ObjectRecord, readOnly = false): Promise<ObjectRecord> {
  if (object.type !== "Symlink" || object.symlinkTarget === undefined) return object;
  const { meta } = ctx.services;
  const target = readOnly ? await readObject(meta, bucket, object.symlinkTarget) : await meta.getObject(bucket, object.symlinkTarget);
  if (!target) throw new OssError("SymlinkTargetNotExist", undefined, { extra: { Key: object.key, TargetKey: object.symlinkTarget } });
  if (target.type === "Symlink") throw new OssError("InvalidTargetType", "The symlink's target is itself a symlink.", { extra: { Key: object.key, TargetKey: object.symlinkTarget } });
  return target;
}

/** A target's response headers as the link presents them: the link's type, metadata and time. */
export function asLinkHeaders(headers: Record<string, string>, link: ObjectRecord): Record<string, string> {
  if (link.type !== "Symlink") return headers;
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) if (!name.startsWith("x-oss-meta-")) out[name] = value;
  for (const [name, value] of Object.entries(link.userMeta)) out[`x-oss-meta-${name}`] = value;
  out["x-oss-object-type"] = "Symlink";
  out["last-modified"] = link.lastModified.toUTCString();
  return out;
}
