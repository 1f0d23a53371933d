/**
 * Accounts and access keys on SQLite (iam.sqlite): the installation's root account and its key,
 * RAM users' keys and STS session keys, all resolvable by AccessKeyId for signature checks.
 * Secrets are sealed at rest. Synchronous inside; the interface (stores.ts) is asynchronous.
 * Key material and credentials: credentials.ts (shared with the PostgreSQL store).
 */
import type { Credential, Principal } from "../auth/types.js";
import type { SqliteDatabase, SqliteStatement } from "../storage/sqlite-schema.js";
import type { SecretBox } from "./secret-box.js";
import { RpcError } from "../rpc/errors.js";
import { MAX_KEYS_PER_USER, type AccessKeyInfo, type IdentityStore, type NewSession, type RootKey } from "./stores.js";
import { notFoundUser } from "./iam-errors.js";
import {
  credential, newAccessKeyId, newAccountId, newSecret, newSecurityToken, rootPrincipal, sessionCredential, SESSION_RETENTION_MS, tokenHash, userPrincipal,
} from "./credentials.js";

interface KeyRow {
  id: string;
  secret_sealed: string;
  kind: "root" | "user";
  user_name: string | null;
  status: string;
  created_at: string;
}

interface SessionRow {
  access_key_id: string;
  secret_sealed: string;
  token_hash: string;
  role_name: string;
  session_name: string;
  session_policy: string | null;
  expires_at: number;
}

export class SqliteIdentityStore implements IdentityStore {
  /** Keys supplied from the environment, never stored. */
  private readonly envKeys = new Map<string, Credential>();
  private cachedAccountId: string | undefined;

  // Every signed request resolves its key: these two are prepared once (compiling costs more than the read).
  private readonly selectKey: SqliteStatement;
  private readonly selectSession: SqliteStatement;

  constructor(private readonly db: SqliteDatabase, private readonly box: SecretBox) {
    this.selectKey = db.prepare("SELECT k.*, u.user_id AS user_id FROM access_keys k LEFT JOIN users u ON u.name = k.user_name WHERE k.id = ?");
    this.selectSession = db.prepare("SELECT * FROM sts_sessions WHERE access_key_id = ?");
  }

  async accountId(): Promise<string> {
    return this.accountIdNow();
  }

  /** The account id, synchronously (for the other SQLite stores of the same file). */
  accountIdNow(): string {
    if (this.cachedAccountId) return this.cachedAccountId;
    const stored = this.db.prepare("SELECT value FROM settings WHERE name = 'account_id'").pluck().get() as string | undefined;
    if (stored) return (this.cachedAccountId = stored);
    const id = newAccountId();
    // Another process may have generated it meanwhile: the first insert wins, everyone reads it back.
    this.db.prepare("INSERT INTO settings (name, value) VALUES ('account_id', ?) ON CONFLICT (name) DO NOTHING").run(id);
    return (this.cachedAccountId = this.db.prepare("SELECT value FROM settings WHERE name = 'account_id'").pluck().get() as string);
  }

  async getSetting(name: string): Promise<string | undefined> {
    return this.db.prepare("SELECT value FROM settings WHERE name = ?").pluck().get(name) as string | undefined;
  }

  async setSetting(name: string, value: string): Promise<void> {
    this.db.prepare("INSERT INTO settings (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value").run(name, value);
  }

  async ensureRootKey(fromEnv?: { accessKeyId: string; secret: string }): Promise<RootKey> {
    const accountId = this.accountIdNow();
    if (fromEnv) {
      this.envKeys.set(fromEnv.accessKeyId, credential(fromEnv.accessKeyId, fromEnv.secret, rootPrincipal(accountId, fromEnv.accessKeyId), true));
      return { ...fromEnv, generated: false };
    }
    const row = this.db.prepare("SELECT * FROM access_keys WHERE kind = 'root' AND status = 'Active' ORDER BY created_at LIMIT 1").get() as KeyRow | undefined;
    if (row) return { accessKeyId: row.id, secret: this.box.open(row.secret_sealed, `access-key:${row.id}`), generated: false };
    const accessKeyId = newAccessKeyId();
    const secret = newSecret();
    this.insertKey(accessKeyId, secret, "root", undefined);
    return { accessKeyId, secret, generated: true };
  }

