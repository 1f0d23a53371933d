/**
 * Turns one finished request into billable quantities, the way OSS and IMM bill them.
 *
 * Request classes (OSS "API operation calling fees", alibabacloud.com/help/en/oss/api-operation-calling-fees):
 * - Only requests answered 2xx/3xx are billed ("not charged for requests with HTTP status codes
 *   4xx and 5xx"), so failed requests count no GetRequest/PutRequest.
 * - PUT-type: everything that writes or lists — PutObject, CopyObject, AppendObject, DeleteObject,
 *   DeleteMultipleObjects, every multipart step (incl. ListParts/ListMultipartUploads), RestoreObject,
 *   PutObjectAcl, bucket creation/deletion/configuration, and — unlike S3's naming suggests —
 *   ListObjects/ListObjectsV2 (GetBucket) and ListBuckets (GetService), which OSS lists as PUT requests.
 * - GET-type: reads of one object or one bucket setting — GetObject, HeadObject, GetObjectMeta,
 *   GetObjectAcl, image processing (image/codes is billed as a GetObject request), HeadBucket,
 *   GetBucketInfo/Location/Acl/Policy and the other GetBucketXxx settings.
 * - Unknown OSS operations fall back by name: GetXxx/HeadXxx → GET, everything else → PUT.
 * - The class is the storage class of the object touched; requests that touch no object are billed
 *   as Standard (we do not know the bucket's default class here).
 *
 * Traffic and retrieval:
 * - Egress = response body bytes actually sent (a cut-off download counts what was streamed), split
 *   internet/internal by the peer address (see networks.ts). RPC traffic is not OSS traffic.
 * - IA retrieval = bytes read from an IA object by GetObject ("HTTP Range → bytes retrieved").
 * - Archive direct-read retrieval = bytes read from an Archive object through archive direct read
 *   (the response body for GetObject; the whole source for image/codes, via `retrievalBytes`).
 * - Acceleration = request + response bytes of a request whose Host is under an acceleration domain
 *   (OSS bills accelerated upload and download traffic).
 * - RestoreObject counts one RestoreRequest (by class) besides its PUT request.
 * - ImageQRCodes: one unit per successful image/codes or DetectImageCodes call (IMM data processing
 *   fee; failures cost nothing).
 * - EarlyDeletion (not from requests: UsageMeter.recordEarlyDeletion): byte-hours, by storage class,
 *   of objects removed before their class's minimum storage duration.
 * - Storage (not from requests: the hourly snapshot, storage-snapshot.ts): byte-hours, by storage
 *   class — each hour's snapshot of the bytes stored counts as that many bytes for one hour.
 */
import type { RequestUsage } from "./types.js";
import type { NetworkSet } from "./networks.js";

export type UsageItem =
  | "GetRequest"
  | "PutRequest"
  | "EgressBytes"
  | "RetrievalBytes"
  | "AccelerationBytes"
  | "RestoreRequest"
  | "ImageQRCodes"
  | "EarlyDeletion"
  | "Storage";

export const USAGE_ITEMS: readonly UsageItem[] = [
  "GetRequest", "PutRequest", "EgressBytes", "RetrievalBytes", "AccelerationBytes", "RestoreRequest", "ImageQRCodes", "EarlyDeletion", "Storage",
];

/** One billable quantity: `dimension` is the storage class, network, retrieval kind or domain ("" if none). */
export interface Quantity {
  readonly item: UsageItem;
  readonly dimension: string;
  readonly quantity: number;
}

export interface ClassifyRules {
  readonly internal: NetworkSet;
  /** Lower-case acceleration domains, e.g. `oss-accelerate.aliyuncs.com`. */
  readonly accelerateDomains: readonly string[];
}

const GET_TYPE = new Set([
  "GetObject", "ProcessObject", "HeadObject", "GetObjectMeta", "GetObjectAcl", "GetSymlink", "GetObjectTagging",
  "HeadBucket", "GetBucketInfo", "GetBucketLocation", "GetBucketAcl", "GetBucketPolicy", "GetBucketEncryption",
  "GetBucketLifecycle", "GetBucketArchiveDirectRead", "GetBucketStat", "GetBucketStyle", "ListBucketStyle",
]);

const PUT_TYPE = new Set([
  "PutObject", "CopyObject", "AppendObject", "PostProcessObject", "DeleteObject", "DeleteMultipleObjects", "PutObjectAcl", "PutSymlink",
  "InitiateMultipartUpload", "UploadPart", "UploadPartCopy", "CompleteMultipartUpload", "AbortMultipartUpload",
  "ListParts", "ListMultipartUploads", "ListObjects", "ListObjectsV2", "ListBuckets", "RestoreObject",
  "PutBucket", "DeleteBucket",
]);

export function requestType(operation: string): "GET" | "PUT" {
  if (GET_TYPE.has(operation)) return "GET";
  if (PUT_TYPE.has(operation)) return "PUT";
  return /^(Get|Head)/.test(operation) ? "GET" : "PUT";
}

/** `host[:port]` → lower-case host name without the port (IPv6 literals keep their brackets). */
function hostName(host: string): string {
  const lower = host.trim().toLowerCase();
  if (lower.startsWith("[")) return lower.slice(0, lower.indexOf("]") + 1);
  const colon = lower.lastIndexOf(":");
  return colon >= 0 ? lower.slice(0, colon) : lower;
}

/** The acceleration domain the Host header falls under, if any. */
export function accelerationDomain(host: string, domains: readonly string[]): string | undefined {
  const name = hostName(host);
  return domains.find((d) => name === d || name.endsWith(`.${d}`));
}

export function classify(u: RequestUsage, rules: ClassifyRules): Quantity[] {
  const out: Quantity[] = [];
  const ok = u.status >= 200 && u.status < 400;
  const storageClass = u.storageClass ?? "Standard";
  if (u.imageQrCodes > 0 && u.status >= 200 && u.status < 300) out.push({ item: "ImageQRCodes", dimension: "", quantity: u.imageQrCodes });
  if (u.endpoint === "rpc") return out;
  if (ok) {
    const type = requestType(u.operation);
    out.push({ item: type === "GET" ? "GetRequest" : "PutRequest", dimension: storageClass, quantity: 1 });
    if (u.restoreRequest) out.push({ item: "RestoreRequest", dimension: storageClass, quantity: 1 });
  }
  if (u.bytesOut > 0) {
    out.push({ item: "EgressBytes", dimension: rules.internal.contains(u.remoteAddress) ? "internal" : "internet", quantity: u.bytesOut });
    if (!u.archiveDirectRead && u.storageClass === "IA" && u.operation === "GetObject") {
      out.push({ item: "RetrievalBytes", dimension: "ia", quantity: u.bytesOut });
    }
  }
  const retrieved = u.retrievalBytes ?? u.bytesOut;
  if (u.archiveDirectRead && retrieved > 0) out.push({ item: "RetrievalBytes", dimension: "archive_direct_read", quantity: retrieved });
  const domain = accelerationDomain(u.host, rules.accelerateDomains);
  if (domain !== undefined && u.bytesIn + u.bytesOut > 0) {
    out.push({ item: "AccelerationBytes", dimension: domain, quantity: u.bytesIn + u.bytesOut });
  }
  return out;
}
