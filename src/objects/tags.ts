/**
 * Object and bucket tags: the `x-oss-tagging` header, the `<Tagging><TagSet><Tag>` body, and the
 * limits OSS enforces (help.aliyun.com EC pages 0010-00000209/214/217/219, 0010-00000002/207).
 * Object tags: ≤ 10, key 1–128 and value ≤ 256 characters of letters, digits, space and
 * `+ - = . _ : /`, keys unique. Bucket tags: ≤ 20, key 1–64 bytes not starting with http://,
 * https://, Aliyun or acs (any case), value ≤ 128 bytes.
 * A tag set keeps its order (pairs, not an object: numeric keys would be reordered).
 */
import { OssError } from "../errors/oss-error.js";
import { asArray, parseXmlBody, textOf, type XmlNode } from "../http/xml.js";

export type TagSet = ReadonlyArray<readonly [string, string]>;

const MAX_OBJECT_TAGS = 10;
const MAX_BUCKET_TAGS = 20;
const OBJECT_TAG_CHARS = /^[A-Za-z0-9 +\-=._:/]*$/;
const RESERVED_BUCKET_PREFIX = /^(http:\/\/|https:\/\/|aliyun|acs)/i;

function invalidTag(message: string, ec: string, key?: string): OssError {
  return new OssError("InvalidTag", message, { ec, ...(key !== undefined && { extra: { TagKey: key } }) });
}

function checkUnique(tags: TagSet): void {
  const seen = new Set<string>();
  for (const [key] of tags) {
    if (seen.has(key)) throw invalidTag(`The tag key "${key}" is used more than once.`, "0010-00000217", key);
    seen.add(key);
  }
}

export function validateObjectTags(tags: TagSet): TagSet {
  if (tags.length > MAX_OBJECT_TAGS) throw invalidTag(`An object can have at most ${MAX_OBJECT_TAGS} tags.`, "0010-00000217");
  for (const [key, value] of tags) {
    if (key.length === 0) throw invalidTag("A tag key must not be empty.", "0010-00000217", key);
    if ([...key].length > 128) throw invalidTag("A tag key can be at most 128 characters long.", "0010-00000209", key);
    if ([...value].length > 256) throw invalidTag("A tag value can be at most 256 characters long.", "0010-00000214", key);
    if (!OBJECT_TAG_CHARS.test(key) || !OBJECT_TAG_CHARS.test(value)) {
      throw invalidTag("Tags may contain letters, digits, spaces and + - = . _ : / only.", "0010-00000217", key);
    }
  }
  checkUnique(tags);
  return tags;
}

export function validateBucketTags(tags: TagSet): TagSet {
  if (tags.length > MAX_BUCKET_TAGS) throw invalidTag(`A bucket can have at most ${MAX_BUCKET_TAGS} tags.`, "0010-00000219");
  for (const [key, value] of tags) {
    if (key.length === 0 || Buffer.byteLength(key) > 64) throw invalidTag("A bucket tag key must be 1 to 64 bytes long.", "0010-00000219", key);
    if (RESERVED_BUCKET_PREFIX.test(key)) {
      throw invalidTag("A bucket tag key must not start with http://, https://, Aliyun or acs.", key.toLowerCase().startsWith("acs") ? "0010-00000002" : "0010-00000207", key);
    }
    if (Buffer.byteLength(value) > 128) throw invalidTag("A bucket tag value can be at most 128 bytes long.", "0010-00000219", key);
  }
  checkUnique(tags);
  return tags;
}

function decodeComponent(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, " "));
  } catch {
    throw invalidTag("x-oss-tagging is not validly URL-encoded.", "0010-00000219");
  }
}

/** `x-oss-tagging: k1=v1&k2` (URL-encoded; a key alone has an empty value). */
export function parseTaggingHeader(value: string | undefined): TagSet | undefined {
  if (value === undefined) return undefined;
  const tags: Array<[string, string]> = [];
  for (const part of value.split("&")) {
    if (part === "") continue;
    const pieces = part.split("=");
    if (pieces.length > 2) throw invalidTag(`x-oss-tagging must be key or key=value pairs joined by &: "${part}".`, "0010-00000219");
    tags.push([decodeComponent(pieces[0] ?? ""), decodeComponent(pieces[1] ?? "")]);
  }
  return validateObjectTags(tags);
}

/** `<Tagging><TagSet><Tag><Key/><Value/></Tag>…</TagSet></Tagging>` → pairs (validation is the caller's). */
export function parseTaggingXml(body: Buffer): TagSet {
  const root = parseXmlBody(body, "Tagging");
  if (root.TagSet === undefined) throw new OssError("MalformedXML", "Tagging needs a TagSet.", { ec: "0010-00000103" });
  const set = root.TagSet === "" ? {} : (root.TagSet as Record<string, unknown>);
  if (typeof set !== "object") throw new OssError("MalformedXML");
  return asArray(set.Tag).map((tag) => {
    const t = (tag ?? {}) as Record<string, unknown>;
    const key = textOf(t.Key);
    if (key === undefined) throw new OssError("MalformedXML", "Every Tag needs a Key.");
    return [key, textOf(t.Value) ?? ""] as const;
  });
}

export function taggingXml(tags: TagSet | undefined): XmlNode {
  return { TagSet: { Tag: (tags ?? []).map(([Key, Value]) => ({ Key, Value })) } };
}

/** Whether every (key, value) of `filter` is on the object. */
export function hasAllTags(tags: TagSet | undefined, filter: TagSet): boolean {
  return filter.every(([k, v]) => (tags ?? []).some(([tk, tv]) => tk === k && tv === v));
}
