/**
 * Query parameters that are part of the V1 CanonicalizedResource ("sub-resources").
 * The union of the oss2, Go v1 and Go v2 SDK lists (oss-api.md §4.2), plus the Go v2 rule that
 * any key starting with `x-oss-` is signed. Keys are case-sensitive.
 */
const V1_SUB_RESOURCE_KEYS: ReadonlySet<string> = new Set([
  "accessPoint", "accessPointPolicy", "acl", "append", "asyncFetch", "bucketArchiveDirectRead", "bucketInfo",
  "callback", "callback-var", "cloudboxes", "cname", "comp", "continuation-token", "cors", "delete", "encryption",
  "endTime", "group", "httpsConfig", "img", "inventory", "inventoryId", "lifecycle", "link", "live", "location",
  "logging", "metaQuery", "objectInfo", "objectMeta", "partNumber", "policy", "position", "publicAccessBlock", "qos",
  "qosInfo", "qosRequester", "redundancyTransition", "referer", "regionList", "replication", "replicationLocation",
  "replicationProgress", "requestPayment", "requesterQosInfo", "resourceGroup", "resourcePool", "resourcePoolBuckets",
  "resourcePoolInfo", "response-cache-control", "response-content-disposition", "response-content-encoding",
  "response-content-language", "response-content-type", "response-expires", "responseHeader", "restore", "rtc",
  "security-token", "sequential", "startTime", "stat", "status", "style", "styleName", "symlink", "tagging",
  "transferAcceleration", "udf", "udfApplication", "udfApplicationLog", "udfId", "udfImage", "udfImageDesc",
  "udfName", "uploadId", "uploads", "versionId", "versioning", "versions", "vod", "website", "withHashContext", "worm",
  "wormExtend", "wormId", "x-oss-ac-forward-allow", "x-oss-ac-source-ip", "x-oss-ac-subnet-mask", "x-oss-ac-vpc-id",
  "x-oss-access-point-name", "x-oss-async-process", "x-oss-enable-md5", "x-oss-enable-sha1", "x-oss-enable-sha256",
  "x-oss-hash-ctx", "x-oss-md5-ctx", "x-oss-process", "x-oss-redundancy-transition-taskid", "x-oss-request-payer",
  "x-oss-target-redundancy-type", "x-oss-traffic-limit", "x-oss-write-get-object-response",
]);

/** Number of explicitly listed keys (exported for the test that pins the §4.2 list). */
export const V1_SUB_RESOURCE_KEY_COUNT = V1_SUB_RESOURCE_KEYS.size;

export function isV1SubResource(key: string): boolean {
  return V1_SUB_RESOURCE_KEYS.has(key) || key.startsWith("x-oss-");
}
