/**
 * RAM policies on SQLite (iam.sqlite): custom policies with versions (at most 5, one default), the
 * system policies, and their attachments to users and roles. Documents are validated before they
 * are stored.
 */
import type { SqliteDatabase, SqliteStatement } from "../storage/sqlite-schema.js";
import { RpcError } from "../rpc/errors.js";
import { MAX_POLICY_VERSIONS, type AttachmentTarget, type PolicyInfo, type PolicyStore, type PolicyType, type PolicyValidator, type PolicyVersion } from "./stores.js";
import { notFoundPolicy, notFoundRole, notFoundUser } from "./iam-errors.js";

interface PolicyRow {
  name: string;
  type: PolicyType;
  description: string;
  default_version: string;
  next_version: number;
  created_at: string;
  updated_at: string;
}

export class SqlitePolicyStore implements PolicyStore {
  /** Read for every request of a RAM user or role: prepared once (compiling costs more than the read). */
  private readonly selectDocuments: SqliteStatement;

  constructor(private readonly db: SqliteDatabase, private readonly validate: PolicyValidator) {
    this.selectDocuments = db.prepare(
      "SELECT p.name AS name, v.document AS document FROM attachments a JOIN policies p ON p.name = a.policy_name JOIN policy_versions v ON v.policy_name = p.name AND v.version_id = p.default_version WHERE a.principal_type = ? AND a.principal_name = ?",
    );
  }

  /** Inserts or refreshes the built-in system policies. */
  async seedSystemPolicies(policies: Readonly<Record<string, { description: string; document: string }>>): Promise<void> {
    this.db.transaction(() => {
      const now = new Date().toISOString();
      for (const [name, { description, document }] of Object.entries(policies)) {
        this.db
          .prepare("INSERT INTO policies (name, type, description, default_version, next_version, created_at, updated_at) VALUES (?, 'System', ?, 'v1', 2, ?, ?) ON CONFLICT (name) DO UPDATE SET description = excluded.description")
          .run(name, description, now, now);
        this.db
          .prepare("INSERT INTO policy_versions (policy_name, version_id, document, created_at) VALUES (?, 'v1', ?, ?) ON CONFLICT DO UPDATE SET document = excluded.document")
          .run(name, document, now);
      }
    }).immediate();
  }

  private row(name: string): PolicyRow | undefined {
    return this.db.prepare("SELECT * FROM policies WHERE name = ?").get(name) as PolicyRow | undefined;
  }

  private info(row: PolicyRow): PolicyInfo {
    const count = this.db.prepare("SELECT COUNT(*) FROM attachments WHERE policy_name = ?").pluck().get(row.name) as number;
    return {
      PolicyName: row.name, PolicyType: row.type, Description: row.description, DefaultVersion: row.default_version,
      CreateDate: row.created_at, UpdateDate: row.updated_at, AttachmentCount: count,
    };
  }

  private requireRow(name: string, type?: string): PolicyRow {
    const row = this.row(name);
    if (!row || (type !== undefined && type !== "" && row.type !== type)) throw notFoundPolicy(name);
    return row;
  }

  async create(name: string, document: string, description: string): Promise<PolicyInfo> {
    this.validate(document);
    return this.db.transaction(() => {
      if (this.row(name)) throw new RpcError(409, "EntityAlreadyExists.Policy", `The policy already exists: ${name}.`);
      const now = new Date().toISOString();
      this.db
        .prepare("INSERT INTO policies (name, type, description, default_version, next_version, created_at, updated_at) VALUES (?, 'Custom', ?, 'v1', 2, ?, ?)")
        .run(name, description, now, now);
      this.db.prepare("INSERT INTO policy_versions (policy_name, version_id, document, created_at) VALUES (?, 'v1', ?, ?)").run(name, document, now);
      return this.info(this.requireRow(name));
    }).immediate();
  }

  async get(name: string, type?: string): Promise<{ policy: PolicyInfo; defaultVersion: PolicyVersion }> {
    const row = this.requireRow(name, type);
    return { policy: this.info(row), defaultVersion: this.version(row.name, row.default_version, row.default_version) };
  }

  private version(policy: string, versionId: string, defaultVersion: string): PolicyVersion {
    const v = this.db.prepare("SELECT * FROM policy_versions WHERE policy_name = ? AND version_id = ?").get(policy, versionId) as
      | { version_id: string; document: string; created_at: string }
      | undefined;
    if (!v) throw new RpcError(404, "EntityNotExist.Policy.Version", `The policy version does not exist: ${policy} ${versionId}.`);
    return { VersionId: v.version_id, IsDefaultVersion: v.version_id === defaultVersion, PolicyDocument: v.document, CreateDate: v.created_at };
  }

