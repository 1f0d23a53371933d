/**
 * The PostgreSQL backend of the identity stores (BARBUCKET_DATABASE_URL): every table of
 * iam.sqlite in the shared database (pg-iam-schema.ts, migration component "iam"), so nodes share
 * accounts, keys, STS sessions, users, roles, policies, bucket policies and RPC nonces, and no
 * identity state lives in a node's data dir.
 */
import { existsSync } from "node:fs";
import { migrate } from "../db/migrate.js";
import { openPool, type PoolOptions } from "../db/pool.js";
import { Db } from "../db/transaction.js";
import { newSecret } from "./credentials.js";
import type { SecretBox } from "./secret-box.js";
import { IAM_COMPONENT, PG_IAM_MIGRATIONS } from "./pg-iam-schema.js";
import { PgIdentityStore } from "./pg-identity-store.js";
import { PgUserStore } from "./pg-users.js";
import { PgPolicyStore } from "./pg-policies.js";
import { PgRoleStore } from "./pg-roles.js";
import { PgBucketPolicyStore } from "./pg-bucket-policies.js";
import { PgNonceStore } from "./pg-nonces.js";
import { importSqliteIdentities, type ImportOutcome } from "./pg-iam-import.js";
import { validateIdentityPolicy, validateTrustPolicy } from "./validate.js";
import type { IamStores } from "./stores.js";

export interface PgIamStores extends IamStores {
  /** The stores' connection pool (tests read its retry count). */
  readonly db: Db;
  /** Set when `importSqlite` named an existing file (pg-iam-import.ts). */
  readonly imported: ImportOutcome | undefined;
}

export interface PgIamOptions extends PoolOptions {
  /** A node's `<dataDir>/iam.sqlite` from before its identities moved to PostgreSQL: imported once, when it exists. */
  readonly importSqlite?: string | undefined;
}

/** Connects, applies pending migrations (under the migration advisory lock), imports an old iam.sqlite, settles the account id. */
export async function openPgIamStores(url: string, box: SecretBox, options: PgIamOptions = {}): Promise<PgIamStores> {
  const { importSqlite, ...poolOptions } = options;
  const db = new Db(openPool(url, { applicationName: "barbucket-iam", max: 4, ...poolOptions }));
  try {
    await migrate(db.pool, IAM_COMPONENT, PG_IAM_MIGRATIONS);
    await checkMasterKey(db, box);
    // Before the account id is settled: an upgraded node's account must win over a new one.
    const imported = importSqlite !== undefined && existsSync(importSqlite) ? await importSqliteIdentities(db, importSqlite, box) : undefined;
    const identities = new PgIdentityStore(db, box);
    await identities.accountId(); // generated now if this is the first node ever: every later read is from memory
    return {
      db,
      imported,
      identities,
      users: new PgUserStore(db),
      policies: new PgPolicyStore(db, validateIdentityPolicy),
      roles: new PgRoleStore(db, () => identities.accountId(), validateTrustPolicy),
      bucketPolicies: new PgBucketPolicyStore(db),
      nonces: new PgNonceStore(db),
      close: async () => await db.close(),
    };
  } catch (error) {
    await db.close();
    throw error;
  }
}

const KEY_CHECK_SETTING = "master_key_check";
const KEY_CHECK_CONTEXT = "master-key-check";

/**
 * Every node must seal with the same master key (BARBUCKET_MASTER_KEY): a node with another one
 * (say a `master.key` of its own data dir) could not open the secrets the others stored, and would
 * store secrets they cannot open. The first node stores a value sealed with its key; a node whose
 * key cannot open it refuses to start.
 */
async function checkMasterKey(db: Db, box: SecretBox): Promise<void> {
  await db.query("INSERT INTO iam_settings (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING", [KEY_CHECK_SETTING, box.seal(newSecret(), KEY_CHECK_CONTEXT)]);
  const [row] = await db.query<{ value: string }>("SELECT value FROM iam_settings WHERE name = $1", [KEY_CHECK_SETTING]);
  try {
    box.open(row!.value, KEY_CHECK_CONTEXT);
  } catch {
    throw new Error("the master key does not open the secrets in the database: every node on one BARBUCKET_DATABASE_URL needs the same BARBUCKET_MASTER_KEY");
  }
}
