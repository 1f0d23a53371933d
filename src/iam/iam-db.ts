/** The identity database (`<dataDir>/iam.sqlite`): schema and opening. */
import { openSqlite, type SqliteDatabase } from "../storage/sqlite-schema.js";


/** Schema steps; index + 1 is the version. Never edit a shipped step: add one. */
const MIGRATIONS: readonly string[] = [
  `CREATE TABLE settings (name TEXT PRIMARY KEY, value TEXT NOT NULL);
   CREATE TABLE users (
     name TEXT PRIMARY KEY COLLATE NOCASE,
     user_id TEXT NOT NULL UNIQUE,
     display_name TEXT NOT NULL,
     email TEXT NOT NULL DEFAULT '',
     mobile_phone TEXT NOT NULL DEFAULT '',
     comments TEXT NOT NULL DEFAULT '',
     created_at TEXT NOT NULL,
     updated_at TEXT NOT NULL
   );
   CREATE TABLE access_keys (
     id TEXT PRIMARY KEY,
     secret_sealed TEXT NOT NULL,
     kind TEXT NOT NULL CHECK (kind IN ('root', 'user')),
     user_name TEXT REFERENCES users (name),
     status TEXT NOT NULL DEFAULT 'Active' CHECK (status IN ('Active', 'Inactive')),
     created_at TEXT NOT NULL
   );
   CREATE INDEX access_keys_by_user ON access_keys (user_name);
   CREATE TABLE policies (
     name TEXT PRIMARY KEY COLLATE NOCASE,
     type TEXT NOT NULL CHECK (type IN ('System', 'Custom')),
     description TEXT NOT NULL DEFAULT '',
     default_version TEXT NOT NULL,
     next_version INTEGER NOT NULL,
     created_at TEXT NOT NULL,
     updated_at TEXT NOT NULL
   );
   CREATE TABLE policy_versions (
     policy_name TEXT NOT NULL REFERENCES policies (name) ON DELETE CASCADE,
     version_id TEXT NOT NULL,
     document TEXT NOT NULL,
     created_at TEXT NOT NULL,
     PRIMARY KEY (policy_name, version_id)
   );
   CREATE TABLE attachments (
     principal_type TEXT NOT NULL CHECK (principal_type IN ('user', 'role')),
     principal_name TEXT NOT NULL COLLATE NOCASE,
     policy_name TEXT NOT NULL REFERENCES policies (name),
     attached_at TEXT NOT NULL,
     PRIMARY KEY (principal_type, principal_name, policy_name)
   );
   CREATE INDEX attachments_by_policy ON attachments (policy_name);
   CREATE TABLE roles (
     name TEXT PRIMARY KEY COLLATE NOCASE,
     role_id TEXT NOT NULL UNIQUE,
     trust_policy TEXT NOT NULL,
     description TEXT NOT NULL DEFAULT '',
     max_session_duration INTEGER NOT NULL DEFAULT 3600,
     created_at TEXT NOT NULL,
     updated_at TEXT NOT NULL
   );
   CREATE TABLE sts_sessions (
     access_key_id TEXT PRIMARY KEY,
     secret_sealed TEXT NOT NULL,
     token_hash TEXT NOT NULL,
     role_name TEXT NOT NULL,
     session_name TEXT NOT NULL,
     session_policy TEXT,
     caller_arn TEXT NOT NULL,
     expires_at INTEGER NOT NULL
   );
   CREATE INDEX sts_sessions_by_expiry ON sts_sessions (expires_at);`,
  `CREATE TABLE bucket_policies (bucket TEXT PRIMARY KEY, document TEXT NOT NULL, updated_at TEXT NOT NULL);`,
  // Several server processes: generation counters for caches (storage/change-seq.ts), RPC nonces (nonces.ts).
  `CREATE TABLE IF NOT EXISTS change_seq (scope TEXT PRIMARY KEY, seq INTEGER NOT NULL) WITHOUT ROWID;
   CREATE TABLE IF NOT EXISTS rpc_nonces (key TEXT PRIMARY KEY, expires_at INTEGER NOT NULL) WITHOUT ROWID;`,
];

export function openIamDatabase(file: string): SqliteDatabase {
  return openSqlite(file, MIGRATIONS);
}
