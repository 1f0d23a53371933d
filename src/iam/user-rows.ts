/** A RAM user's row as both stores keep it (users.ts on SQLite, pg-users.ts on PostgreSQL), and RAM's model of it. */
import { digitId } from "./credentials.js";
import type { RamUser } from "./stores.js";

export interface UserRow {
  name: string;
  user_id: string;
  display_name: string;
  email: string;
  mobile_phone: string;
  comments: string;
  created_at: string;
  updated_at: string;
}

export function toUser(r: UserRow): RamUser {
  return {
    UserId: r.user_id, UserName: r.name, DisplayName: r.display_name, Email: r.email,
    MobilePhone: r.mobile_phone, Comments: r.comments, CreateDate: r.created_at, UpdateDate: r.updated_at,
  };
}

/** A RAM UserId: 16 digits, the first not 0. */
export function newUserId(): string {
  return digitId(16);
}
