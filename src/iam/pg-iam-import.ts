/**
 * Upgrading a node that kept its identities in `<dataDir>/iam.sqlite` while its metadata was
 * already in PostgreSQL: the buckets there belong to the file's account id, so the file's
 * identities are copied into the database once — accounts, keys (secrets stay sealed as they
 * are), users, roles, policies, attachments, STS sessions, bucket policies, settings — before any
 * node generates an account of its own. The file is then renamed `iam.sqlite.imported`: no
 * identity state is left in the data dir.
 */
import { existsSync, renameSync } from "node:fs";
import type { Db, Tx } from "../db/transaction.js";
import { openSqliteReadOnly, type SqliteDatabase } from "../storage/sqlite-schema.js";
import { foldName } from "./pg-iam-schema.js";
import type { SecretBox } from "./secret-box.js";

/** What opening the database with an iam.sqlite beside it did ("already-imported": the database has the file's account, or the file has none). */
export type ImportOutcome = "imported" | "already-imported";

/** Importers on nodes sharing the file take turns; the later ones find the account and skip. */
const IMPORT_LOCK = "iam:import-sqlite";

type Row = Record<string, unknown>;

interface SqliteIdentities {
  readonly accountId: string | undefined;
  readonly tables: Record<string, Row[]>;
}

/** The file's identities; undefined when it is gone (another node sharing the data dir imported and renamed it). */
function readSqlite(file: string): SqliteIdentities | undefined {
  let db: SqliteDatabase;
  try {
    // Read-only, never created: opening a path another node just renamed must not make an empty file there.
    db = openSqliteReadOnly(file);
  } catch (error) {
    if (!existsSync(file)) return undefined;
    throw error;
  }
  try {
    const has = (table: string) => db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(table) !== undefined;
    const all = (sql: string) => db.prepare(sql).all() as Row[];
    return {
      accountId: db.prepare("SELECT value FROM settings WHERE name = 'account_id'").pluck().get() as string | undefined,
      tables: {
        settings: all("SELECT * FROM settings"),
        users: all("SELECT * FROM users"),
        access_keys: all("SELECT * FROM access_keys"),
        policies: all("SELECT * FROM policies"),
        policy_versions: all("SELECT * FROM policy_versions"),
        attachments: all("SELECT * FROM attachments"),
        roles: all("SELECT * FROM roles"),
        sts_sessions: all("SELECT * FROM sts_sessions"),
        bucket_policies: has("bucket_policies") ? all("SELECT * FROM bucket_policies") : [], // iam.sqlite v2
      },
    };
  } finally {
    db.close();
  }
}

/** Secrets are copied sealed as they are: they must open with this node's key, or no node could use them. */
function checkSealedWith(source: SqliteIdentities, box: SecretBox, file: string): void {
  try {
    for (const r of source.tables.access_keys!) box.open(r.secret_sealed as string, `access-key:${r.id as string}`);
    for (const r of source.tables.sts_sessions!) box.open(r.secret_sealed as string, `sts:${r.access_key_id as string}`);
  } catch {
    throw new Error(`${file} was sealed with another master key than this node's: start it with the key of the node that wrote it`);
  }
}

/** One multi-row INSERT per table (rows are few: identities, not objects). */
async function insertRows(tx: Tx, table: string, columns: readonly string[], rows: readonly unknown[][]): Promise<void> {
  const BATCH = 500;
  for (let start = 0; start < rows.length; start += BATCH) {
    const batch = rows.slice(start, start + BATCH);
    const values: unknown[] = [];
    const tuples = batch.map((row) => `(${row.map((value) => { values.push(value); return `$${values.length}`; }).join(", ")})`);
    await tx.query(`INSERT INTO ${table} (${columns.join(", ")}) VALUES ${tuples.join(", ")}`, values);
  }
}

