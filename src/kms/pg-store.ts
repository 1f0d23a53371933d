/**
 * The KMS key store on PostgreSQL (BARBUCKET_DATABASE_URL): the `keys` table of the SQLite store
 * (as `kms_keys`), shared by every node, so a key created through one node encrypts and decrypts
 * on any other (all nodes need the same BARBUCKET_MASTER_KEY).
 *
 * Key material is stored exactly as in SQLite: only sealed with the server master key (SecretBox,
 * AES-256-GCM), bound to its key id and version (key-rows.ts). Every write is one statement, atomic
 * on its own: the one-default-key rule is a unique index, so racing nodes agree on one key.
 */
import { migrate } from "../db/migrate.js";
import { openPool, type PoolOptions } from "../db/pool.js";
import { Db } from "../db/transaction.js";
import type { SecretBox } from "../iam/secret-box.js";
import type { KeyRecord, KeyState, KmsKeyStore } from "./key-store.js";
import { KEY_COLUMNS, keyRecordOf, materialContext, type KeyRow } from "./key-rows.js";

export const KMS_COMPONENT = "kms";

/** Never edit a shipped step; add one. `seq` orders an account's keys by creation, as SQLite's rowid. */
export const PG_KMS_MIGRATIONS: readonly string[] = [
  `CREATE TABLE kms_keys (
     seq BIGINT GENERATED ALWAYS AS IDENTITY,
     key_id TEXT PRIMARY KEY,
     account_id TEXT NOT NULL,
     description TEXT NOT NULL,
     key_state TEXT NOT NULL CHECK (key_state IN ('Enabled', 'Disabled', 'PendingDeletion')),
     key_usage TEXT NOT NULL,
     key_spec TEXT NOT NULL,
     creator TEXT NOT NULL,
     creation_date TEXT NOT NULL,
     key_version_id TEXT NOT NULL,
     material_sealed TEXT NOT NULL,
     is_default BOOLEAN NOT NULL DEFAULT false
   );
   CREATE INDEX kms_keys_by_account ON kms_keys (account_id, seq);
   CREATE UNIQUE INDEX kms_one_default_key_per_account ON kms_keys (account_id) WHERE is_default;`,
];

export class PgKmsKeyStore implements KmsKeyStore {
  /** Connects and applies pending migrations (under the migration advisory lock). */
  static async open(url: string, box: SecretBox, options: PoolOptions = {}): Promise<PgKmsKeyStore> {
    const pool = openPool(url, { applicationName: "barbucket-kms", max: 2, ...options });
    try {
      await migrate(pool, KMS_COMPONENT, PG_KMS_MIGRATIONS);
    } catch (error) {
      await pool.end();
      throw error;
    }
    return new PgKmsKeyStore(new Db(pool), box);
  }

  constructor(private readonly db: Db, private readonly box: SecretBox) {}

  /** Seals the material here. A second default key of an account inserts nothing (the unique index decides). */
  async insert(key: KeyRecord, material: Buffer): Promise<"created" | "default-exists"> {
    const sealed = this.box.seal(material.toString("base64"), materialContext(key.keyId, key.keyVersionId));
    const inserted = await this.db.query(
      `INSERT INTO kms_keys (${KEY_COLUMNS}, material_sealed) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
       ON CONFLICT (account_id) WHERE is_default DO NOTHING RETURNING 1`,
      [key.keyId, key.accountId, key.description, key.keyState, key.keyUsage, key.keySpec, key.creator, key.creationDate, key.keyVersionId, key.isDefault, sealed],
    );
    return inserted.length === 1 ? "created" : "default-exists";
  }

  async get(keyId: string): Promise<KeyRecord | undefined> {
    const [row] = await this.db.query<KeyRow>(`SELECT ${KEY_COLUMNS} FROM kms_keys WHERE key_id = $1`, [keyId]);
    return row ? keyRecordOf(row) : undefined;
  }

  async defaultKey(accountId: string): Promise<KeyRecord | undefined> {
    const [row] = await this.db.query<KeyRow>(`SELECT ${KEY_COLUMNS} FROM kms_keys WHERE account_id = $1 AND is_default`, [accountId]);
    return row ? keyRecordOf(row) : undefined;
  }

  /** The count and the page from one snapshot, as SQLite's read transaction gives them. */
  async list(accountId: string, offset: number, limit: number): Promise<{ keys: KeyRecord[]; total: number }> {
    return await this.db.read(async (tx) => {
      const [count] = await tx.query<{ total: number }>("SELECT count(*)::bigint AS total FROM kms_keys WHERE account_id = $1", [accountId]);
      const rows = await tx.query<KeyRow>(`SELECT ${KEY_COLUMNS} FROM kms_keys WHERE account_id = $1 ORDER BY seq LIMIT $2 OFFSET $3`, [accountId, limit, offset]);
      return { keys: rows.map(keyRecordOf), total: count?.total ?? 0 };
    });
  }

  async setState(keyId: string, state: KeyState): Promise<boolean> {
    const updated = await this.db.query("UPDATE kms_keys SET key_state = $1 WHERE key_id = $2 AND key_state <> 'PendingDeletion' RETURNING 1", [state, keyId]);
    return updated.length === 1;
  }

  async material(key: KeyRecord): Promise<Buffer> {
    const [row] = await this.db.query<{ material_sealed: string }>("SELECT material_sealed FROM kms_keys WHERE key_id = $1", [key.keyId]);
    if (row === undefined) throw new Error(`no material for key ${key.keyId}`);
    return Buffer.from(this.box.open(row.material_sealed, materialContext(key.keyId, key.keyVersionId)), "base64");
  }

  async close(): Promise<void> {
    await this.db.close();
  }
}
