/**
 * Accounts and access keys, in their own SQLite file (`<dataDir>/iam.sqlite`): the installation's
 * root account and its keys today; RAM users, roles and STS sessions build on it.
 */
import { createRequire } from "node:module";
import { randomBytes, randomInt } from "node:crypto";
import type { Credential, CredentialResolver, Principal } from "../auth/types.js";
import { migrate, type SqliteDatabase } from "../storage/sqlite-schema.js";

type DatabaseConstructor = new (file: string, options?: { timeout?: number }) => SqliteDatabase;
const BetterSqlite3 = createRequire(import.meta.url)("better-sqlite3") as DatabaseConstructor;

const MIGRATIONS: readonly string[] = [
  `CREATE TABLE settings (name TEXT PRIMARY KEY, value TEXT NOT NULL);
   CREATE TABLE access_keys (
     id TEXT PRIMARY KEY,
     secret TEXT NOT NULL,
     account_id TEXT NOT NULL,
     kind TEXT NOT NULL CHECK (kind IN ('root', 'user')),
     user_name TEXT,
     status TEXT NOT NULL DEFAULT 'Active' CHECK (status IN ('Active', 'Inactive')),
     created_at TEXT NOT NULL
   );`,
];

export interface RootKey {
  readonly accessKeyId: string;
  readonly secret: string;
  /** True when this call generated the key (it must be shown to the operator once). */
  readonly generated: boolean;
}

export class IdentityStore implements CredentialResolver {
  private readonly db: SqliteDatabase;
  /** Keys supplied from the environment, never stored. */
  private readonly envKeys = new Map<string, Credential>();

  constructor(file: string) {
    this.db = new BetterSqlite3(file, { timeout: 5000 });
    this.db.pragma("journal_mode = WAL");
    this.db.pragma("synchronous = FULL");
    migrate(this.db, MIGRATIONS);
  }

  /** The installation's account id: 16 digits, generated once. */
  accountId(): string {
    const row = this.db.prepare("SELECT value FROM settings WHERE name = 'account_id'").get() as { value: string } | undefined;
    if (row) return row.value;
    const id = String(randomInt(1, 10)) + Array.from({ length: 15 }, () => String(randomInt(0, 10))).join("");
    this.db.prepare("INSERT INTO settings (name, value) VALUES ('account_id', ?)").run(id);
    return id;
  }

  /**
   * The root key: from the environment when given (kept in memory only), else the stored one,
   * else a newly generated one (stored; the caller prints it once).
   */
  ensureRootKey(fromEnv?: { accessKeyId: string; secret: string }): RootKey {
    const accountId = this.accountId();
    if (fromEnv) {
      this.envKeys.set(fromEnv.accessKeyId, this.credential(fromEnv.accessKeyId, fromEnv.secret, accountId, "root", undefined, true));
      return { ...fromEnv, generated: false };
    }
    const row = this.db.prepare("SELECT id, secret FROM access_keys WHERE kind = 'root' AND status = 'Active' ORDER BY created_at LIMIT 1").get() as
      | { id: string; secret: string }
      | undefined;
    if (row) return { accessKeyId: row.id, secret: row.secret, generated: false };
    const accessKeyId = `LTAI${randomBytes(10).toString("hex").toUpperCase().slice(0, 20)}`;
    const secret = randomBytes(22).toString("base64url").slice(0, 30);
    this.db
      .prepare("INSERT INTO access_keys (id, secret, account_id, kind, created_at) VALUES (?, ?, ?, 'root', ?)")
      .run(accessKeyId, secret, accountId, new Date().toISOString());
    return { accessKeyId, secret, generated: true };
  }

  resolve(accessKeyId: string): Credential | undefined {
    const env = this.envKeys.get(accessKeyId);
    if (env) return env;
    const row = this.db.prepare("SELECT id, secret, account_id, kind, user_name, status FROM access_keys WHERE id = ?").get(accessKeyId) as
      | { id: string; secret: string; account_id: string; kind: "root" | "user"; user_name: string | null; status: string }
      | undefined;
    if (!row) return undefined;
    return this.credential(row.id, row.secret, row.account_id, row.kind, row.user_name ?? undefined, row.status === "Active");
  }

  private credential(id: string, secret: string, accountId: string, kind: "root" | "user", userName: string | undefined, active: boolean): Credential {
    const principal: Principal = {
      accountId,
      kind,
      ...(userName !== undefined ? { name: userName } : {}),
      arn: kind === "root" ? `acs:ram::${accountId}:root` : `acs:ram::${accountId}:user/${userName}`,
      accessKeyId: id,
    };
    return { accessKeyId: id, secret, principal, active };
  }

  close(): void {
    this.db.close();
  }
}
