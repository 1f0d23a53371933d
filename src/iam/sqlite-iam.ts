/** The SQLite backend of the identity stores: one `iam.sqlite` holding every table (iam-db.ts). */
import type { SecretBox } from "./secret-box.js";
import { openIamDatabase } from "./iam-db.js";
import { SqliteIdentityStore } from "./identity-store.js";
import { SqliteUserStore } from "./users.js";
import { SqlitePolicyStore } from "./policies.js";
import { SqliteRoleStore } from "./roles.js";
import { SqliteBucketPolicyStore } from "./bucket-policies.js";
import { SqliteNonceStore } from "./nonces.js";
import { validateIdentityPolicy, validateTrustPolicy } from "./validate.js";
import type { IamStores } from "./stores.js";

/** Opens (creating and migrating when needed) `file`; secrets are sealed with `box`. */
export function openSqliteIamStores(file: string, box: SecretBox): IamStores {
  const db = openIamDatabase(file);
  const identities = new SqliteIdentityStore(db, box);
  return {
    identities,
    users: new SqliteUserStore(db),
    policies: new SqlitePolicyStore(db, validateIdentityPolicy),
    roles: new SqliteRoleStore(db, () => identities.accountIdNow(), validateTrustPolicy),
    bucketPolicies: new SqliteBucketPolicyStore(db),
    nonces: new SqliteNonceStore(db),
    close: async () => {
      db.close();
    },
  };
}
