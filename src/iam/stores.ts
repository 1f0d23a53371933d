/**
 * The identity and access data behind asynchronous interfaces (issue 19: a PostgreSQL backend's
 * client is asynchronous). The SQLite implementations (`Sqlite*` in this folder, one `iam.sqlite`)
 * keep today's behaviour; every backend must pass `conformance-iam*.ts`.
 *
 * Contract shared by every store: a method that reads and then writes (a limit, a "must exist", a
 * "must not be attached") is one atomic step, so callers never string calls together for it; and
 * failures a client can cause are RpcErrors with RAM's codes (EntityNotExist.User, …).
 */
import type { Credential, CredentialResolver } from "../auth/types.js";
import type { NonceMemory } from "../rpc/signature.js";

export interface RootKey {
  readonly accessKeyId: string;
  readonly secret: string;
  /** True when this call generated the key (it must be shown to the operator once). */
  readonly generated: boolean;
}

export interface AccessKeyInfo {
  readonly accessKeyId: string;
  readonly status: "Active" | "Inactive";
  readonly createDate: string;
}

/** RAM allows two access keys per user. */
export const MAX_KEYS_PER_USER = 2;

/** An STS session as AssumeRole creates it. */
export interface NewSession {
  readonly roleName: string;
  readonly sessionName: string;
  readonly sessionPolicy: string | undefined;
  readonly callerArn: string;
  readonly expiresAt: Date;
}

/** Accounts, access keys and STS sessions; resolves any AccessKeyId for signature checks. */
export interface IdentityStore extends CredentialResolver {
  /** The installation's account id: 16 digits, generated once (the first caller wins a race). */
  accountId(): Promise<string>;
  /**
   * The root key: from the environment when given (kept in memory only), else the stored one,
   * else a newly generated one (stored sealed; the caller prints it once).
   */
  ensureRootKey(fromEnv?: { accessKeyId: string; secret: string }): Promise<RootKey>;
  /** EntityNotExist.User for an unknown user, LimitExceeded.User.AccessKey beyond MAX_KEYS_PER_USER: checked and inserted atomically. */
  createUserKey(userName: string): Promise<{ accessKeyId: string; secret: string; createDate: string }>;
  listUserKeys(userName: string): Promise<AccessKeyInfo[]>;
  /** EntityNotExist.User.AccessKey unless the key is the user's. */
  updateUserKey(userName: string, accessKeyId: string, status: "Active" | "Inactive"): Promise<void>;
  /** EntityNotExist.User.AccessKey unless the key is the user's. */
  deleteUserKey(userName: string, accessKeyId: string): Promise<void>;
  /** Stores an STS session (the token only as a hash) and forgets sessions expired a day ago. */
  createSession(session: NewSession): Promise<{ accessKeyId: string; secret: string; securityToken: string }>;
  /** A key (root, user, STS session or environment), undefined when unknown. */
  resolve(accessKeyId: string): Promise<Credential | undefined>;
  /** Installation settings (name → value), e.g. one-time seeding markers. */
  getSetting(name: string): Promise<string | undefined>;
  setSetting(name: string, value: string): Promise<void>;
}

export interface RamUser {
  readonly UserId: string;
  readonly UserName: string;
  readonly DisplayName: string;
  readonly Email: string;
  readonly MobilePhone: string;
  readonly Comments: string;
  readonly CreateDate: string;
  readonly UpdateDate: string;
}

export interface NewUser {
  readonly name: string;
  readonly displayName?: string | undefined;
  readonly email?: string | undefined;
  readonly mobilePhone?: string | undefined;
  readonly comments?: string | undefined;
}

/** RAM users; names compare case-insensitively. */
export interface UserStore {
  /** EntityAlreadyExists.User when the name is taken. */
  create(input: NewUser): Promise<RamUser>;
  find(name: string): Promise<RamUser | undefined>;
  /** EntityNotExist.User when absent. */
  get(name: string): Promise<RamUser>;
  /** Names after `marker`, in order. */
  list(marker: string, maxItems: number): Promise<{ users: RamUser[]; isTruncated: boolean; marker: string | undefined }>;
  /** Refuses (DeleteConflict.User.AccessKey / .Policy) while the user has keys or policies, atomically. */
  delete(name: string): Promise<void>;
}

export interface RamRole {
  readonly RoleId: string;
  readonly RoleName: string;
  readonly Arn: string;
  readonly Description: string;
  readonly AssumeRolePolicyDocument: string;
  readonly MaxSessionDuration: number;
  readonly CreateDate: string;
  readonly UpdateDate: string;
}

export interface NewRole {
  readonly name: string;
  readonly trustPolicy: string;
  readonly description?: string | undefined;
  readonly maxSessionDuration?: number | undefined;
}