  private insertKey(id: string, secret: string, kind: "root" | "user", userName: string | undefined): string {
    const created = new Date().toISOString();
    this.db
      .prepare("INSERT INTO access_keys (id, secret_sealed, kind, user_name, created_at) VALUES (?, ?, ?, ?, ?)")
      .run(id, this.box.seal(secret, `access-key:${id}`), kind, userName ?? null, created);
    return created;
  }

  async createUserKey(userName: string): Promise<{ accessKeyId: string; secret: string; createDate: string }> {
    return this.db.transaction(() => {
      if (this.db.prepare("SELECT 1 FROM users WHERE name = ?").get(userName) === undefined) throw notFoundUser(userName);
      const count = this.db.prepare("SELECT COUNT(*) FROM access_keys WHERE user_name = ?").pluck().get(userName) as number;
      if (count >= MAX_KEYS_PER_USER) {
        throw new RpcError(409, "LimitExceeded.User.AccessKey", `The user ${userName} already has ${MAX_KEYS_PER_USER} access keys.`);
      }
      const accessKeyId = newAccessKeyId();
      const secret = newSecret();
      const createDate = this.insertKey(accessKeyId, secret, "user", userName);
      return { accessKeyId, secret, createDate };
    }).immediate();
  }

  async listUserKeys(userName: string): Promise<AccessKeyInfo[]> {
    const rows = this.db.prepare("SELECT * FROM access_keys WHERE user_name = ? ORDER BY created_at").all(userName) as KeyRow[];
    return rows.map((r) => ({ accessKeyId: r.id, status: r.status as AccessKeyInfo["status"], createDate: r.created_at }));
  }

  async updateUserKey(userName: string, accessKeyId: string, status: "Active" | "Inactive"): Promise<void> {
    const result = this.db.prepare("UPDATE access_keys SET status = ? WHERE id = ? AND user_name = ?").run(status, accessKeyId, userName);
    if (result.changes === 0) throw new RpcError(404, "EntityNotExist.User.AccessKey", `The access key ${accessKeyId} of user ${userName} does not exist.`);
  }

  async deleteUserKey(userName: string, accessKeyId: string): Promise<void> {
    const result = this.db.prepare("DELETE FROM access_keys WHERE id = ? AND user_name = ?").run(accessKeyId, userName);
    if (result.changes === 0) throw new RpcError(404, "EntityNotExist.User.AccessKey", `The access key ${accessKeyId} of user ${userName} does not exist.`);
  }

  async createSession(session: NewSession): Promise<{ accessKeyId: string; secret: string; securityToken: string }> {
    const accessKeyId = newAccessKeyId("STS.");
    const secret = newSecret();
    const securityToken = newSecurityToken();
    this.db.prepare("DELETE FROM sts_sessions WHERE expires_at < ?").run(Date.now() - SESSION_RETENTION_MS);
    this.db
      .prepare("INSERT INTO sts_sessions (access_key_id, secret_sealed, token_hash, role_name, session_name, session_policy, caller_arn, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
      .run(accessKeyId, this.box.seal(secret, `sts:${accessKeyId}`), tokenHash(securityToken).toString("hex"), session.roleName, session.sessionName, session.sessionPolicy ?? null, session.callerArn, session.expiresAt.getTime());
    return { accessKeyId, secret, securityToken };
  }

  async resolve(accessKeyId: string): Promise<Credential | undefined> {
    const env = this.envKeys.get(accessKeyId);
    if (env) return env;
    if (accessKeyId.startsWith("STS.")) return this.resolveSession(accessKeyId);
    const row = this.selectKey.get(accessKeyId) as (KeyRow & { user_id: string | null }) | undefined;
    if (!row) return undefined;
    const accountId = this.accountIdNow();
    const principal: Principal =
      row.kind === "root" ? rootPrincipal(accountId, row.id) : userPrincipal(accountId, row.user_name ?? "", row.user_id ?? "", row.id);
    return credential(row.id, this.box.open(row.secret_sealed, `access-key:${row.id}`), principal, row.status === "Active");
  }

  private resolveSession(accessKeyId: string): Credential | undefined {
    const row = this.selectSession.get(accessKeyId) as SessionRow | undefined;
    if (!row) return undefined;
    return sessionCredential(this.accountIdNow(), {
      accessKeyId, secret: this.box.open(row.secret_sealed, `sts:${accessKeyId}`), tokenHashHex: row.token_hash,
      roleName: row.role_name, sessionName: row.session_name, sessionPolicy: row.session_policy ?? undefined, expiresAtMs: row.expires_at,
    });
  }
}
