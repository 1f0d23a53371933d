/** RAM roles: trust policy (who may assume it), session duration, attached policies via PolicyStore. */
import { randomInt } from "node:crypto";
import type { SqliteDatabase } from "../storage/sqlite-schema.js";
import { RpcError } from "../rpc/errors.js";

export interface RamRole {
  readonly RoleId: string;
  readonly RoleName: string;
  readonly Arn: string;
  readonly Description: string;
  readonly AssumeRolePolicyDocument: string;
  readonly MaxSessionDuration: number;
  readonly CreateDate: string;
  readonly UpdateDate: string;
}

interface RoleRow {
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

export class RoleStore {
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

  create(input: { name: string; trustPolicy: string; description?: string; maxSessionDuration?: number }): RamRole {
    this.validateTrust(input.trustPolicy);
    const now = new Date().toISOString();
    const roleId = Array.from({ length: 19 }, (_, i) => String(i === 0 ? randomInt(1, 10) : randomInt(0, 10))).join("");
    try {
      this.db
        .prepare("INSERT INTO roles (name, role_id, trust_policy, description, max_session_duration, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)")
        .run(input.name, roleId, input.trustPolicy, input.description ?? "", input.maxSessionDuration ?? 3600, now, now);
    } catch (error) {
      if (String(error).includes("UNIQUE")) throw new RpcError(409, "EntityAlreadyExists.Role", `The role already exists: ${input.name}.`);
      throw error;
    }
    return this.get(input.name);
  }

  /** Creates the role unless it exists (for built-in service roles). */
  ensure(input: { name: string; trustPolicy: string; description: string }): RamRole {
    return this.find(input.name) ?? this.create(input);
  }

  find(name: string): RamRole | undefined {
    const row = this.db.prepare("SELECT * FROM roles WHERE name = ?").get(name) as RoleRow | undefined;
    return row ? this.toRole(row) : undefined;
  }

  get(name: string): RamRole {
    const role = this.find(name);
    if (!role) throw new RpcError(404, "EntityNotExist.Role", `The role does not exist: ${name}.`);
    return role;
  }

  /** The role named by an ARN `acs:ram::{account}:role/{name}` (case-insensitive name). */
  findByArn(arn: string): RamRole | undefined {
    const match = /^acs:ram::(\d+):role\/(.+)$/.exec(arn);
    if (!match || match[1] !== this.accountId()) return undefined;
    return this.find(match[2]!);
  }

  /** RAM DeleteRole: refused while policies are attached (as OSS's DeleteConflict.Role.Policy). */
  delete(name: string): void {
    this.db.transaction(() => {
      this.get(name);
      const policies = this.db.prepare("SELECT COUNT(*) FROM attachments WHERE principal_type = 'role' AND principal_name = ?").pluck().get(name) as number;
      if (policies > 0) throw new RpcError(409, "DeleteConflict.Role.Policy", `The role has attached policies; detach them first: ${name}.`);
      this.db.prepare("DELETE FROM roles WHERE name = ?").run(name);
    }).immediate();
  }

  /** RAM UpdateRole: a new trust policy and/or maximum session duration. */
  update(name: string, change: { trustPolicy?: string; maxSessionDuration?: number; description?: string }): RamRole {
    if (change.trustPolicy !== undefined) this.validateTrust(change.trustPolicy);
    const role = this.get(name);
    this.db
      .prepare("UPDATE roles SET trust_policy = ?, max_session_duration = ?, description = ?, updated_at = ? WHERE name = ?")
      .run(change.trustPolicy ?? role.AssumeRolePolicyDocument, change.maxSessionDuration ?? role.MaxSessionDuration, change.description ?? role.Description, new Date().toISOString(), role.RoleName);
    return this.get(name);
  }

  list(marker: string, maxItems: number): { roles: RamRole[]; isTruncated: boolean; marker: string | undefined } {
    const rows = this.db.prepare("SELECT * FROM roles WHERE name > ? ORDER BY name LIMIT ?").all(marker, maxItems + 1) as RoleRow[];
    const page = rows.slice(0, maxItems).map((r) => this.toRole(r));
    const isTruncated = rows.length > maxItems;
    return { roles: page, isTruncated, marker: isTruncated ? page[page.length - 1]?.RoleName : undefined };
  }
}
