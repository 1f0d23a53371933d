/**
 * Authentication of a PostObject form (browser upload): the signature signs the base64 policy.
 * V1: `OSSAccessKeyId`, `Signature` = base64(HMAC-SHA1(secret, policy)).
 * V4: `x-oss-signature-version: OSS4-HMAC-SHA256`, `x-oss-credential` (AK/date/region/oss/aliyun_v4_request),
 * `x-oss-date`, `x-oss-signature` = hex(HMAC-SHA256(signing key, policy)) (ali-oss signPostObjectPolicyV4).
 * No signature fields: anonymous (the bucket ACL or policy must then allow the write).
 * Field names are lower-case (multipart-form.ts).
 */
import { OssError } from "../errors/oss-error.js";
import type { AuthResult, CredentialResolver } from "./types.js";
import { checkScope, checkSecurityToken, resolveCredential, signed, verifySignature, type AuthenticateOptions } from "./authenticate.js";
import { signV1 } from "./v1.js";
import { V4_ALGORITHM, parseIsoBasicDatetime, parseV4Credential, signV4 } from "./v4.js";

function required(fields: ReadonlyMap<string, string>, name: string): string {
  const value = fields.get(name);
  if (!value) throw new OssError("InvalidArgument", `The form field ${name} is required for a signed PostObject.`, { extra: { ArgumentName: name } });
  return value;
}

export async function authenticatePostForm(fields: ReadonlyMap<string, string>, resolver: CredentialResolver, opts: AuthenticateOptions): Promise<AuthResult> {
  const token = fields.get("x-oss-security-token");
  const version = fields.get("x-oss-signature-version");
  if (version !== undefined) {
    if (version !== V4_ALGORITHM) {
      throw new OssError("InvalidArgument", `Unsupported x-oss-signature-version "${version}", expected ${V4_ALGORITHM}.`, { extra: { ArgumentName: "x-oss-signature-version", ArgumentValue: version } });
    }
    const credentialText = required(fields, "x-oss-credential");
    const datetime = required(fields, "x-oss-date");
    const signature = required(fields, "x-oss-signature");
    const policy = required(fields, "policy");
    const scoped = parseV4Credential(credentialText);
    if (!scoped) throw new OssError("InvalidArgument", `Malformed x-oss-credential "${credentialText}".`, { extra: { ArgumentName: "x-oss-credential", ArgumentValue: credentialText } });
    if (!parseIsoBasicDatetime(datetime)) throw new OssError("AccessDenied", `Invalid x-oss-date "${datetime}", expected yyyymmddTHHMMSSZ.`, { ec: "0002-00000502" });
    const credential = await resolveCredential(resolver, scoped.accessKeyId);
    checkSecurityToken(credential, token, opts.now);
    checkScope(scoped, datetime, opts.region);
    verifySignature(signV4(credential.secret, scoped.scope, policy), signature, policy, scoped.accessKeyId);
    return signed("v4-header", credential, token);
  }
  const accessKeyId = fields.get("ossaccesskeyid");
  if (accessKeyId === undefined) {
    if (fields.has("signature")) throw new OssError("InvalidArgument", "A Signature needs an OSSAccessKeyId.", { extra: { ArgumentName: "OSSAccessKeyId" } });
    return { kind: "anonymous" };
  }
  const signature = required(fields, "signature");
  const policy = required(fields, "policy");
  const credential = await resolveCredential(resolver, accessKeyId);
  checkSecurityToken(credential, token, opts.now);
  verifySignature(signV1(credential.secret, policy), signature, policy, accessKeyId);
  return signed("v1-header", credential, token);
}
