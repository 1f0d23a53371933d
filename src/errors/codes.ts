/**
 * The one table of OSS error codes Barbucket emits: code → HTTP status, default message, and the
 * `EC` (OSS's fine-grained error code) where OSS documents one for the code's usual cause (help.aliyun.com
 * EC pages / observed responses). A throw site with a more specific cause passes its own `ec`.
 * Codes OSS documents no EC for get UNDOCUMENTED_EC, so every error still carries `<EC>` and `x-oss-ec`.
 * Handlers throw `OssError(code)`; `render.ts` writes it.
 */
export interface ErrorSpec {
  readonly status: number;
  readonly message: string;
  readonly ec?: string;
}

export const ERROR_TABLE = {
  AccessDenied: { status: 403, message: "You have no right to access this object because of bucket acl.", ec: "0003-00000001" },
  AccessForbidden: { status: 403, message: "CORSResponse: This CORS request is not allowed. This is usually because the evalution of Origin, request method / Access-Control-Request-Method or Access-Control-Requet-Headers are not whitelisted by the resource's CORS spec." },
  AccessKeyIdAndSecurityTokenNotMatch: { status: 403, message: "The AccessKeyId does not match the security token." },
  BadRequest: { status: 400, message: "The request is not valid." },
  BucketAlreadyExists: { status: 409, message: "The requested bucket name is not available.", ec: "0015-00000102" },
  BucketNotEmpty: { status: 409, message: "The bucket you tried to delete is not empty." },
  EntityTooLarge: { status: 400, message: "Your proposed upload exceeds the maximum allowed size." },
  EntityTooSmall: { status: 400, message: "Your proposed upload is smaller than the minimum allowed size." },
  FileAlreadyExists: { status: 409, message: "The object you specified already exists and can not be overwritten.", ec: "0026-00000002" },
  ImageTooLarge: { status: 400, message: "The image is too large to process." },
  IncompleteBody: { status: 400, message: "You did not provide the number of bytes specified by the Content-Length HTTP header." },
  InternalError: { status: 500, message: "We encountered an internal error. Please try again." },
  InvalidAccessKeyId: { status: 403, message: "The OSS Access Key Id you provided does not exist in our records.", ec: "0002-00000902" },
  InvalidArgument: { status: 400, message: "Invalid argument." },
  InvalidBucketName: { status: 400, message: "The specified bucket is not valid." },
  InvalidDigest: { status: 400, message: "The Content-MD5 you specified is not valid." },
  InvalidEncryptionAlgorithmError: { status: 400, message: "The encryption request you specified is not valid." },
  InvalidObjectName: { status: 400, message: "The specified object is not valid." },
  InvalidObjectState: { status: 403, message: "The operation is not valid for the object's state.", ec: "0016-00000404" },
  InvalidPart: { status: 400, message: "One or more of the specified parts could not be found or the specified entity tag might not have matched the part's entity tag." },
  InvalidPartOrder: { status: 400, message: "The list of parts was not in ascending order. Parts list must be specified in order by part number." },
  InvalidPolicyDocument: { status: 400, message: "The content of the policy document is not valid." },
  InvalidRange: { status: 416, message: "The requested range cannot be satisfied." },
  InvalidRequest: { status: 400, message: "Invalid request." },
  InvalidSecurityToken: { status: 403, message: "The security token you provided is not valid." },
  InvalidTag: { status: 400, message: "The tag you provided is not valid." },
  InvalidTargetType: { status: 400, message: "The symlink target object type is not valid." },
  KmsKeyDisabled: { status: 409, message: "The KMS key that protects this object is disabled.", ec: "0005-00000214" },
  KmsKeyPendingDeletion: { status: 409, message: "The KMS key that protects this object is pending deletion.", ec: "0005-00000215" },
  MalformedPOSTRequest: { status: 400, message: "The body of your POST request is not well-formed multipart/form-data." },
  MalformedXML: { status: 400, message: "The XML you provided was not well-formed or did not validate against our published schema.", ec: "0031-00000001" },
  MethodNotAllowed: { status: 405, message: "The specified method is not allowed against this resource." },
  MissingArgument: { status: 400, message: "Missing Some Required Arguments.", ec: "0016-00000502" },
  MissingContentLength: { status: 411, message: "You must provide the Content-Length HTTP header." },
  NoSuchBucket: { status: 404, message: "The specified bucket does not exist.", ec: "0015-00000101" },
  InvalidTargetBucketForLogging: { status: 400, message: "The target bucket for logging does not exist, is not owned by you, or is in another region." },
  NoSuchInventory: { status: 404, message: "The specified inventory does not exist." },
  InventoryAlreadyExist: { status: 409, message: "The inventory you specified already exists.", ec: "0020-00000042" },
  NoSuchWebsiteConfiguration: { status: 404, message: "The specified bucket does not have a website configuration." },
  NoSuchCORSConfiguration: { status: 404, message: "The CORS Configuration does not exist." },
  NoSuchBucketPolicy: { status: 404, message: "The bucket policy does not exist." },
  NoSuchKey: { status: 404, message: "The specified key does not exist.", ec: "0026-00000001" },
  NoSuchVersion: { status: 404, message: "The specified version does not exist." },
  NoSuchStyle: { status: 404, message: "The specified style does not exist." },
  NoSuchServerSideEncryptionRule: { status: 404, message: "The server side encryption configuration was not found." },
  NoSuchUpload: { status: 404, message: "The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.", ec: "0042-00000002" },
  NotSymlink: { status: 400, message: "The specified object is not a symlink." },
  NotImplemented: { status: 501, message: "A header you provided implies functionality that is not implemented." },
  NoSuchLifecycle: { status: 404, message: "The lifecycle configuration does not exist." },
  OperationNotSupported: { status: 400, message: "The operation is not supported for this resource." },
  ObjectNotAppendable: { status: 409, message: "The operation is not valid for this object." },
  PositionNotEqualToLength: { status: 409, message: "Position is not equal to file length", ec: "0026-00000016" },
  PreconditionFailed: { status: 412, message: "At least one of the pre-conditions you specified did not hold.", ec: "0017-00001001" },
  RequestHeaderTooLarge: { status: 400, message: "Your request header is too large." },
  RequestTimeTooSkewed: { status: 403, message: "The difference between the request time and the current time is too large." },
  RequestTimeout: { status: 400, message: "Your socket connection to the server was not read from or written to within the timeout period." },
  SecurityTokenExpired: { status: 403, message: "The security token you provided has expired." },
  RestoreAlreadyInProgress: { status: 409, message: "The restore operation is in progress." },
  ServiceUnavailable: { status: 503, message: "Please reduce your request rate." },
  SignatureDoesNotMatch: { status: 403, message: "The request signature we calculated does not match the signature you provided. Check your key and signing method.", ec: "0002-00000040" },
  WatermarkError: { status: 400, message: "The watermark is not valid." },
  SymlinkTargetNotExist: { status: 404, message: "The symlink target object does not exist." },
  TooManyBuckets: { status: 400, message: "You have attempted to create more buckets than allowed." },
} as const satisfies Record<string, ErrorSpec>;

/** The EC of errors whose OSS EC is not documented (no RecommendDoc link is written for it). */
export const UNDOCUMENTED_EC = "0000-00000000";

export type ErrorCode = keyof typeof ERROR_TABLE;

export function errorSpec(code: ErrorCode): ErrorSpec {
  return ERROR_TABLE[code];
}