  async list(type: string | undefined, marker: string, maxItems: number): Promise<{ policies: PolicyInfo[]; isTruncated: boolean; marker: string | undefined }> {
    const rows = (type
      ? this.db.prepare("SELECT * FROM policies WHERE type = ? AND name > ? ORDER BY name LIMIT ?").all(type, marker, maxItems + 1)
      : this.db.prepare("SELECT * FROM policies WHERE name > ? ORDER BY name LIMIT ?").all(marker, maxItems + 1)) as PolicyRow[];
    const page = rows.slice(0, maxItems).map((r) => this.info(r));
    const isTruncated = rows.length > maxItems;
    return { policies: page, isTruncated, marker: isTruncated ? page[page.length - 1]?.PolicyName : undefined };
  }

  async delete(name: string): Promise<void> {
    this.db.transaction(() => {
      const row = this.requireRow(name);
      if (row.type === "System") throw new RpcError(400, "InvalidParameter.PolicyType", "System policies cannot be deleted.");
      const count = this.db.prepare("SELECT COUNT(*) FROM attachments WHERE policy_name = ?").pluck().get(name) as number;
      if (count > 0) throw new RpcError(409, "DeleteConflict.Policy.User", `The policy is attached; detach it first: ${name}.`);
      this.db.prepare("DELETE FROM policies WHERE name = ?").run(name);
    }).immediate();
  }

  async createVersion(name: string, document: string, setAsDefault: boolean, rotate: boolean): Promise<PolicyVersion> {
    this.validate(document);
    return this.db.transaction(() => {
      const row = this.requireRow(name, "Custom");
      const versions = this.db.prepare("SELECT version_id FROM policy_versions WHERE policy_name = ? ORDER BY created_at, version_id").pluck().all(name) as string[];
      if (versions.length >= MAX_POLICY_VERSIONS) {
        const oldest = versions.find((v) => v !== row.default_version);
        if (!rotate || oldest === undefined) {
          throw new RpcError(409, "LimitExceeded.Policy.Version", `A policy has at most ${MAX_POLICY_VERSIONS} versions: ${name}.`);
        }
        this.db.prepare("DELETE FROM policy_versions WHERE policy_name = ? AND version_id = ?").run(name, oldest);
      }
      const versionId = `v${row.next_version}`;
      const now = new Date().toISOString();
      this.db.prepare("INSERT INTO policy_versions (policy_name, version_id, document, created_at) VALUES (?, ?, ?, ?)").run(name, versionId, document, now);
      const defaultVersion = setAsDefault ? versionId : row.default_version;
      this.db.prepare("UPDATE policies SET next_version = next_version + 1, default_version = ?, updated_at = ? WHERE name = ?").run(defaultVersion, now, name);
      return this.version(name, versionId, defaultVersion);
    }).immediate();
  }

  async attach(name: string, type: string | undefined, target: AttachmentTarget): Promise<void> {
    this.db.transaction(() => {
      const targetTable = target.type === "user" ? "users" : "roles";
      if (this.db.prepare(`SELECT 1 FROM ${targetTable} WHERE name = ?`).get(target.name) === undefined) {
        throw target.type === "user" ? notFoundUser(target.name) : notFoundRole(target.name);
      }
      const row = this.requireRow(name, type);
      const exists = this.db.prepare("SELECT 1 FROM attachments WHERE principal_type = ? AND principal_name = ? AND policy_name = ?").get(target.type, target.name, row.name);
      if (exists) {
        throw new RpcError(409, `EntityAlreadyExists.${target.type === "user" ? "User" : "Role"}.Policy`, `The policy ${name} is already attached to ${target.name}.`);
      }
      this.db.prepare("INSERT INTO attachments (principal_type, principal_name, policy_name, attached_at) VALUES (?, ?, ?, ?)").run(target.type, target.name, row.name, new Date().toISOString());
    }).immediate();
  }

  async detach(name: string, type: string | undefined, target: AttachmentTarget): Promise<void> {
    const row = this.requireRow(name, type);
    const result = this.db.prepare("DELETE FROM attachments WHERE principal_type = ? AND principal_name = ? AND policy_name = ?").run(target.type, target.name, row.name);
    if (result.changes === 0) {
      throw new RpcError(404, `EntityNotExist.${target.type === "user" ? "User" : "Role"}.Policy`, `The policy ${name} is not attached to ${target.name}.`);
    }
  }

  async listFor(target: AttachmentTarget): Promise<Array<PolicyInfo & { AttachDate: string }>> {
    const rows = this.db
      .prepare("SELECT p.*, a.attached_at FROM attachments a JOIN policies p ON p.name = a.policy_name WHERE a.principal_type = ? AND a.principal_name = ? ORDER BY p.name")
      .all(target.type, target.name) as Array<PolicyRow & { attached_at: string }>;
    return rows.map((r) => ({ ...this.info(r), AttachDate: r.attached_at }));
  }

  async documentsFor(target: AttachmentTarget): Promise<Array<{ name: string; document: string }>> {
    return this.selectDocuments.all(target.type, target.name) as Array<{ name: string; document: string }>;
  }
}