async function copyInto(tx: Tx, t: Record<string, Row[]>): Promise<void> {
  const s = (value: unknown) => value as string;
  await insertRows(tx, "iam_settings", ["name", "value"], t.settings!.map((r) => [r.name, r.value]));
  await insertRows(tx, "iam_users", ["name_key", "name", "user_id", "display_name", "email", "mobile_phone", "comments", "created_at", "updated_at"],
    t.users!.map((r) => [foldName(s(r.name)), r.name, r.user_id, r.display_name, r.email, r.mobile_phone, r.comments, r.created_at, r.updated_at]));
  await insertRows(tx, "iam_access_keys", ["id", "secret_sealed", "kind", "user_key", "user_name", "status", "created_at"],
    t.access_keys!.map((r) => [r.id, r.secret_sealed, r.kind, r.user_name === null ? null : foldName(s(r.user_name)), r.user_name, r.status, r.created_at]));
  await insertRows(tx, "iam_policies", ["name_key", "name", "type", "description", "default_version", "next_version", "created_at", "updated_at"],
    t.policies!.map((r) => [foldName(s(r.name)), r.name, r.type, r.description, r.default_version, r.next_version, r.created_at, r.updated_at]));
  await insertRows(tx, "iam_policy_versions", ["policy_key", "version_id", "document", "created_at"],
    t.policy_versions!.map((r) => [foldName(s(r.policy_name)), r.version_id, r.document, r.created_at]));
  await insertRows(tx, "iam_attachments", ["principal_type", "principal_key", "policy_key", "attached_at"],
    t.attachments!.map((r) => [r.principal_type, foldName(s(r.principal_name)), foldName(s(r.policy_name)), r.attached_at]));
  await insertRows(tx, "iam_roles", ["name_key", "name", "role_id", "trust_policy", "description", "max_session_duration", "created_at", "updated_at"],
    t.roles!.map((r) => [foldName(s(r.name)), r.name, r.role_id, r.trust_policy, r.description, r.max_session_duration, r.created_at, r.updated_at]));
  await insertRows(tx, "iam_sts_sessions", ["access_key_id", "secret_sealed", "token_hash", "role_name", "session_name", "session_policy", "caller_arn", "expires_at"],
    t.sts_sessions!.map((r) => [r.access_key_id, r.secret_sealed, r.token_hash, r.role_name, r.session_name, r.session_policy, r.caller_arn, r.expires_at]));
  await insertRows(tx, "iam_bucket_policies", ["bucket", "document", "updated_at"], t.bucket_policies!.map((r) => [r.bucket, r.document, r.updated_at]));
}

/**
 * Copies `file` into a database that has no account yet, then renames the file. Refuses (throws)
 * when the database already holds another account (the file's identities would be lost silently)
 * or when `box` cannot open the file's secrets.
 */
export async function importSqliteIdentities(db: Db, file: string, box: SecretBox): Promise<ImportOutcome> {
  const source = readSqlite(file);
  if (!source) return "already-imported";
  checkSealedWith(source, box, file);
  const outcome = await db.write(async (tx): Promise<ImportOutcome | { other: string }> => {
    const [row] = await tx.query<{ value: string }>("SELECT value FROM iam_settings WHERE name = 'account_id'");
    if (row) return row.value === source.accountId || source.accountId === undefined ? "already-imported" : { other: row.value };
    // The master-key check value this node stored a moment ago stays (the file has none).
    await tx.query("DELETE FROM iam_settings WHERE name IN (SELECT unnest($1::text[]))", [source.tables.settings!.map((r) => r.name)]);
    await copyInto(tx, source.tables);
    return "imported";
  }, IMPORT_LOCK);
  if (typeof outcome !== "string") {
    throw new Error(
      `${file} holds the identities of account ${source.accountId ?? "(none)"}, but the database already has account ${outcome.other}: ` +
        "move the file away to start with the database's identities",
    );
  }
  for (const suffix of ["", "-wal", "-shm"]) {
    // Another node sharing the data dir may have renamed it already.
    if (existsSync(file + suffix)) {
      try {
        renameSync(file + suffix, `${file}.imported${suffix}`);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
      }
    }
  }
  return outcome;
}
