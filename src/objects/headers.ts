/**
 * Object metadata carried in headers: what PutObject / Initiate / Copy(REPLACE) store, and what
 * GET / HEAD send back.
 */
import { OssError } from "../errors/oss-error.js";
import type { ObjectAcl, ObjectRecord, StorageClass } from "../storage/types.js";
import { quoted } from "./etag.js";
import { restoreHeader } from "./storage-class.js";
import { encryptionHeaders } from "./sse.js";

/** Standard headers OSS stores with an object and replays on GET. */
export const STORED_HEADERS = ["cache-control", "content-disposition", "content-encoding", "content-language", "expires"] as const;

const ACLS: readonly string[] = ["private", "public-read", "public-read-write", "default"];
const STORAGE_CLASSES: readonly StorageClass[] = ["Standard", "IA", "Archive", "ColdArchive", "DeepColdArchive"];
const MAX_USER_META_BYTES = 8 * 1024;

export interface ObjectMetadataInput {
  readonly contentType: string;
  readonly headers: Record<string, string>;
  readonly userMeta: Record<string, string>;
}

export function metadataFromHeaders(headers: Readonly<Record<string, string>>, key: string): ObjectMetadataInput {
  const stored: Record<string, string> = {};
  for (const name of STORED_HEADERS) {
    const value = headers[name];
    if (value !== undefined) stored[name] = value;
  }
  const userMeta: Record<string, string> = {};
  let metaBytes = 0;
  for (const [name, value] of Object.entries(headers)) {
    if (!name.startsWith("x-oss-meta-")) continue;
    const short = name.slice("x-oss-meta-".length);
    metaBytes += Buffer.byteLength(short) + Buffer.byteLength(value);
    userMeta[short] = value;
  }
  if (metaBytes > MAX_USER_META_BYTES) {
    throw new OssError("InvalidArgument", "The user metadata (x-oss-meta-*) must not exceed 8 KB in total.", {
      extra: { ArgumentName: "x-oss-meta-*", ArgumentValue: String(metaBytes) },
    });
  }
  return { contentType: headers["content-type"] || guessContentType(key), headers: stored, userMeta };
}

export function parseObjectAcl(value: string | undefined, fallback: ObjectAcl = "default"): ObjectAcl {
  if (value === undefined) return fallback;
  if (!ACLS.includes(value)) {
    throw new OssError("InvalidArgument", "no such object access control exists", { extra: { ArgumentName: "x-oss-object-acl", ArgumentValue: value } });
  }
  return value as ObjectAcl;
}

export function parseStorageClass(value: string | undefined, fallback: StorageClass): StorageClass {
  if (value === undefined) return fallback;
  const match = STORAGE_CLASSES.find((c) => c.toLowerCase() === value.toLowerCase());
  if (!match) {
    throw new OssError("InvalidArgument", "Invalid storage class.", { extra: { ArgumentName: "x-oss-storage-class", ArgumentValue: value } });
  }
  return match;
}

/**
 * objectHeaders of records a store keeps frozen (its cache, MetadataStore.peekObject), computed once
 * per record: without a restore they depend on nothing else. Held as long as the record is.
 */
const headersOfFrozen = new WeakMap<ObjectRecord, Readonly<Record<string, string>>>();

/** Headers of GET / HEAD responses for an object; `now` (the Clock's) adds x-oss-restore for archive objects. A fresh object each call. */
export function objectHeaders(object: ObjectRecord, now?: Date): Record<string, string> {
  if (object.restore !== undefined || !Object.isFrozen(object)) return buildObjectHeaders(object, now);
  let headers = headersOfFrozen.get(object);
  if (headers === undefined) headersOfFrozen.set(object, (headers = buildObjectHeaders(object, undefined)));
  return { ...headers };
}

function buildObjectHeaders(object: ObjectRecord, now: Date | undefined): Record<string, string> {
  const out: Record<string, string> = {
    "content-type": object.contentType,
    etag: quoted(object.etag),
    "last-modified": object.lastModified.toUTCString(),
    "x-oss-object-type": object.type,
    "x-oss-storage-class": object.storageClass,
    "x-oss-hash-crc64ecma": object.crc64,
    "accept-ranges": "bytes",
  };
  for (const name in object.headers) out[name] = object.headers[name]!;
  for (const name in object.userMeta) out[`x-oss-meta-${name}`] = object.userMeta[name]!;
  if (object.type === "Appendable") out["x-oss-next-append-position"] = String(object.size);
  if (object.tags && object.tags.length > 0) out["x-oss-tagging-count"] = String(object.tags.length);
  if (object.versionId !== undefined) out["x-oss-version-id"] = object.versionId;
  const restore = now && restoreHeader(object, now);
  if (restore) out["x-oss-restore"] = restore;
  return object.serverSideEncryption ? { ...out, ...encryptionHeaders(object.serverSideEncryption) } : out;
}

const TYPES: Record<string, string> = {
  txt: "text/plain", html: "text/html", htm: "text/html", css: "text/css", js: "application/javascript",
  json: "application/json", xml: "application/xml", png: "image/png", jpg: "image/jpeg", jpeg: "image/jpeg",
  gif: "image/gif", webp: "image/webp", bmp: "image/bmp", tif: "image/tiff", tiff: "image/tiff",
  svg: "image/svg+xml", heic: "image/heic", avif: "image/avif", pdf: "application/pdf", zip: "application/zip",
  mp4: "video/mp4", mp3: "audio/mpeg",
};

/** OSS picks a Content-Type from the extension when the request sends none. */
export function guessContentType(key: string): string {
  const dot = key.lastIndexOf(".");
  const ext = dot >= 0 ? key.slice(dot + 1).toLowerCase() : "";
  return TYPES[ext] ?? "application/octet-stream";
}
