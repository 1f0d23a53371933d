/**
 * Reading and validating IMM request parameters. Errors follow IMM's table (oss-api.md §1.1):
 * an absent (or empty) required parameter is 400 `Missing{Name}` "{Name} is mandatory for this
 * action."; a present but malformed one is 400 `InvalidArgument`.
 */
import { RpcError } from "../rpc/errors.js";
import { isValidBucketName } from "../http/addressing.js";
import { hasVersionIdShape } from "../storage/version-id.js";
import type { ProjectTag } from "./project-store.js";

export type Params = Readonly<Record<string, string>>;

export function invalid(message: string): RpcError {
  return new RpcError(400, "InvalidArgument", message);
}

export function optional(params: Params, name: string): string | undefined {
  const value = params[name];
  return value === undefined || value === "" ? undefined : value;
}

export function required(params: Params, name: string): string {
  const value = optional(params, name);
  if (value === undefined) throw new RpcError(400, `Missing${name}`, `${name} is mandatory for this action.`);
  return value;
}

/**
 * Project names as the IMM SDK documents them (CreateProjectRequest): 1–128 characters of letters,
 * digits, `-` and `_`, starting with a letter or `_`. (Not with a digit: the SDK text says
 * "must start with a letter or an underscore", and we follow it.)
 */
const PROJECT_NAME = /^[A-Za-z_][A-Za-z0-9_-]{0,127}$/;

export function isValidProjectName(name: string): boolean {
  return PROJECT_NAME.test(name);
}

export function projectName(params: Params): string {
  const name = required(params, "ProjectName");
  if (!isValidProjectName(name)) {
    throw invalid(`The ProjectName "${name}" is invalid: use 1 to 128 letters, digits, hyphens or underscores, starting with a letter or an underscore.`);
  }
  return name;
}

export function bucketName(params: Params, name = "OSSBucket"): string {
  const bucket = required(params, name);
  if (!isValidBucketName(bucket)) throw invalid(`The ${name} "${bucket}" is not a valid OSS bucket name.`);
  return bucket;
}

/** Free text with IMM's length bound (project: 256, attachment: 128); empty means "none". */
export function description(params: Params, max: number): string {
  const text = optional(params, "Description") ?? "";
  if ([...text].length > max) throw invalid(`The Description must be at most ${max} characters long.`);
  return text;
}

export function integer(params: Params, name: string, min: number, max: number): number | undefined {
  const raw = optional(params, name);
  if (raw === undefined) return undefined;
  const value = Number(raw);
  // Some IMM quotas (DatasetMaxTotalFileSize, default 9e16) exceed 2^53: those are kept as doubles.
  if (!/^-?\d+$/.test(raw) || value < min || value > max) {
    throw invalid(`The ${name} "${raw}" is invalid: expected an integer from ${min} to ${max}.`);
  }
  return value;
}

export function boolean(params: Params, name: string): boolean | undefined {
  const raw = optional(params, name);
  if (raw === undefined) return undefined;
  if (raw === "true") return true;
  if (raw === "false") return false;
  throw invalid(`The ${name} "${raw}" is invalid: expected true or false.`);
}

const MAX_TAGS = 20;

/**
 * `Tag` as the Darabonba SDKs send it (a JSON array string, "shrink" style) or as pop-core
 * flattens an array (`Tag.1.Key`, `Tag.1.Value`, …).
 */
export function tags(params: Params): ProjectTag[] {
  let raw: unknown[];
  const json = optional(params, "Tag");
  if (json !== undefined) {
    try {
      raw = JSON.parse(json) as unknown[];
    } catch {
      throw invalid("The Tag parameter is not valid JSON.");
    }
    if (!Array.isArray(raw)) throw invalid("The Tag parameter must be a JSON array of {Key, Value}.");
  } else {
    raw = [];
    for (let i = 1; params[`Tag.${i}.Key`] !== undefined || params[`Tag.${i}.Value`] !== undefined; i++) {
      raw.push({ Key: params[`Tag.${i}.Key`], Value: params[`Tag.${i}.Value`] ?? "" });
    }
  }
  if (raw.length > MAX_TAGS) throw invalid(`At most ${MAX_TAGS} tags are allowed.`);
  const seen = new Set<string>();
  return raw.map((item) => {
    const { Key: key, Value: value = "" } = (item ?? {}) as { Key?: unknown; Value?: unknown };
    if (typeof key !== "string" || key.length < 1 || key.length > 128) throw invalid("Each tag needs a Key of 1 to 128 characters.");
    if (typeof value !== "string" || value.length > 128) throw invalid(`The value of tag "${key}" must be a string of at most 128 characters.`);
    if (seen.has(key)) throw invalid(`The tag key "${key}" is repeated.`);
    seen.add(key);
    return { key, value };
  });
}

export interface OssSource {
  readonly bucket: string;
  readonly key: string;
  /** A version named by the Barbucket extension `oss://bucket/key?versionId=<id>`. */
  readonly versionId?: string;
}

/** `oss://bucket/key` → parts. IMM takes the key literally (no percent-decoding). */
export function ossUri(params: Params, name = "SourceURI"): { bucket: string; key: string } {
  const uri = required(params, name);
  return withValidKey(name, uri, splitOssUri(name, uri));
}

const VERSION_SUFFIX = /^(.+)\?versionId=([^?]*)$/s;

/**
 * A SourceURI that may name a version. IMM documents no version parameter, and the IMM SDKs' typed
 * requests drop fields they do not know, so the version rides in the URI: a trailing
 * `?versionId=<id>` whose id has the shape of this server's version ids. Anything else (keys may
 * hold `?`, even `?versionId=` followed by other text) stays part of the key; a key that ends in
 * such a suffix itself is named with its own version appended.
 */
export function ossSourceUri(params: Params, name = "SourceURI"): OssSource {
  const uri = required(params, name);
  const { bucket, key } = splitOssUri(name, uri);
  const [, base = "", versionId = ""] = VERSION_SUFFIX.exec(key) ?? [];
  return withValidKey(name, uri, hasVersionIdShape(versionId) ? { bucket, key: base, versionId } : { bucket, key });
}

function splitOssUri(name: string, uri: string): { bucket: string; key: string } {
  const match = /^oss:\/\/([^/]+)\/(.+)$/.exec(uri);
  if (!match) throw invalid(`The ${name} "${uri}" is invalid: expected oss://\${Bucket}/\${Object}.`);
  const [, bucket = "", key = ""] = match;
  if (!isValidBucketName(bucket)) throw invalid(`The ${name} "${uri}" is invalid: "${bucket}" is not a valid bucket name.`);
  return { bucket, key };
}

function withValidKey<T extends { key: string }>(name: string, uri: string, source: T): T {
  if (Buffer.byteLength(source.key) > 1023) throw invalid(`The ${name} "${uri}" is invalid: the object name is longer than 1023 bytes.`);
  return source;
}
