/**
 * Action names the policy parser knows. For `oss:` and `sts:` an action without wildcards must be
 * one of these (a typo such as `oss:GetObjet` would otherwise silently grant nothing); other
 * services' action names need only the `Name` shape, since their catalogues are large and growing.
 */
const OSS_ACTIONS = [
  "ListBuckets", "GetBucketStat", "PutBucket", "DeleteBucket", "GetBucketInfo", "GetBucketLocation",
  "PutBucketAcl", "GetBucketAcl", "ListObjects", "ListObjectVersions", "PutObject", "GetObject",
  "DeleteObject", "GetObjectVersion", "DeleteObjectVersion", "PutObjectAcl", "GetObjectAcl",
  "PutObjectVersionAcl", "GetObjectVersionAcl", "AbortMultipartUpload", "ListMultipartUploads",
  "ListParts", "RestoreObject", "PutSymlink", "GetSymlink", "PutObjectTagging", "GetObjectTagging",
  "DeleteObjectTagging", "PutObjectVersionTagging", "GetObjectVersionTagging", "DeleteObjectVersionTagging",
  "ProcessImm", "PostProcessTask", "SelectObject", "PutBucketPolicy", "GetBucketPolicy", "DeleteBucketPolicy",
  "PutBucketLifecycle", "GetBucketLifecycle", "DeleteBucketLifecycle", "PutBucketEncryption",
  "GetBucketEncryption", "DeleteBucketEncryption", "PutBucketVersioning", "GetBucketVersioning",
  "PutBucketCors", "GetBucketCors", "DeleteBucketCors", "PutBucketWebsite", "GetBucketWebsite",
  "DeleteBucketWebsite", "PutBucketLogging", "GetBucketLogging", "DeleteBucketLogging", "PutBucketReferer",
  "GetBucketReferer", "PutBucketTagging", "GetBucketTagging", "DeleteBucketTagging",
  "PutBucketArchiveDirectRead", "GetBucketArchiveDirectRead", "PutBucketReplication", "GetBucketReplication",
  "DeleteBucketReplication", "GetBucketReplicationLocation", "GetBucketReplicationProgress",
  "PutBucketInventory", "GetBucketInventory", "DeleteBucketInventory", "ListBucketInventory", "PutStyle",
  "GetStyle", "ListStyle", "DeleteStyle", "InitiateBucketWorm", "AbortBucketWorm", "CompleteBucketWorm",
  "ExtendBucketWorm", "GetBucketWorm", "PutBucketRequestPayment", "GetBucketRequestPayment",
  "PutBucketTransferAcceleration", "GetBucketTransferAcceleration", "PutBucketResourceGroup",
  "GetBucketResourceGroup", "PutCname", "ListCname", "DeleteCname", "PutLiveChannel", "ListLiveChannel",
  "DeleteLiveChannel", "PutBucketAccessMonitor", "GetBucketAccessMonitor", "PutBucketPublicAccessBlock",
  "GetBucketPublicAccessBlock", "DeleteBucketPublicAccessBlock", "PutBucketHttpsConfig", "GetBucketHttpsConfig",
  "ReplicateGet", "ReplicatePut", "ReplicateDelete", "PutBucketQoSInfo", "GetBucketQosInfo", "DeleteBucketQoSInfo",
];
const STS_ACTIONS = ["AssumeRole", "GetCallerIdentity", "AssumeRoleWithSAML", "AssumeRoleWithOIDC"];

const STRICT: Readonly<Record<string, ReadonlySet<string>>> = {
  oss: new Set(OSS_ACTIONS.map((a) => a.toLowerCase())),
  sts: new Set(STS_ACTIONS.map((a) => a.toLowerCase())),
};

/** Why an action name is not acceptable, or undefined when it is. */
export function unknownActionReason(action: string): string | undefined {
  if (action === "*" || /[*?]/.test(action)) return undefined;
  const [service = "", name = ""] = action.split(":", 2);
  if (!/^[A-Za-z][A-Za-z0-9]*$/.test(name)) return `"${action}" has no valid action name after the service`;
  const known = STRICT[service.toLowerCase()];
  if (known && !known.has(name.toLowerCase())) return `"${action}" is not a known ${service} action`;
  return undefined;
}
