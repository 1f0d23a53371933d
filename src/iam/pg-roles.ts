/** RAM roles on PostgreSQL (pg-iam-schema.ts): the SQLite store's behaviour (roles.ts), shared by every node. */
import type { Db } from "../db/transaction.js";
import { RpcError } from "../rpc/errors.js";
import type { NewRole, RamRole, RoleStore } from "./stores.js";
import { notFoundRole } from "./iam-errors.js";
import { digitId } from "./credentials.js";
import { roleArn, type RoleRow } from "./roles.js";
import { foldName } from "./pg-iam-schema.js";

export class PgRoleStore implements RoleStore {
  constructor(
    private readonly db: Db,
    private readonly accountId: () => Promise<string>,
    private readonly validateTrust: (document: string) => void,
  ) {}

  private async toRole(r: RoleRow): Promise<RamRole> {
    return {
      RoleId: r.role_id, RoleName: r.name, Arn: roleArn(await this.accountId(), r.name), Description: r.description,
      AssumeRolePolicyDocument: r.trust_policy, MaxSessionDuration: r.max_session_duration,
      CreateDate: r.created_at, UpdateDate: r.updated_at,
    };
  }

  async create(input: NewRole): Promise<RamRole> {
    const row = await this.insert(input);
    if (!row) throw new RpcError(409, "EntityAlreadyExists.Role", `The role already exists: ${input.name}.`);
    return await this.toRole(row);
  }

  /** One insert that does nothing when the name is taken: concurrent ensures (nodes starting together) agree on one role. */
  async ensure(input: NewRole): Promise<RamRole> {
    const row = await this.insert(input);
    return row ? await this.toRole(row) : await this.get(input.name);
  }

  /** The new row, or undefined when the name is taken. */
  private async insert(input: NewRole): Promise<RoleRow | undefined> {
    this.validateTrust(input.trustPolicy);
    const now = new Date().toISOString();
    const roleId = digitId(19);
    const [row] = await this.db.query<RoleRow>(
      `INSERT INTO iam_roles (name_key, name, role_id, trust_policy, description, max_session_duration, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (name_key) DO NOTHING RETURNING *`,
      [foldName(input.name), input.name, roleId, input.trustPolicy, input.description ?? "", input.maxSessionDuration ?? 3600, now, now],
    );
    return row;
  }

  async find(name: string): Promise<RamRole | undefined> {
    const [row] = await this.db.query<RoleRow>("SELECT * FROM iam_roles WHERE name_key = $1", [foldName(name)]);
    return row ? await this.toRole(row) : undefined;
  }

  async get(name: string): Promise<RamRole> {
    const role = await this.find(name);
    if (!role) throw notFoundRole(name);
    return role;
  }

  /** Case-insensitive name. */
  async findByArn(arn: string): Promise<RamRole | undefined> {
    const match = /^acs:ram::(\d+):role\/(.+)$/.exec(arn);
    if (!match || match[1] !== (await this.accountId())) return undefined;
    return await this.find(match[2]!);
  }

  /** RAM DeleteRole: refused while policies are attached (as OSS's DeleteConflict.Role.Policy), atomically. */
  async delete(name: string): Promise<void> {
    const key = foldName(name);
    await this.db.write(async (tx) => {
      if ((await tx.query("SELECT 1 FROM iam_roles WHERE name_key = $1", [key])).length === 0) throw notFoundRole(name);
      if ((await tx.query("SELECT 1 FROM iam_attachments WHERE principal_type = 'role' AND principal_key = $1 LIMIT 1", [key])).length > 0) {
        throw new RpcError(409, "DeleteConflict.Role.Policy", `The role has attached policies; detach them first: ${name}.`);
      }
      await tx.query("DELETE FROM iam_roles WHERE name_key = $1", [key]);
    });
  }

  /** RAM UpdateRole: a new trust policy, maximum session duration and/or description; unchanged fields keep their values. */
  async update(name: string, change: { trustPolicy?: string; maxSessionDuration?: number; description?: string }): Promise<RamRole> {
    if (change.trustPolicy !== undefined) this.validateTrust(change.trustPolicy);
    // One statement: the fields not given keep the row's own values, whatever another node wrote meanwhile.
    const [row] = await this.db.query<RoleRow>(
      `UPDATE iam_roles SET trust_policy = COALESCE($1, trust_policy), max_session_duration = COALESCE($2, max_session_duration),
       description = COALESCE($3, description), updated_at = $4 WHERE name_key = $5 RETURNING *`,
      [change.trustPolicy ?? null, change.maxSessionDuration ?? null, change.description ?? null, new Date().toISOString(), foldName(name)],
    );
    if (!row) throw notFoundRole(name);
    return await this.toRole(row);
  }

  async list(marker: string, maxItems: number): Promise<{ roles: RamRole[]; isTruncated: boolean; marker: string | undefined }> {
    const rows = await this.db.query<RoleRow>("SELECT * FROM iam_roles WHERE name_key > $1 ORDER BY name_key LIMIT $2", [foldName(marker), maxItems + 1]);
    const page = await Promise.all(rows.slice(0, maxItems).map((r) => this.toRole(r)));
    const isTruncated = rows.length > maxItems;
    return { roles: page, isTruncated, marker: isTruncated ? page[page.length - 1]?.RoleName : undefined };
  }
}
