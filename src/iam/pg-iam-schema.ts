/**
 * The identity schema on PostgreSQL (migrations run by src/db/migrate.ts, component "iam"): the
 * tables of iam.sqlite (iam-db.ts) at its current version, in the database the object metadata
 * and IMM projects share. Differences:
 *  - every table is prefixed `iam_`: the database is shared with other components (the metadata
 *    already has `change_seq` and `leases`);
 *  - names that compare case-insensitively (users, roles, policies, attachment targets) carry a
 *    `*_key` column, the name folded by `foldName` (ASCII only, as SQLite's NOCASE), compared
 *    byte-wise (COLLATE "C"), so equality and order are SQLite's;
 *  - times are TEXT ISO strings as in SQLite (STS expiry: BIGINT milliseconds).
 * Never edit a shipped step; add one.
 */
export const IAM_COMPONENT = "iam";

/** SQLite's NOCASE folding: ASCII A–Z only, everything else unchanged. */
export function foldName(name: string): string {
  return name.replace(/[A-Z]/g, (c) => c.toLowerCase());
}

export const PG_IAM_MIGRATIONS: readonly string[] = [
  `CREATE TABLE iam_settings (name TEXT PRIMARY KEY, value TEXT NOT NULL);
   CREATE TABLE iam_users (
     name_key TEXT COLLATE "C" PRIMARY KEY,
     name TEXT NOT NULL,
     user_id TEXT NOT NULL UNIQUE,
     display_name TEXT NOT NULL,
     email TEXT NOT NULL DEFAULT '',
     mobile_phone TEXT NOT NULL DEFAULT '',
     comments TEXT NOT NULL DEFAULT '',
     created_at TEXT NOT NULL,
     updated_at TEXT NOT NULL
   );
   -- user_name: as the caller spelt it when the key was made (SQLite keeps that spelling too).
   CREATE TABLE iam_access_keys (
     id TEXT PRIMARY KEY,
     secret_sealed TEXT NOT NULL,
     kind TEXT NOT NULL CHECK (kind IN ('root', 'user')),
     user_key TEXT COLLATE "C" REFERENCES iam_users (name_key),
     user_name TEXT,
     status TEXT NOT NULL DEFAULT 'Active' CHECK (status IN ('Active', 'Inactive')),
     created_at TEXT NOT NULL
   );
   CREATE INDEX iam_access_keys_by_user ON iam_access_keys (user_key);
   CREATE INDEX iam_access_keys_by_kind ON iam_access_keys (kind, created_at);
   CREATE TABLE iam_policies (
     name_key TEXT COLLATE "C" PRIMARY KEY,
     name TEXT NOT NULL,
     type TEXT NOT NULL CHECK (type IN ('System', 'Custom')),
     description TEXT NOT NULL DEFAULT '',
     default_version TEXT NOT NULL,
     next_version INTEGER NOT NULL,
     created_at TEXT NOT NULL,
     updated_at TEXT NOT NULL
   );
   CREATE TABLE iam_policy_versions (
     policy_key TEXT COLLATE "C" NOT NULL REFERENCES iam_policies (name_key) ON DELETE CASCADE,
     version_id TEXT COLLATE "C" NOT NULL,
     document TEXT NOT NULL,
     created_at TEXT NOT NULL,
     PRIMARY KEY (policy_key, version_id)
   );
   CREATE TABLE iam_attachments (
     principal_type TEXT NOT NULL CHECK (principal_type IN ('user', 'role')),
     principal_key TEXT COLLATE "C" NOT NULL,
     policy_key TEXT COLLATE "C" NOT NULL REFERENCES iam_policies (name_key),
     attached_at TEXT NOT NULL,
     PRIMARY KEY (principal_type, principal_key, policy_key)
   );
   CREATE INDEX iam_attachments_by_policy ON iam_attachments (policy_key);
   CREATE TABLE iam_roles (
     name_key TEXT COLLATE "C" PRIMARY KEY,
     name TEXT NOT NULL,
     role_id TEXT NOT NULL UNIQUE,
     trust_policy TEXT NOT NULL,
     description TEXT NOT NULL DEFAULT '',
     max_session_duration INTEGER NOT NULL DEFAULT 3600,
     created_at TEXT NOT NULL,
     updated_at TEXT NOT NULL
   );
   CREATE TABLE iam_sts_sessions (
     access_key_id TEXT PRIMARY KEY,
     secret_sealed TEXT NOT NULL,
     token_hash TEXT NOT NULL,
     role_name TEXT NOT NULL,
     session_name TEXT NOT NULL,
     session_policy TEXT,
     caller_arn TEXT NOT NULL,
     expires_at BIGINT NOT NULL
   );
   CREATE INDEX iam_sts_sessions_by_expiry ON iam_sts_sessions (expires_at);
   CREATE TABLE iam_bucket_policies (bucket TEXT COLLATE "C" PRIMARY KEY, document TEXT NOT NULL, updated_at TEXT NOT NULL);
   -- Generation counters of this component's caches (storage/pg-change-seq.ts), apart from the metadata's change_seq.
   CREATE TABLE iam_change_seq (scope TEXT PRIMARY KEY, seq BIGINT NOT NULL);
   CREATE TABLE iam_rpc_nonces (key TEXT PRIMARY KEY, expires_at BIGINT NOT NULL);
   CREATE INDEX iam_rpc_nonces_by_expiry ON iam_rpc_nonces (expires_at);`,
];
