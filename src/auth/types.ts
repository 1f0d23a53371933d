/**
 * Authentication types: what the authenticator needs from a request, what it returns, and how it
 * looks up secrets. Authentication ("who are you") is done once, before dispatch; authorization
 * ("may you") is a separate step in `src/authz/`.
 */

/** Who made a request. Anonymous requests carry no principal. */
export interface Principal {
  /** Owning account id (numeric string, like an Alibaba Cloud UID). */
  readonly accountId: string;
  readonly kind: "root" | "user" | "assumed-role";
  /** RAM user name or role session name; undefined for root. */
  readonly name?: string;
  /** A RAM user's numeric UserId (bucket policies may name users by it). */
  readonly userId?: string;
  /** `acs:ram::{account}:root`, `acs:ram::{account}:user/{name}`, `acs:ram::{account}:assumed-role/{role}/{session}`. */
  readonly arn: string;
  readonly accessKeyId: string;
  /** For STS credentials: the assumed role and the inline session policy that narrows it. */
  readonly session?: {
    readonly roleName: string;
    readonly sessionPolicy: string | undefined;
    readonly expiresAt: Date;
  };
}

export interface Credential {
  readonly accessKeyId: string;
  readonly secret: string;
  readonly principal: Principal;
  /** Inactive keys authenticate as InvalidAccessKeyId. */
  readonly active: boolean;
  /**
   * For temporary (STS) credentials: checks the presented security token. Returns an error code
   * (e.g. "InvalidSecurityToken", "AccessKeyIdAndSecurityTokenNotMatch") or undefined when valid.
   * Permanent keys leave it undefined and any token presented with them is ignored.
   */
  readonly checkSecurityToken?: (token: string | undefined, now: Date) => "InvalidSecurityToken" | "AccessKeyIdAndSecurityTokenNotMatch" | "SecurityTokenExpired" | undefined;
}

/** Looks up access keys; asynchronous, since the keys live in a database (iam/stores.ts). */
export interface CredentialResolver {
  resolve(accessKeyId: string): Promise<Credential | undefined>;
}

/** The parts of an HTTP request the signature schemes read. */
export interface SignableRequest {
  readonly method: string;
  /** Bucket as resolved from Host or path; undefined for service-level requests. */
  readonly bucket: string | undefined;
  /** Decoded object key; undefined or "" for bucket-level requests. */
  readonly key: string | undefined;
  /** Decoded query parameters in wire order (`+` decoded as space); a key without `=` has value "". */
  readonly query: ReadonlyArray<readonly [string, string]>;
  /** Header names lower-cased; repeated headers joined with ",". */
  readonly headers: Readonly<Record<string, string>>;
}

export type AuthScheme = "v1-header" | "v1-query" | "v4-header" | "v4-query";

export type AuthResult =
  | { readonly kind: "anonymous" }
  | {
      readonly kind: "signed";
      readonly scheme: AuthScheme;
      readonly principal: Principal;
      readonly securityToken: string | undefined;
    };
