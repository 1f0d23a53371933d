/** RAM users on PostgreSQL (pg-iam-schema.ts): the SQLite store's behaviour (users.ts), shared by every node. */
import type { Db } from "../db/transaction.js";
import { RpcError } from "../rpc/errors.js";
import type { NewUser, RamUser, UserStore } from "./stores.js";
import { notFoundUser } from "./iam-errors.js";
import { newUserId, toUser, type UserRow } from "./user-rows.js";
import { foldName } from "./pg-iam-schema.js";

export class PgUserStore implements UserStore {
  constructor(private readonly db: Db) {}

  async create(input: NewUser): Promise<RamUser> {
    const now = new Date().toISOString();
    const userId = newUserId();
    const [row] = await this.db.query<UserRow>(
      `INSERT INTO iam_users (name_key, name, user_id, display_name, email, mobile_phone, comments, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (name_key) DO NOTHING RETURNING *`,
      [foldName(input.name), input.name, userId, input.displayName ?? input.name, input.email ?? "", input.mobilePhone ?? "", input.comments ?? "", now, now],
    );
    if (!row) throw new RpcError(409, "EntityAlreadyExists.User", `The user already exists: ${input.name}.`);
    return toUser(row);
  }

  async find(name: string): Promise<RamUser | undefined> {
    const [row] = await this.db.query<UserRow>("SELECT * FROM iam_users WHERE name_key = $1", [foldName(name)]);
    return row ? toUser(row) : undefined;
  }

  async get(name: string): Promise<RamUser> {
    const user = await this.find(name);
    if (!user) throw notFoundUser(name);
    return user;
  }

  async list(marker: string, maxItems: number): Promise<{ users: RamUser[]; isTruncated: boolean; marker: string | undefined }> {
    const rows = await this.db.query<UserRow>("SELECT * FROM iam_users WHERE name_key > $1 ORDER BY name_key LIMIT $2", [foldName(marker), maxItems + 1]);
    const page = rows.slice(0, maxItems).map(toUser);
    const isTruncated = rows.length > maxItems;
    return { users: page, isTruncated, marker: isTruncated ? page[page.length - 1]?.UserName : undefined };
  }

  /** Refuses while the user still has access keys or attached policies (as RAM does), in one SERIALIZABLE transaction. */
  async delete(name: string): Promise<void> {
    const key = foldName(name);
    await this.db.write(async (tx) => {
      if ((await tx.query("SELECT 1 FROM iam_users WHERE name_key = $1", [key])).length === 0) throw notFoundUser(name);
      if ((await tx.query("SELECT 1 FROM iam_access_keys WHERE user_key = $1 LIMIT 1", [key])).length > 0) {
        throw new RpcError(409, "DeleteConflict.User.AccessKey", `The user has access keys; delete them first: ${name}.`);
      }
      if ((await tx.query("SELECT 1 FROM iam_attachments WHERE principal_type = 'user' AND principal_key = $1 LIMIT 1", [key])).length > 0) {
        throw new RpcError(409, "DeleteConflict.User.Policy", `The user has attached policies; detach them first: ${name}.`);
      }
      await tx.query("DELETE FROM iam_users WHERE name_key = $1", [key]);
    });
  }
}
