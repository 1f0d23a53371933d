/**
 * RAM policies on PostgreSQL (pg-iam-schema.ts): the SQLite store's behaviour (policies.ts) —
 * custom policies with at most 5 versions, the system ones, attachments — shared by every node.
 * Read-check-write steps are one SERIALIZABLE transaction each (src/db/transaction.ts).
 */
import type { Db, Tx } from "../db/transaction.js";
import { RpcError } from "../rpc/errors.js";
import { MAX_POLICY_VERSIONS, type AttachmentTarget, type PolicyInfo, type PolicyStore, type PolicyType, type PolicyValidator, type PolicyVersion } from "./stores.js";
import { notFoundPolicy, notFoundRole, notFoundUser } from "./iam-errors.js";
import { foldName } from "./pg-iam-schema.js";

interface PolicyRow {
  name_key: string;
  name: string;
  type: PolicyType;
  description: string;
  default_version: string;
  next_version: number;
  created_at: string;
  updated_at: string;
  attachment_count: number;
}

type Queryable = Pick<Tx, "query">;

/** A policy row with its attachment count. */
const SELECT_POLICY = "SELECT p.*, (SELECT count(*)::int FROM iam_attachments a WHERE a.policy_key = p.name_key) AS attachment_count FROM iam_policies p";
/** Nodes starting together refresh the same system policies: they take turns instead of aborting each other. */
const SEED_LOCK = "iam:seed-system-policies";

function info(row: PolicyRow): PolicyInfo {
  return {
    PolicyName: row.name, PolicyType: row.type, Description: row.description, DefaultVersion: row.default_version,
    CreateDate: row.created_at, UpdateDate: row.updated_at, AttachmentCount: row.attachment_count,
  };
}

export class PgPolicyStore implements PolicyStore {
  constructor(private readonly db: Db, private readonly validate: PolicyValidator) {}

  async seedSystemPolicies(policies: Readonly<Record<string, { description: string; document: string }>>): Promise<void> {
    await this.db.write(async (tx) => {
      const now = new Date().toISOString();
      for (const [name, { description, document }] of Object.entries(policies)) {
        await tx.query(
          `INSERT INTO iam_policies (name_key, name, type, description, default_version, next_version, created_at, updated_at)
           VALUES ($1, $2, 'System', $3, 'v1', 2, $4, $4) ON CONFLICT (name_key) DO UPDATE SET description = excluded.description`,
          [foldName(name), name, description, now],
        );
        await tx.query(
          `INSERT INTO iam_policy_versions (policy_key, version_id, document, created_at) VALUES ($1, 'v1', $2, $3)
           ON CONFLICT (policy_key, version_id) DO UPDATE SET document = excluded.document`,
          [foldName(name), document, now],
        );
      }
    }, SEED_LOCK);
  }

  private async row(q: Queryable, name: string): Promise<PolicyRow | undefined> {
    return (await q.query<PolicyRow>(`${SELECT_POLICY} WHERE p.name_key = $1`, [foldName(name)]))[0];
  }

  private async requireRow(q: Queryable, name: string, type?: string): Promise<PolicyRow> {
    const row = await this.row(q, name);
    if (!row || (type !== undefined && type !== "" && row.type !== type)) throw notFoundPolicy(name);
    return row;
  }

  async create(name: string, document: string, description: string): Promise<PolicyInfo> {
    this.validate(document);
    const key = foldName(name);
    const now = new Date().toISOString();
    return await this.db.write(async (tx) => {
      const inserted = await tx.query(
        `INSERT INTO iam_policies (name_key, name, type, description, default_version, next_version, created_at, updated_at)
         VALUES ($1, $2, 'Custom', $3, 'v1', 2, $4, $4) ON CONFLICT (name_key) DO NOTHING RETURNING 1`,
        [key, name, description, now],
      );
      if (inserted.length === 0) throw new RpcError(409, "EntityAlreadyExists.Policy", `The policy already exists: ${name}.`);
      await tx.query("INSERT INTO iam_policy_versions (policy_key, version_id, document, created_at) VALUES ($1, 'v1', $2, $3)", [key, document, now]);
      return info(await this.requireRow(tx, name));
    });
  }

  async get(name: string, type?: string): Promise<{ policy: PolicyInfo; defaultVersion: PolicyVersion }> {
    // One snapshot: the default version read belongs to the row read.
    return await this.db.read(async (tx) => {
      const row = await this.requireRow(tx, name, type);
      return { policy: info(row), defaultVersion: await this.version(tx, row.name_key, row.name, row.default_version, row.default_version) };
    });
  }

  private async version(q: Queryable, policyKey: string, policy: string, versionId: string, defaultVersion: string): Promise<PolicyVersion> {
    const [v] = await q.query<{ version_id: string; document: string; created_at: string }>(
      "SELECT version_id, document, created_at FROM iam_policy_versions WHERE policy_key = $1 AND version_id = $2",
      [policyKey, versionId],
    );
    if (!v) throw new RpcError(404, "EntityNotExist.Policy.Version", `The policy version does not exist: ${policy} ${versionId}.`);
    return { VersionId: v.version_id, IsDefaultVersion: v.version_id === defaultVersion, PolicyDocument: v.document, CreateDate: v.created_at };
  }

