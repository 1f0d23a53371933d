/**
 * Accounts, access keys and STS sessions on PostgreSQL (pg-iam-schema.ts), shared by every node:
 * the same behaviour as the SQLite store (identity-store.ts), secrets sealed the same way. The
 * account id is generated once (the first node's insert wins, every node reads it back) and then
 * kept in memory: it never changes.
 */
import type { Credential } from "../auth/types.js";
import type { Db, Tx } from "../db/transaction.js";
import { RpcError } from "../rpc/errors.js";
import type { SecretBox } from "./secret-box.js";
import { MAX_KEYS_PER_USER, type AccessKeyInfo, type IdentityStore, type NewSession, type RootKey } from "./stores.js";
import { notFoundUser } from "./iam-errors.js";
import {
  credential, newAccessKeyId, newAccountId, newSecret, newSecurityToken, rootPrincipal, sessionCredential, SESSION_RETENTION_MS, tokenHash, userPrincipal,
} from "./credentials.js";
import { foldName } from "./pg-iam-schema.js";

interface KeyRow {
  id: string;
  secret_sealed: string;
  kind: "root" | "user";
  user_name: string | null;
  user_id: string | null;
  status: "Active" | "Inactive";
  created_at: string;
}

interface SessionRow {
  secret_sealed: string;
  token_hash: string;
  role_name: string;
  session_name: string;
  session_policy: string | null;
  expires_at: number;
}

/** Serializes root key generation between nodes starting together (any fixed key of the IAM's own). */
const ROOT_KEY_LOCK = "iam:root-key";

export class PgIdentityStore implements IdentityStore {
  /** Keys supplied from the environment, never stored. */
  private readonly envKeys = new Map<string, Credential>();
  private cachedAccountId: string | undefined;

  constructor(private readonly db: Db, private readonly box: SecretBox) {}

  async accountId(): Promise<string> {
    if (this.cachedAccountId) return this.cachedAccountId;
    // Nodes may start together: the first insert wins (the others' wait for its commit, then do nothing).
    await this.db.query("INSERT INTO iam_settings (name, value) VALUES ('account_id', $1) ON CONFLICT (name) DO NOTHING", [newAccountId()]);
    const [row] = await this.db.query<{ value: string }>("SELECT value FROM iam_settings WHERE name = 'account_id'");
    if (!row) throw new Error("the account id was not stored");
    return (this.cachedAccountId = row.value);
  }

  async getSetting(name: string): Promise<string | undefined> {
    return (await this.db.query<{ value: string }>("SELECT value FROM iam_settings WHERE name = $1", [name]))[0]?.value;
  }

  async setSetting(name: string, value: string): Promise<void> {
    await this.db.query("INSERT INTO iam_settings (name, value) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET value = excluded.value", [name, value]);
  }

  async ensureRootKey(fromEnv?: { accessKeyId: string; secret: string }): Promise<RootKey> {
    const accountId = await this.accountId();
    if (fromEnv) {
      this.envKeys.set(fromEnv.accessKeyId, credential(fromEnv.accessKeyId, fromEnv.secret, rootPrincipal(accountId, fromEnv.accessKeyId), true));
      return { ...fromEnv, generated: false };
    }
    // Read and insert in one transaction: nodes starting together agree on one root key.
    return await this.db.write(async (tx) => {
      const [row] = await tx.query<KeyRow>("SELECT * FROM iam_access_keys WHERE kind = 'root' AND status = 'Active' ORDER BY created_at LIMIT 1");
      if (row) return { accessKeyId: row.id, secret: this.box.open(row.secret_sealed, `access-key:${row.id}`), generated: false };
      const accessKeyId = newAccessKeyId();
      const secret = newSecret();
      await this.insertKey(tx, accessKeyId, secret, "root", undefined);
      return { accessKeyId, secret, generated: true };
    }, ROOT_KEY_LOCK);
  }

  private async insertKey(tx: Tx, id: string, secret: string, kind: "root" | "user", userName: string | undefined): Promise<string> {
    const created = new Date().toISOString();
    await tx.query(
      "INSERT INTO iam_access_keys (id, secret_sealed, kind, user_key, user_name, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
      [id, this.box.seal(secret, `access-key:${id}`), kind, userName === undefined ? null : foldName(userName), userName ?? null, created],
    );
    return created;
  }

