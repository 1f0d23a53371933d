/** RAM roles on SQLite (iam.sqlite): trust policy (who may assume it), session duration; policies are attached via the PolicyStore. */
import type { SqliteDatabase } from "../storage/sqlite-schema.js";
import { RpcError } from "../rpc/errors.js";
import type { NewRole, RamRole, RoleStore } from "./stores.js";
import { notFoundRole } from "./iam-errors.js";
import { digitId } from "./credentials.js";

/** A role's row, as both stores (this one and pg-roles.ts) keep it. */
export interface RoleRow {
  name: string;
  role_id: string;
  trust_policy: string;
  description: string;
  max_session_duration: number;
  created_at: string;
  updated_at: string;
}

export function roleArn(accountId: string, roleName: string): string {
  return `acs:ram::${accountId}:role/${roleName.toLowerCase()}`;
}

export class SqliteRoleStore implements RoleStore {
  constructor(
    private readonly db: SqliteDatabase,
    private readonly accountId: () => string,
    private readonly validateTrust: (document: string) => void,
  ) {}

  private toRole(r: RoleRow): RamRole {
    return {
      RoleId: r.role_id, RoleName: r.name, Arn: roleArn(this.accountId(), r.name), Description: r.description,
      AssumeRolePolicyDocument: r.trust_policy, MaxSessionDuration: r.max_session_duration,
      CreateDate: r.created_at, UpdateDate: r.updated_at,
    };
  }

  async create(input: NewRole): Promise<RamRole> {
    if (this.insert(input, "fail") === "exists") throw new RpcError(409, "EntityAlreadyExists.Role", `The role already exists: ${input.name}.`);
    return this.getNow(input.name);
  }

  /** One insert that does nothing when the name is taken: concurrent ensures agree on one role. */
  async ensure(input: NewRole): Promise<RamRole> {
    this.insert(input, "ignore");
    return this.getNow(input.name);
  }

  private insert(input: NewRole, onConflict: "fail" | "ignore"): "created" | "exists" {
    this.validateTrust(input.trustPolicy);
    const now = new Date().toISOString();
    const roleId = digitId(19);
    const conflict = onConflict === "ignore" ? " ON CONFLICT (name) DO NOTHING" : "";
    try {
      const result = this.db
        .prepare(`INSERT INTO roles (name, role_id, trust_policy, description, max_session_duration, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)${conflict}`)
        .run(input.name, roleId, input.trustPolicy, input.description ?? "", input.maxSessionDuration ?? 3600, now, now);
      return result.changes > 0 ? "created" : "exists";
    } catch (error) {
      if (String(error).includes("UNIQUE")) return "exists";
      throw error;
    }
  }

  async find(name: string): Promise<RamRole | undefined> {
    return this.findNow(name);
  }

  private findNow(name: string): RamRole | undefined {
    const row = this.db.prepare("SELECT * FROM roles WHERE name = ?").get(name) as RoleRow | undefined;
    return row ? this.toRole(row) : undefined;
  }

  async get(name: string): Promise<RamRole> {
    return this.getNow(name);
  }

  private getNow(name: string): RamRole {
    const role = this.findNow(name);
    if (!role) throw notFoundRole(name);
    return role;
  }

  /** Case-insensitive name. */
  async findByArn(arn: string): Promise<RamRole | undefined> {
    const match = /^acs:ram::(\d+):role\/(.+)$/.exec(arn);
    if (!match || match[1] !== this.accountId()) return undefined;
    return this.findNow(match[2]!);
  }

  /** RAM DeleteRole: refused while policies are attached (as OSS's DeleteConflict.Role.Policy). */
  async delete(name: string): Promise<void> {
    this.db.transaction(() => {
      this.getNow(name);
      const policies = this.db.prepare("SELECT COUNT(*) FROM attachments WHERE principal_type = 'role' AND principal_name = ?").pluck().get(name) as number;
      if (policies > 0) throw new RpcError(409, "DeleteConflict.Role.Policy", `The role has attached policies; detach them first: ${name}.`);
      this.db.prepare("DELETE FROM roles WHERE name = ?").run(name);
    }).immediate();
  }

  /** RAM UpdateRole: a new trust policy and/or maximum session duration. */
  async update(name: string, change: { trustPolicy?: string; maxSessionDuration?: number; description?: string }): Promise<RamRole> {
    if (change.trustPolicy !== undefined) this.validateTrust(change.trustPolicy);
    // one transaction: the role read and its update see the same row
    return this.db.transaction(() => {
      const role = this.getNow(name);
      this.db
        .prepare("UPDATE roles SET trust_policy = ?, max_session_duration = ?, description = ?, updated_at = ? WHERE name = ?")
        .run(change.trustPolicy ?? role.AssumeRolePolicyDocument, change.maxSessionDuration ?? role.MaxSessionDuration, change.description ?? role.Description, new Date().toISOString(), role.RoleName);
      return this.getNow(name);
    }).immediate();
  }

  async list(marker: string, maxItems: number): Promise<{ roles: RamRole[]; isTruncated: boolean; marker: string | undefined }> {
    const rows = this.db.prepare("SELECT * FROM roles WHERE name > ? ORDER BY name LIMIT ?").all(marker, maxItems + 1) as RoleRow[];
    const page = rows.slice(0, maxItems).map((r) => this.toRole(r));
    const isTruncated = rows.length > maxItems;
    return { roles: page, isTruncated, marker: isTruncated ? page[page.length - 1]?.RoleName : undefined };
  }
}