/** RAM roles; names compare case-insensitively. Trust policies are validated before they are stored. */
export interface RoleStore {
  /** EntityAlreadyExists.Role when the name is taken. */
  create(input: NewRole): Promise<RamRole>;
  /** Creates the role unless it exists (built-in service roles); concurrent calls agree on one role. */
  ensure(input: NewRole): Promise<RamRole>;
  find(name: string): Promise<RamRole | undefined>;
  /** EntityNotExist.Role when absent. */
  get(name: string): Promise<RamRole>;
  /** The role named by an ARN `acs:ram::{account}:role/{name}` of this installation's account. */
  findByArn(arn: string): Promise<RamRole | undefined>;
  list(marker: string, maxItems: number): Promise<{ roles: RamRole[]; isTruncated: boolean; marker: string | undefined }>;
  /** RAM DeleteRole: EntityNotExist.Role when absent, DeleteConflict.Role.Policy while policies are attached. */
  delete(name: string): Promise<void>;
  /** RAM UpdateRole: a new trust policy (validated), maximum session duration and/or description. */
  update(name: string, change: { trustPolicy?: string; maxSessionDuration?: number; description?: string }): Promise<RamRole>;
}

export type PolicyType = "System" | "Custom";
export type AttachmentTarget = { readonly type: "user" | "role"; readonly name: string };
/** Throws an RpcError (MalformedPolicyDocument, …) when the document is not a valid policy. */
export type PolicyValidator = (document: string) => void;

export const MAX_POLICY_VERSIONS = 5;

export interface PolicyInfo {
  readonly PolicyName: string;
  readonly PolicyType: PolicyType;
  readonly Description: string;
  readonly DefaultVersion: string;
  readonly CreateDate: string;
  readonly UpdateDate: string;
  readonly AttachmentCount: number;
}

export interface PolicyVersion {
  readonly VersionId: string;
  readonly IsDefaultVersion: boolean;
  readonly PolicyDocument: string;
  readonly CreateDate: string;
}

/**
 * RAM policies (custom ones with at most MAX_POLICY_VERSIONS versions, the system ones) and their
 * attachments. `type` narrows a lookup to System or Custom (undefined or "": either).
 */
export interface PolicyStore {
  /** Inserts or refreshes the built-in system policies, in one transaction. */
  seedSystemPolicies(policies: Readonly<Record<string, { description: string; document: string }>>): Promise<void>;
  /** EntityAlreadyExists.Policy when the name is taken. */
  create(name: string, document: string, description: string): Promise<PolicyInfo>;
  /** EntityNotExist.Policy when absent (or of the other type). */
  get(name: string, type?: string): Promise<{ policy: PolicyInfo; defaultVersion: PolicyVersion }>;
  list(type: string | undefined, marker: string, maxItems: number): Promise<{ policies: PolicyInfo[]; isTruncated: boolean; marker: string | undefined }>;
  /** Refuses system policies and attached ones (DeleteConflict.Policy.User), atomically. */
  delete(name: string): Promise<void>;
  /** A new version of a custom policy; at the limit the oldest non-default goes when `rotate`, else LimitExceeded.Policy.Version. */
  createVersion(name: string, document: string, setAsDefault: boolean, rotate: boolean): Promise<PolicyVersion>;
  /** Atomically: the target must exist (EntityNotExist.User / .Role), the policy too, and not be attached yet. */
  attach(name: string, type: string | undefined, target: AttachmentTarget): Promise<void>;
  detach(name: string, type: string | undefined, target: AttachmentTarget): Promise<void>;
  listFor(target: AttachmentTarget): Promise<Array<PolicyInfo & { AttachDate: string }>>;
  /** The default-version documents attached to a user or role, for authorization (every request of a RAM user or role). */
  documentsFor(target: AttachmentTarget): Promise<Array<{ name: string; document: string }>>;
}

/**
 * Bucket policies, read on every request to a bucket: a backend caches them and keeps the cache
 * coherent with other processes' writes (change_seq), so a put or delete through any process holds
 * in the next request to every other.
 */
export interface BucketPolicyStore {
  get(bucket: string): Promise<string | undefined>;
  put(bucket: string, document: string): Promise<void>;
  /** True when there was a policy. */
  delete(bucket: string): Promise<boolean>;
}

/** Every store of the identity data, opened together on one backend. */
export interface IamStores {
  readonly identities: IdentityStore;
  readonly users: UserStore;
  readonly roles: RoleStore;
  readonly policies: PolicyStore;
  readonly bucketPolicies: BucketPolicyStore;
  /** RPC SignatureNonce replay memory, shared by every process. */
  readonly nonces: NonceMemory;
  close(): Promise<void>;
}