  async createUserKey(userName: string): Promise<{ accessKeyId: string; secret: string; createDate: string }> {
    const key = foldName(userName);
    return await this.db.write(async (tx) => {
      if ((await tx.query("SELECT 1 FROM iam_users WHERE name_key = $1", [key])).length === 0) throw notFoundUser(userName);
      const [{ count }] = (await tx.query<{ count: number }>("SELECT count(*)::int AS count FROM iam_access_keys WHERE user_key = $1", [key])) as [{ count: number }];
      if (count >= MAX_KEYS_PER_USER) {
        throw new RpcError(409, "LimitExceeded.User.AccessKey", `The user ${userName} already has ${MAX_KEYS_PER_USER} access keys.`);
      }
      const accessKeyId = newAccessKeyId();
      const secret = newSecret();
      const createDate = await this.insertKey(tx, accessKeyId, secret, "user", userName);
      return { accessKeyId, secret, createDate };
    });
  }

  async listUserKeys(userName: string): Promise<AccessKeyInfo[]> {
    const rows = await this.db.query<KeyRow>("SELECT * FROM iam_access_keys WHERE user_key = $1 ORDER BY created_at", [foldName(userName)]);
    return rows.map((r) => ({ accessKeyId: r.id, status: r.status, createDate: r.created_at }));
  }

  async updateUserKey(userName: string, accessKeyId: string, status: "Active" | "Inactive"): Promise<void> {
    const rows = await this.db.query("UPDATE iam_access_keys SET status = $1 WHERE id = $2 AND user_key = $3 RETURNING 1", [status, accessKeyId, foldName(userName)]);
    if (rows.length === 0) throw new RpcError(404, "EntityNotExist.User.AccessKey", `The access key ${accessKeyId} of user ${userName} does not exist.`);
  }

  async deleteUserKey(userName: string, accessKeyId: string): Promise<void> {
    const rows = await this.db.query("DELETE FROM iam_access_keys WHERE id = $1 AND user_key = $2 RETURNING 1", [accessKeyId, foldName(userName)]);
    if (rows.length === 0) throw new RpcError(404, "EntityNotExist.User.AccessKey", `The access key ${accessKeyId} of user ${userName} does not exist.`);
  }

  async createSession(session: NewSession): Promise<{ accessKeyId: string; secret: string; securityToken: string }> {
    const accessKeyId = newAccessKeyId("STS.");
    const secret = newSecret();
    const securityToken = newSecurityToken();
    await this.db.query("DELETE FROM iam_sts_sessions WHERE expires_at < $1", [Date.now() - SESSION_RETENTION_MS]);
    await this.db.query(
      `INSERT INTO iam_sts_sessions (access_key_id, secret_sealed, token_hash, role_name, session_name, session_policy, caller_arn, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [accessKeyId, this.box.seal(secret, `sts:${accessKeyId}`), tokenHash(securityToken).toString("hex"), session.roleName, session.sessionName,
        session.sessionPolicy ?? null, session.callerArn, session.expiresAt.getTime()],
    );
    return { accessKeyId, secret, securityToken };
  }

  /** Every signed request: one primary-key read (never cached, so a deleted or deactivated key stops at once on every node). */
  async resolve(accessKeyId: string): Promise<Credential | undefined> {
    const env = this.envKeys.get(accessKeyId);
    if (env) return env;
    if (accessKeyId.startsWith("STS.")) return await this.resolveSession(accessKeyId);
    const [row] = await this.db.query<KeyRow>(
      "SELECT k.*, u.user_id AS user_id FROM iam_access_keys k LEFT JOIN iam_users u ON u.name_key = k.user_key WHERE k.id = $1",
      [accessKeyId],
    );
    if (!row) return undefined;
    const accountId = await this.accountId();
    const principal = row.kind === "root" ? rootPrincipal(accountId, row.id) : userPrincipal(accountId, row.user_name ?? "", row.user_id ?? "", row.id);
    return credential(row.id, this.box.open(row.secret_sealed, `access-key:${row.id}`), principal, row.status === "Active");
  }

  private async resolveSession(accessKeyId: string): Promise<Credential | undefined> {
    const [row] = await this.db.query<SessionRow>("SELECT * FROM iam_sts_sessions WHERE access_key_id = $1", [accessKeyId]);
    if (!row) return undefined;
    return sessionCredential(await this.accountId(), {
      accessKeyId, secret: this.box.open(row.secret_sealed, `sts:${accessKeyId}`), tokenHashHex: row.token_hash,
      roleName: row.role_name, sessionName: row.session_name, sessionPolicy: row.session_policy ?? undefined, expiresAtMs: row.expires_at,
    });
  }
}
