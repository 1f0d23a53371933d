/**
 * The identity and access data of an installation, in one SQLite file: account, keys, users,
 * policies, roles, STS sessions and bucket policies. Built once by the composition root.
 */
import { join } from "node:path";
import type { SqliteDatabase } from "../storage/sqlite-schema.js";
import { openIamDatabase } from "./iam-db.js";
import { SecretBox } from "./secret-box.js";
import type { ConfiguredKey } from "../crypto/master-key.js";
import { IdentityStore } from "./identity-store.js";
import { UserStore } from "./users.js";
import { PolicyStore } from "./policies.js";
import { RoleStore } from "./roles.js";
import { BucketPolicyStore } from "./bucket-policies.js";
import { SqliteNonceStore } from "./nonces.js";
import { validateIdentityPolicy, validateTrustPolicy } from "./validate.js";
import { SYSTEM_POLICY_DOCUMENTS, IMM_SERVICE_ROLE } from "./builtins.js";

export class Iam {
  readonly identities: IdentityStore;
  readonly users: UserStore;
  readonly policies: PolicyStore;
  readonly roles: RoleStore;
  readonly bucketPolicies: BucketPolicyStore;
  /** RPC SignatureNonce replay memory, shared by every process. */
  readonly nonces: SqliteNonceStore;

  private constructor(private readonly db: SqliteDatabase, readonly box: SecretBox) {
    this.identities = new IdentityStore(db, box);
    this.users = new UserStore(db);
    this.policies = new PolicyStore(db, validateIdentityPolicy);
    this.roles = new RoleStore(db, () => this.identities.accountId(), validateTrustPolicy);
    this.bucketPolicies = new BucketPolicyStore(db);
    this.nonces = new SqliteNonceStore(db);
  }

  static open(dataDir: string, masterKey?: ConfiguredKey): Iam {
    const iam = new Iam(openIamDatabase(join(dataDir, "iam.sqlite")), SecretBox.open(dataDir, masterKey));
    iam.policies.seedSystemPolicies(SYSTEM_POLICY_DOCUMENTS);
    const role = iam.roles.ensure(IMM_SERVICE_ROLE);
    if (iam.policies.listFor({ type: "role", name: role.RoleName }).length === 0 && !iam.hasSetting("imm-role-seeded")) {
      // First start only: give the IMM service role read access to OSS, as the console's quick
      // authorisation does. An operator may detach it later; we never re-attach it.
      iam.policies.attach("AliyunOSSReadOnlyAccess", "System", { type: "role", name: role.RoleName });
    }
    iam.setSetting("imm-role-seeded", "1");
    return iam;
  }

  private hasSetting(name: string): boolean {
    return this.db.prepare("SELECT 1 FROM settings WHERE name = ?").get(name) !== undefined;
  }

  private setSetting(name: string, value: string): void {
    this.db.prepare("INSERT INTO settings (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value").run(name, value);
  }

  close(): void {
    this.db.close();
  }
}
