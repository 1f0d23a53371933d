/**
 * The KMS key store on SQLite (`<dataDir>/kms.sqlite`), opened like the identity store: WAL +
 * synchronous=FULL, so an acknowledged CreateKey/DisableKey survives a crash.
 *
 * Key material is stored only sealed with the server master key (SecretBox, AES-256-GCM), the
 * associated data binding it to its key id and version, so material moved to another row won't open.
 */
import { openSqlite, type SqliteDatabase } from "../storage/sqlite-schema.js";
import type { SecretBox } from "../iam/secret-box.js";
import type { KeyRecord, KeyState, KmsKeyStore } from "./key-store.js";
import { KEY_COLUMNS, keyRecordOf, materialContext, type KeyRow } from "./key-rows.js";

/** Schema steps; index + 1 is the version. Never edit a shipped step: add one. */
const MIGRATIONS: readonly string[] = [
  `CREATE TABLE keys (
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
     is_default INTEGER NOT NULL DEFAULT 0
   );
   CREATE INDEX keys_by_account ON keys (account_id);
   CREATE UNIQUE INDEX one_default_key_per_account ON keys (account_id) WHERE is_default = 1;`,
];

export class SqliteKmsKeyStore implements KmsKeyStore {
  private readonly db: SqliteDatabase;

  constructor(file: string, private readonly box: SecretBox) {
    this.db = openSqlite(file, MIGRATIONS);
  }

  /** Seals the material here. */
  async insert(key: KeyRecord, material: Buffer): Promise<"created" | "default-exists"> {
    const sealed = this.box.seal(material.toString("base64"), materialContext(key.keyId, key.keyVersionId));
    try {
      this.db
        .prepare(`INSERT INTO keys (${KEY_COLUMNS}, material_sealed) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
        .run(key.keyId, key.accountId, key.description, key.keyState, key.keyUsage, key.keySpec, key.creator, key.creationDate, key.keyVersionId, key.isDefault ? 1 : 0, sealed);
      return "created";
    } catch (error) {
      if (key.isDefault && (error as { code?: string }).code === "SQLITE_CONSTRAINT_UNIQUE") return "default-exists";
      throw error;
    }
  }

  async get(keyId: string): Promise<KeyRecord | undefined> {
    const row = this.db.prepare(`SELECT ${KEY_COLUMNS} FROM keys WHERE key_id = ?`).get(keyId) as KeyRow | undefined;
    return row ? keyRecordOf(row) : undefined;
  }

  async defaultKey(accountId: string): Promise<KeyRecord | undefined> {
    const row = this.db.prepare(`SELECT ${KEY_COLUMNS} FROM keys WHERE account_id = ? AND is_default = 1`).get(accountId) as KeyRow | undefined;
    return row ? keyRecordOf(row) : undefined;
  }

  async list(accountId: string, offset: number, limit: number): Promise<{ keys: KeyRecord[]; total: number }> {
    return this.db.transaction(() => this.listNow(accountId, offset, limit))();
  }

  private listNow(accountId: string, offset: number, limit: number): { keys: KeyRecord[]; total: number } {
    const total = this.db.prepare("SELECT COUNT(*) FROM keys WHERE account_id = ?").pluck().get(accountId) as number;
    const rows = this.db
      .prepare(`SELECT ${KEY_COLUMNS} FROM keys WHERE account_id = ? ORDER BY rowid LIMIT ? OFFSET ?`)
      .all(accountId, limit, offset) as KeyRow[];
    return { keys: rows.map(keyRecordOf), total };
  }

  async setState(keyId: string, state: KeyState): Promise<boolean> {
    return this.db.prepare("UPDATE keys SET key_state = ? WHERE key_id = ? AND key_state <> 'PendingDeletion'").run(state, keyId).changes === 1;
  }

  async material(key: KeyRecord): Promise<Buffer> {
    const sealed = this.db.prepare("SELECT material_sealed FROM keys WHERE key_id = ?").pluck().get(key.keyId) as string | undefined;
    if (sealed === undefined) throw new Error(`no material for key ${key.keyId}`);
    return Buffer.from(this.box.open(sealed, materialContext(key.keyId, key.keyVersionId)), "base64");
  }

  async close(): Promise<void> {
    this.db.close();
  }
}
