/**
 * The one scanning path behind OSS `image/codes` and IMM `DetectImageCodes`: look up the object,
 * enforce the source limits, read it whole (≤ 20 MB), run the engine once per object version
 * (through the result cache), and fail with a surface-neutral ScanError that each API maps to
 * its own error format (`toOssError`, `toImmError`).
 */
import type { Services } from "../services.js";
import { NULL_VERSION, type ObjectRecord } from "../storage/types.js";
import { objectStream } from "../objects/read.js";
import { openSegments } from "../objects/sse.js";
import { CodesError, type CodesErrorKind, type DetectedCode } from "../codes/types.js";
import { OssError } from "../errors/oss-error.js";
import { readAccess } from "../objects/storage-class.js";
import { RpcError } from "../rpc/errors.js";
import { ImmAccessDenied, type ImmSourceGrant } from "./source-access.js";

/** OSS image processing refuses sources over 20 MB (oss-api.md §2.2); IMM gets the same limit here. */
export const MAX_SOURCE_BYTES = 20 * 1024 * 1024;

export type ScanFailureKind = "no-such-key" | "no-such-version" | "delete-marker" | "archived" | "source-too-large" | CodesErrorKind;

export class ScanError extends Error {
  constructor(readonly kind: ScanFailureKind, message: string, readonly key: string, readonly versionId?: string) {
    super(message);
    this.name = "ScanError";
  }
}

/**
 * What the cache stores. Deterministic failures (not an image, corrupt, over the pixel limits) are
 * cached too, so retrying a bad object does not decode it again; transient ones (busy, timeout)
 * are thrown instead and never cached.
 */
export type ScanOutcome =
  | { readonly ok: true; readonly codes: readonly DetectedCode[] }
  | { readonly ok: false; readonly kind: CodesErrorKind; readonly message: string };

const DETERMINISTIC: ReadonlySet<CodesErrorKind> = new Set(["unsupported-format", "corrupt-image", "image-too-large"]);

export interface ScanResult {
  readonly object: ObjectRecord;
  readonly codes: readonly DetectedCode[];
  /** An unrestored Archive object read through archive direct read (billed as direct-read retrieval). */
  readonly directRead: boolean;
}

/**
 * Scans the object a grant names. The grant (`authorizeImmSource`) holds the caller's and the
 * service role's rights; its object check (kms:Decrypt for SSE-KMS) runs once the object is known
 * and before any cached result is used, so a cached result never reaches a caller who may not read.
 */
export async function scanObject(services: Services, grant: ImmSourceGrant, options: { maxCodes?: number; version?: ObjectRecord } = {}): Promise<ScanResult> {
  const { bucket, key } = grant;
  // `version`: a version the OSS handler resolved from ?versionId= (its errors are GetObject's); it must be the granted one.
  if (options.version && !isGrantedVersion(grant, options.version)) throw new Error("internal: the version is not the granted object's");
  const object = options.version ?? (await grantedObject(services, grant));
  await grant.checkObject(object);
  const access = await readAccess(services.meta, object, services.clock.now());
  if (access === "archived") {
    throw new ScanError("archived", "The object must be restored before it can be processed.", key);
  }
  if (object.size > MAX_SOURCE_BYTES) {
    throw new ScanError("source-too-large", `The source image exceeds ${MAX_SOURCE_BYTES} bytes.`, key);
  }
  // image/mask-codes asks for more codes (255) than OSS's image/codes returns (config.maxCodes).
  const { codesTimeBudgetMs } = services.config;
  const maxCodes = options.maxCodes ?? services.config.maxCodes;
  const cacheKey = { bucket, key, etag: object.etag, lastModified: object.lastModified, versionId: object.versionId, work: `image/codes;max=${maxCodes}` };
  const outcome = await services.imm.results.getOrCompute(cacheKey, async (): Promise<ScanOutcome> => {
    const image = await readWhole(services, object);
    try {
      // The bytes were read for this scan alone: the pool may move them to its worker instead of copying.
      return { ok: true, codes: await services.codes.detect(image, { maxCodes, timeBudgetMs: codesTimeBudgetMs, transfer: true }) };
    } catch (error) {
      if (error instanceof CodesError && DETERMINISTIC.has(error.kind)) return { ok: false, kind: error.kind, message: error.message };
      throw error;
    }
  });
  if (!outcome.ok) throw new ScanError(outcome.kind, outcome.message, key);
  return { object, codes: outcome.codes, directRead: access === "direct-read" };
}

function isGrantedVersion(grant: ImmSourceGrant, version: ObjectRecord): boolean {
  return version.bucket === grant.bucket && version.key === grant.key && (version.versionId ?? NULL_VERSION) === grant.versionId;
}

/** The current object, or the version the grant names. */
async function grantedObject(services: Services, grant: ImmSourceGrant): Promise<ObjectRecord> {
  const { bucket, key, versionId } = grant;
  if (versionId === undefined) {
    const object = await services.meta.getObject(bucket, key);
    if (!object) throw new ScanError("no-such-key", "The specified key does not exist.", key);
    return object;
  }
  const entry = await services.meta.getObjectVersion(bucket, key, versionId);
  if (!entry) throw new ScanError("no-such-version", "The specified version does not exist.", key, versionId);
  if (entry.kind === "marker") throw new ScanError("delete-marker", "The specified version is a delete marker.", key, versionId);
  return entry.record;
}

