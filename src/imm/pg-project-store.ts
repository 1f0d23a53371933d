/**
 * IMM projects and bucket attachments on PostgreSQL (BARBUCKET_DATABASE_URL): the tables of the
 * SQLite store (project-store.ts), shared by every node. Mutations that read before they write are
 * one SERIALIZABLE transaction each (src/db/transaction.ts), as under SQLite's single writer.
 */
import { migrate } from "../db/migrate.js";
import { openPool, type PoolOptions } from "../db/pool.js";
import { Db, type Tx } from "../db/transaction.js";
import {
  toAttachment,
  toProject,
  type AttachInput,
  type AttachResult,
  type AttachmentRecord,
  type AttachmentRow,
  type DeleteProjectResult,
  type ProjectRecord,
  type ProjectRow,
  type ProjectStore,
} from "./project-store.js";

export const IMM_COMPONENT = "imm";

/** Never edit a shipped step; add one. Names sort byte-wise (COLLATE "C"), as SQLite's BINARY. */
export const PG_IMM_MIGRATIONS: readonly string[] = [
  `CREATE TABLE imm_projects (
     account_id TEXT NOT NULL,
     name TEXT COLLATE "C" NOT NULL,
     service_role TEXT NOT NULL,
     description TEXT NOT NULL,
     template_id TEXT NOT NULL,
     limits TEXT NOT NULL,
     tags TEXT NOT NULL,
     created_at TEXT NOT NULL,
     updated_at TEXT NOT NULL,
     PRIMARY KEY (account_id, name)
   );
   CREATE TABLE imm_bucket_attachments (
     bucket TEXT COLLATE "C" PRIMARY KEY,
     account_id TEXT NOT NULL,
     project_name TEXT COLLATE "C" NOT NULL,
     description TEXT NOT NULL,
     bucket_created_at BIGINT NOT NULL,
     created_at TEXT NOT NULL,
     updated_at TEXT NOT NULL
   );
   CREATE INDEX imm_attachments_by_project ON imm_bucket_attachments (account_id, project_name);`,
];

type Queryable = Pick<Tx, "query">;

export class PgProjectStore implements ProjectStore {
  /** Connects and applies pending migrations (under the migration advisory lock). */
  static async open(url: string, options: PoolOptions = {}): Promise<PgProjectStore> {
    const pool = openPool(url, { applicationName: "barbucket-imm", max: 4, ...options });
    try {
      await migrate(pool, IMM_COMPONENT, PG_IMM_MIGRATIONS);
    } catch (error) {
      await pool.end();
      throw error;
    }
    return new PgProjectStore(new Db(pool));
  }

  constructor(private readonly db: Db) {}

  async createProject(project: ProjectRecord): Promise<"created" | "exists"> {
    const inserted = await this.db.query(
      `INSERT INTO imm_projects (account_id, name, service_role, description, template_id, limits, tags, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING RETURNING 1`,
      [project.accountId, project.name, project.serviceRole, project.description, project.templateId,
        JSON.stringify(project.limits), JSON.stringify(project.tags), project.createdAt.toISOString(), project.updatedAt.toISOString()],
    );
    return inserted.length === 1 ? "created" : "exists";
  }

  async getProject(accountId: string, name: string): Promise<ProjectRecord | undefined> {
    return await this.project(this.db, accountId, name);
  }

  private async project(q: Queryable, accountId: string, name: string): Promise<ProjectRecord | undefined> {
    const [row] = await q.query<ProjectRow>("SELECT * FROM imm_projects WHERE account_id = $1 AND name = $2", [accountId, name]);
    return row ? toProject(row) : undefined;
  }

  async listProjects(accountId: string, options: { prefix: string; after: string; limit: number }): Promise<{ projects: ProjectRecord[]; truncated: boolean }> {
    const rows = await this.db.query<ProjectRow>(
      "SELECT * FROM imm_projects WHERE account_id = $1 AND name > $2 AND starts_with(name, $3) ORDER BY name LIMIT $4",
      [accountId, options.after, options.prefix, options.limit + 1],
    );
    return { projects: rows.slice(0, options.limit).map(toProject), truncated: rows.length > options.limit };
  }

  async listAttachments(accountId: string, name: string): Promise<AttachmentRecord[]> {
    return await this.attachments(this.db, accountId, name);
  }

  private async attachments(q: Queryable, accountId: string, name: string): Promise<AttachmentRecord[]> {
    const rows = await q.query<AttachmentRow>("SELECT * FROM imm_bucket_attachments WHERE account_id = $1 AND project_name = $2 ORDER BY bucket", [accountId, name]);
    return rows.map(toAttachment);
  }

  async deleteProject(accountId: string, name: string, isLive: (attachment: AttachmentRecord) => boolean): Promise<DeleteProjectResult> {
    return await this.db.write(async (tx): Promise<DeleteProjectResult> => {
      if (!(await this.project(tx, accountId, name))) return { result: "missing" };
      const live = (await this.attachments(tx, accountId, name)).filter(isLive).map((a) => a.bucket);
      if (live.length > 0) return { result: "in-use", buckets: live };
      await tx.query("DELETE FROM imm_bucket_attachments WHERE account_id = $1 AND project_name = $2", [accountId, name]);
      await tx.query("DELETE FROM imm_projects WHERE account_id = $1 AND name = $2", [accountId, name]);
      return { result: "deleted" };
    });
  }

  async attachBucket(input: AttachInput): Promise<AttachResult> {
    return await this.db.write(async (tx): Promise<AttachResult> => {
      if (!(await this.project(tx, input.accountId, input.projectName))) return { result: "no-project" };
      const existing = await this.attachment(tx, input.bucket, input.bucketCreatedAt);
      if (existing) return { result: "already-attached", projectName: existing.projectName };
      const now = input.now.toISOString();
      const [row] = await tx.query<AttachmentRow>(
        `INSERT INTO imm_bucket_attachments (bucket, account_id, project_name, description, bucket_created_at, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $6)
         ON CONFLICT (bucket) DO UPDATE SET account_id = excluded.account_id, project_name = excluded.project_name,
           description = excluded.description, bucket_created_at = excluded.bucket_created_at,
           created_at = excluded.created_at, updated_at = excluded.updated_at
         RETURNING *`,
        [input.bucket, input.accountId, input.projectName, input.description, input.bucketCreatedAt, now],
      );
      return { result: "attached", attachment: toAttachment(row!) };
    });
  }

  async getAttachment(bucket: string, bucketCreatedAt: number): Promise<AttachmentRecord | undefined> {
    return await this.attachment(this.db, bucket, bucketCreatedAt);
  }

  private async attachment(q: Queryable, bucket: string, bucketCreatedAt: number): Promise<AttachmentRecord | undefined> {
    const [row] = await q.query<AttachmentRow>("SELECT * FROM imm_bucket_attachments WHERE bucket = $1", [bucket]);
    if (!row || row.bucket_created_at !== bucketCreatedAt) return undefined;
    return toAttachment(row);
  }

  async detachBucket(bucket: string, bucketCreatedAt: number): Promise<boolean> {
    // One statement: the row goes whether live or stale; it was live if its creation time matched.
    const [row] = await this.db.query<{ bucket_created_at: number }>("DELETE FROM imm_bucket_attachments WHERE bucket = $1 RETURNING bucket_created_at", [bucket]);
    return row !== undefined && row.bucket_created_at === bucketCreatedAt;
  }

  async close(): Promise<void> {
    await this.db.close();
  }
}