  async list(type: string | undefined, marker: string, maxItems: number): Promise<{ policies: PolicyInfo[]; isTruncated: boolean; marker: string | undefined }> {
    const rows = type
      ? await this.db.query<PolicyRow>(`${SELECT_POLICY} WHERE p.type = $1 AND p.name_key > $2 ORDER BY p.name_key LIMIT $3`, [type, foldName(marker), maxItems + 1])
      : await this.db.query<PolicyRow>(`${SELECT_POLICY} WHERE p.name_key > $1 ORDER BY p.name_key LIMIT $2`, [foldName(marker), maxItems + 1]);
    const page = rows.slice(0, maxItems).map(info);
    const isTruncated = rows.length > maxItems;
    return { policies: page, isTruncated, marker: isTruncated ? page[page.length - 1]?.PolicyName : undefined };
  }

  async delete(name: string): Promise<void> {
    await this.db.write(async (tx) => {
      const row = await this.requireRow(tx, name);
      if (row.type === "System") throw new RpcError(400, "InvalidParameter.PolicyType", "System policies cannot be deleted.");
      if (row.attachment_count > 0) throw new RpcError(409, "DeleteConflict.Policy.User", `The policy is attached; detach it first: ${name}.`);
      await tx.query("DELETE FROM iam_policies WHERE name_key = $1", [row.name_key]); // versions go by ON DELETE CASCADE
    });
  }

  async createVersion(name: string, document: string, setAsDefault: boolean, rotate: boolean): Promise<PolicyVersion> {
    this.validate(document);
    return await this.db.write(async (tx) => {
      const row = await this.requireRow(tx, name, "Custom");
      const versions = (await tx.query<{ version_id: string }>(
        "SELECT version_id FROM iam_policy_versions WHERE policy_key = $1 ORDER BY created_at, version_id",
        [row.name_key],
      )).map((v) => v.version_id);
      if (versions.length >= MAX_POLICY_VERSIONS) {
        const oldest = versions.find((v) => v !== row.default_version);
        if (!rotate || oldest === undefined) {
          throw new RpcError(409, "LimitExceeded.Policy.Version", `A policy has at most ${MAX_POLICY_VERSIONS} versions: ${name}.`);
        }
        await tx.query("DELETE FROM iam_policy_versions WHERE policy_key = $1 AND version_id = $2", [row.name_key, oldest]);
      }
      const versionId = `v${row.next_version}`;
      const now = new Date().toISOString();
      await tx.query("INSERT INTO iam_policy_versions (policy_key, version_id, document, created_at) VALUES ($1, $2, $3, $4)", [row.name_key, versionId, document, now]);
      const defaultVersion = setAsDefault ? versionId : row.default_version;
      await tx.query("UPDATE iam_policies SET next_version = next_version + 1, default_version = $1, updated_at = $2 WHERE name_key = $3", [defaultVersion, now, row.name_key]);
      return await this.version(tx, row.name_key, row.name, versionId, defaultVersion);
    });
  }

  async attach(name: string, type: string | undefined, target: AttachmentTarget): Promise<void> {
    const principalKey = foldName(target.name);
    await this.db.write(async (tx) => {
      const targetTable = target.type === "user" ? "iam_users" : "iam_roles";
      if ((await tx.query(`SELECT 1 FROM ${targetTable} WHERE name_key = $1`, [principalKey])).length === 0) {
        throw target.type === "user" ? notFoundUser(target.name) : notFoundRole(target.name);
      }
      const row = await this.requireRow(tx, name, type);
      const inserted = await tx.query(
        `INSERT INTO iam_attachments (principal_type, principal_key, policy_key, attached_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT DO NOTHING RETURNING 1`,
        [target.type, principalKey, row.name_key, new Date().toISOString()],
      );
      if (inserted.length === 0) {
        throw new RpcError(409, `EntityAlreadyExists.${target.type === "user" ? "User" : "Role"}.Policy`, `The policy ${name} is already attached to ${target.name}.`);
      }
    });
  }

  async detach(name: string, type: string | undefined, target: AttachmentTarget): Promise<void> {
    const row = await this.requireRow(this.db, name, type);
    const deleted = await this.db.query(
      "DELETE FROM iam_attachments WHERE principal_type = $1 AND principal_key = $2 AND policy_key = $3 RETURNING 1",
      [target.type, foldName(target.name), row.name_key],
    );
    if (deleted.length === 0) {
      throw new RpcError(404, `EntityNotExist.${target.type === "user" ? "User" : "Role"}.Policy`, `The policy ${name} is not attached to ${target.name}.`);
    }
  }

  async listFor(target: AttachmentTarget): Promise<Array<PolicyInfo & { AttachDate: string }>> {
    const rows = await this.db.query<PolicyRow & { attached_at: string }>(
      `SELECT p.*, t.attached_at, (SELECT count(*)::int FROM iam_attachments a WHERE a.policy_key = p.name_key) AS attachment_count
       FROM iam_attachments t JOIN iam_policies p ON p.name_key = t.policy_key
       WHERE t.principal_type = $1 AND t.principal_key = $2 ORDER BY p.name_key`,
      [target.type, foldName(target.name)],
    );
    return rows.map((r) => ({ ...info(r), AttachDate: r.attached_at }));
  }

  /** Every request of a RAM user or role: one read, never cached (a detach holds on every node at once). */
  async documentsFor(target: AttachmentTarget): Promise<Array<{ name: string; document: string }>> {
    return await this.db.query<{ name: string; document: string }>(
      `SELECT p.name AS name, v.document AS document FROM iam_attachments a
       JOIN iam_policies p ON p.name_key = a.policy_key
       JOIN iam_policy_versions v ON v.policy_key = p.name_key AND v.version_id = p.default_version
       WHERE a.principal_type = $1 AND a.principal_key = $2`,
      [target.type, foldName(target.name)],
    );
  }
}