async function readWhole(services: Services, object: ObjectRecord): Promise<Uint8Array> {
  const buffer = Buffer.allocUnsafe(object.size);
  let offset = 0;
  for await (const chunk of objectStream(await openSegments(services, object, "internal"), object)) {
    const piece = chunk as Buffer;
    if (offset + piece.length > buffer.length) throw new Error(`internal: object ${object.key} has more bytes than its size`);
    piece.copy(buffer, offset);
    offset += piece.length;
  }
  return buffer.subarray(0, offset);
}

function transientKind(error: unknown): "busy" | "timeout" | undefined {
  if (error instanceof CodesError && (error.kind === "busy" || error.kind === "timeout")) return error.kind;
  return undefined;
}

/** OSS `image/codes` errors: the classic image-processing codes and EC values (oss-api.md §1.2, §2.3). */
export function toOssError(error: unknown): unknown {
  if (error instanceof ImmAccessDenied) {
    return new OssError("AccessDenied", error.message, error.denied ? { extra: { Action: error.denied.action, Resource: error.denied.resource } } : {});
  }
  const kind = error instanceof ScanError ? error.kind : transientKind(error);
  if (kind === undefined) return error;
  const message = error instanceof Error ? error.message : String(error);
  switch (kind) {
    case "no-such-key":
      return new OssError("NoSuchKey", undefined, { extra: { Key: (error as ScanError).key } });
    // Versions: from DetectImageCodes' resolution; the OSS handlers resolve ?versionId= themselves first.
    case "no-such-version":
      return new OssError("NoSuchVersion", undefined, { extra: { Key: (error as ScanError).key, VersionId: (error as ScanError).versionId ?? "" } });
    case "delete-marker":
      return new OssError("MethodNotAllowed", "The specified method is not allowed against this resource.", { extra: { Method: "GET", ResourceType: "DeleteMarker" } });
    case "archived":
      return new OssError("InvalidObjectState", message);
    case "source-too-large":
      return new OssError("ImageTooLarge", message, { ec: "0040-00000012" });
    case "unsupported-format":
      return new OssError("BadRequest", `The source is not an image in a supported format: ${message}`, { ec: "0040-00000005" });
    case "corrupt-image":
      return new OssError("BadRequest", `The source image is corrupt: ${message}`, { ec: "0040-00000005" });
    case "image-too-large":
      return new OssError("ImageTooLarge", message, { ec: "0040-00000012" });
    case "busy":
      return new OssError("ServiceUnavailable", "Image recognition is at capacity; retry shortly.", { headers: { "retry-after": "1" } });
    case "timeout":
      return new OssError("ServiceUnavailable", "Image recognition exceeded its time budget.", { headers: { "retry-after": "1" } });
  }
}

/**
 * IMM errors. IMM's table (oss-api.md §1.1) only pins `InvalidArgument` (400) and `Missing*`; we use
 * 404 `ResourceNotFound` for a missing object (as for a missing project), 400 `InvalidArgument`
 * for anything wrong with the source itself, and 503 `ServiceUnavailable` for a saturated engine.
 */
export function toImmError(error: unknown): unknown {
  // Like authorizeImm's refusals: the POP gateway's 403 for "no permission".
  if (error instanceof ImmAccessDenied) return new RpcError(403, "Forbidden.RAM", error.message);
  if (error instanceof OssError) return new RpcError(error.status, error.code, error.message);
  const kind = error instanceof ScanError ? error.kind : transientKind(error);
  if (kind === undefined) return error;
  const message = error instanceof Error ? error.message : String(error);
  switch (kind) {
    case "no-such-key":
      return new RpcError(404, "ResourceNotFound", `The specified resource object is not found: ${(error as ScanError).key}`);
    case "no-such-version":
      return new RpcError(404, "ResourceNotFound", `The specified resource object is not found: ${versionNamed(error as ScanError)}`);
    case "delete-marker":
      return new RpcError(404, "ResourceNotFound", `The specified resource object is not found: ${versionNamed(error as ScanError)} is a delete marker`);
    case "archived":
      return new RpcError(400, "InvalidArgument", `The object is archived and must be restored before it can be processed.`);
    case "source-too-large":
      return new RpcError(400, "InvalidArgument", message);
    case "unsupported-format":
      return new RpcError(400, "InvalidArgument", `The source is not an image in a supported format: ${message}`);
    case "corrupt-image":
      return new RpcError(400, "InvalidArgument", `The source image is corrupt: ${message}`);
    case "image-too-large":
      return new RpcError(400, "InvalidArgument", `The source image is too large: ${message}`);
    case "busy":
      return new RpcError(503, "ServiceUnavailable", "Image recognition is at capacity; retry shortly.");
    case "timeout":
      return new RpcError(503, "ServiceUnavailable", "Image recognition exceeded its time budget.");
  }
}

/** `key?versionId=<id>`, as the SourceURI named it. */
function versionNamed(error: ScanError): string {
  return `${error.key}?versionId=${error.versionId ?? ""}`;
}
