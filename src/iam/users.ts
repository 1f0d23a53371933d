/** RAM users (RAM 2015-05-01 CreateUser / GetUser / ListUsers / DeleteUser) on SQLite (iam.sqlite). */
import type { SqliteDatabase } from "../storage/sqlite-schema.js";
import { RpcError } from "../rpc/errors.js";
import type { NewUser, RamUser, UserStore } from "./stores.js";
import { notFoundUser } from "./iam-errors.js";
import { newUserId, toUser, type UserRow } from "./user-rows.js";

export class SqliteUserStore implements UserStore {
  constructor(private readonly db: SqliteDatabase) {}

  async create(input: NewUser): Promise<RamUser> {
    const now = new Date().toISOString();
    const userId = newUserId();
    try {
      this.db
        .prepare("INSERT INTO users (name, user_id, display_name, email, mobile_phone, comments, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
        .run(input.name, userId, input.displayName ?? input.name, input.email ?? "", input.mobilePhone ?? "", input.comments ?? "", now, now);
    } catch (error) {
      if (String(error).includes("UNIQUE")) throw new RpcError(409, "EntityAlreadyExists.User", `The user already exists: ${input.name}.`);
      throw error;
    }
    return this.getNow(input.name);
  }

  async find(name: string): Promise<RamUser | undefined> {
    return this.findNow(name);
  }

  private findNow(name: string): RamUser | undefined {
    const row = this.db.prepare("SELECT * FROM users WHERE name = ?").get(name) as UserRow | undefined;
    return row ? toUser(row) : undefined;
  }

  async get(name: string): Promise<RamUser> {
    return this.getNow(name);
  }

  private getNow(name: string): RamUser {
    const user = this.findNow(name);
    if (!user) throw notFoundUser(name);
    return user;
  }

  async list(marker: string, maxItems: number): Promise<{ users: RamUser[]; isTruncated: boolean; marker: string | undefined }> {
    const rows = this.db.prepare("SELECT * FROM users WHERE name > ? ORDER BY name LIMIT ?").all(marker, maxItems + 1) as UserRow[];
    const page = rows.slice(0, maxItems).map(toUser);
    const isTruncated = rows.length > maxItems;
    return { users: page, isTruncated, marker: isTruncated ? page[page.length - 1]?.UserName : undefined };
  }

  /** Refuses while the user still has access keys or attached policies (as RAM does). */
  async delete(name: string): Promise<void> {
    this.db.transaction(() => {
      this.getNow(name);
      const keys = this.db.prepare("SELECT COUNT(*) FROM access_keys WHERE user_name = ?").pluck().get(name) as number;
      if (keys > 0) throw new RpcError(409, "DeleteConflict.User.AccessKey", `The user has access keys; delete them first: ${name}.`);
      const policies = this.db.prepare("SELECT COUNT(*) FROM attachments WHERE principal_type = 'user' AND principal_name = ?").pluck().get(name) as number;
      if (policies > 0) throw new RpcError(409, "DeleteConflict.User.Policy", `The user has attached policies; detach them first: ${name}.`);
      this.db.prepare("DELETE FROM users WHERE name = ?").run(name);
    }).immediate();
  }
}
