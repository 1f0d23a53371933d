/**
 * IMM projects and OSS bucket attachments, in their own SQLite file (`<dataDir>/imm.sqlite`),
 * opened like the identity store: WAL + synchronous=FULL, so an acknowledged CreateProject or
 * AttachOSSBucket survives a crash.
 *
 * An attachment remembers the bucket's creation time: a bucket deleted and re-created under the
 * same name (possibly by someone else) does not inherit the old attachment — callers pass the
 * current bucket's `createdAt` and a mismatching row counts as absent ("stale").
 */
import { openSqlite, type SqliteDatabase } from "../storage/sqlite-schema.js";


const MIGRATIONS: readonly string[] = [
  `CREATE TABLE projects (
     account_id TEXT NOT NULL,
     name TEXT NOT NULL,
     service_role TEXT NOT NULL,
     description TEXT NOT NULL,
     template_id TEXT NOT NULL,
     limits TEXT NOT NULL,
     tags TEXT NOT NULL,
     created_at TEXT NOT NULL,
     updated_at TEXT NOT NULL,
     PRIMARY KEY (account_id, name)
   );
   CREATE TABLE bucket_attachments (
     bucket TEXT PRIMARY KEY,
     account_id TEXT NOT NULL,
     project_name TEXT NOT NULL,
     description TEXT NOT NULL,
     bucket_created_at INTEGER NOT NULL,
     created_at TEXT NOT NULL,
     updated_at TEXT NOT NULL
   );
   CREATE INDEX attachments_by_project ON bucket_attachments (account_id, project_name);`,
];

/** The quota fields IMM stores with a project (echoed back; nothing here enforces them). */
export interface ProjectLimits {
  readonly ProjectMaxDatasetCount: number;
  readonly DatasetMaxBindCount: number;
  readonly DatasetMaxFileCount: number;
  readonly DatasetMaxEntityCount: number;
  readonly DatasetMaxRelationCount: number;
  readonly DatasetMaxTotalFileSize: number;
}

/** IMM's documented defaults (CreateProjectRequest model). */
export const DEFAULT_LIMITS: ProjectLimits = {
  ProjectMaxDatasetCount: 1_000_000_000,
  DatasetMaxBindCount: 10,
  DatasetMaxFileCount: 100_000_000,
  DatasetMaxEntityCount: 10_000_000_000,
  DatasetMaxRelationCount: 100_000_000_000,
  DatasetMaxTotalFileSize: 90_000_000_000_000_000,
};

export interface ProjectTag {
  readonly key: string;
  readonly value: string;
}

export interface ProjectRecord {
  readonly accountId: string;
  readonly name: string;
  readonly serviceRole: string;
  readonly description: string;
  readonly templateId: string;
  readonly limits: ProjectLimits;
  readonly tags: readonly ProjectTag[];
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export interface AttachmentRecord {
  readonly bucket: string;
  readonly accountId: string;
  readonly projectName: string;
  readonly description: string;
  /** `BucketRecord.createdAt` (ms) of the bucket when it was attached. */
  readonly bucketCreatedAt: number;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export interface ProjectRow {
  account_id: string;
  name: string;
  service_role: string;
  description: string;
  template_id: string;
  limits: string;
  tags: string;
  created_at: string;
  updated_at: string;
}

export interface AttachmentRow {
  bucket: string;
  account_id: string;
  project_name: string;
  description: string;
  bucket_created_at: number;
  created_at: string;
  updated_at: string;
}

export function toProject(row: ProjectRow): ProjectRecord {
  return {
    accountId: row.account_id,
    name: row.name,
    serviceRole: row.service_role,
    description: row.description,
    templateId: row.template_id,
    limits: { ...DEFAULT_LIMITS, ...(JSON.parse(row.limits) as Partial<ProjectLimits>) },
    tags: JSON.parse(row.tags) as ProjectTag[],
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
  };
}

export function toAttachment(row: AttachmentRow): AttachmentRecord {
  return {
    bucket: row.bucket,
    accountId: row.account_id,
    projectName: row.project_name,
    description: row.description,
    bucketCreatedAt: row.bucket_created_at,
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
  };
}

export type AttachResult =
  | { readonly result: "attached"; readonly attachment: AttachmentRecord }
  | { readonly result: "no-project" }
  | { readonly result: "already-attached"; readonly projectName: string };

export type DeleteProjectResult = { readonly result: "deleted" } | { readonly result: "missing" } | { readonly result: "in-use"; readonly buckets: string[] };

/**
 * IMM projects and bucket attachments. Every method is asynchronous (issue 19: PostgreSQL clients
 * are); each mutation is one transaction. Implemented on SQLite (below) and PostgreSQL
 * (pg-project-store.ts); both pass project-store-conformance.ts.
 */
export interface ProjectStore {
  /** Inserts a project; "exists" (nothing written) when the account already has one by that name. */
  createProject(project: ProjectRecord): Promise<"created" | "exists">;
  getProject(accountId: string, name: string): Promise<ProjectRecord | undefined>;
  /** Projects in name order, strictly after `after`, whose name starts with `prefix`. */
  listProjects(accountId: string, options: { prefix: string; after: string; limit: number }): Promise<{ projects: ProjectRecord[]; truncated: boolean }>;
  /** The buckets attached to a project (live or stale), by bucket name. */
  listAttachments(accountId: string, name: string): Promise<AttachmentRecord[]>;
  /**
   * Deletes a project unless a live bucket is attached to it (`isLive` decides); stale attachments
   * go with the project. One transaction, so an AttachOSSBucket racing this either lands first
   * (and blocks the delete) or fails on the missing project.
   */
  deleteProject(accountId: string, name: string, isLive: (attachment: AttachmentRecord) => boolean): Promise<DeleteProjectResult>;
  /** Attaches a bucket to a project: at most one project per bucket; a stale attachment is replaced. */
  attachBucket(input: AttachInput): Promise<AttachResult>;
  /** The bucket's live attachment: none when absent or left over from an earlier bucket of that name. */
  getAttachment(bucket: string, bucketCreatedAt: number): Promise<AttachmentRecord | undefined>;
  /** Removes the bucket's live attachment; false when it had none (a stale row is removed too). */
  detachBucket(bucket: string, bucketCreatedAt: number): Promise<boolean>;
  close(): Promise<void>;
}

export interface AttachInput {
  readonly accountId: string;
  readonly bucket: string;
  readonly bucketCreatedAt: number;
  readonly projectName: string;
  readonly description: string;
  readonly now: Date;
}

/** The SQLite ProjectStore: `<dataDir>/imm.sqlite`, works synchronously inside and returns settled promises. */
export class SqliteProjectStore implements ProjectStore {
  private readonly db: SqliteDatabase;

  constructor(file: string) {
    this.db = openSqlite(file, MIGRATIONS);
  }

  /** Inserts a project; "exists" (nothing written) when the account already has one by that name. */
  async createProject(project: ProjectRecord): Promise<"created" | "exists"> {
    const { changes } = this.db
      .prepare(
        `INSERT INTO projects (account_id, name, service_role, description, template_id, limits, tags, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
      )
      .run(
        project.accountId, project.name, project.serviceRole, project.description, project.templateId,
        JSON.stringify(project.limits), JSON.stringify(project.tags), project.createdAt.toISOString(), project.updatedAt.toISOString(),
      );
    return changes === 1 ? "created" : "exists";
  }

  async getProject(accountId: string, name: string): Promise<ProjectRecord | undefined> {
    return this.project(accountId, name);
  }

  private project(accountId: string, name: string): ProjectRecord | undefined {
    const row = this.db.prepare("SELECT * FROM projects WHERE account_id = ? AND name = ?").get(accountId, name) as ProjectRow | undefined;
    return row ? toProject(row) : undefined;
  }

  /** Projects in name order, strictly after `after`, whose name starts with `prefix`; one extra row tells truncation. */
  async listProjects(accountId: string, options: { prefix: string; after: string; limit: number }): Promise<{ projects: ProjectRecord[]; truncated: boolean }> {
    const rows = this.db
      .prepare(
        `SELECT * FROM projects WHERE account_id = ? AND name > ? AND substr(name, 1, ?) = ?
         ORDER BY name LIMIT ?`,
      )
      .all(accountId, options.after, options.prefix.length, options.prefix, options.limit + 1) as ProjectRow[];
    const truncated = rows.length > options.limit;
    return { projects: rows.slice(0, options.limit).map(toProject), truncated };
  }

  /** The buckets attached to a project (live or stale), by bucket name. */
  async listAttachments(accountId: string, name: string): Promise<AttachmentRecord[]> {
    return (this.db.prepare("SELECT * FROM bucket_attachments WHERE account_id = ? AND project_name = ? ORDER BY bucket").all(accountId, name) as AttachmentRow[]).map(toAttachment);
  }

  /**
   * Deletes a project unless a live bucket is attached to it (`isLive` decides, e.g. by comparing
   * the bucket's creation time); stale attachments go with the project. One transaction, so an
   * AttachOSSBucket racing this either lands first (and blocks the delete) or fails on the missing project.
   */
  async deleteProject(accountId: string, name: string, isLive: (attachment: AttachmentRecord) => boolean): Promise<DeleteProjectResult> {
    return this.db.transaction((): DeleteProjectResult => {
      if (!this.project(accountId, name)) return { result: "missing" };
      const attached = (this.db.prepare("SELECT * FROM bucket_attachments WHERE account_id = ? AND project_name = ? ORDER BY bucket").all(accountId, name) as AttachmentRow[]).map(toAttachment);
      const live = attached.filter(isLive).map((a) => a.bucket);
      if (live.length > 0) return { result: "in-use", buckets: live };
      this.db.prepare("DELETE FROM bucket_attachments WHERE account_id = ? AND project_name = ?").run(accountId, name);
      this.db.prepare("DELETE FROM projects WHERE account_id = ? AND name = ?").run(accountId, name);
      return { result: "deleted" };
    }).immediate();
  }

  /**
   * Attaches a bucket to a project. A bucket has at most one project: a live attachment (same
   * bucket creation time) refuses; a stale one is replaced.
   */
  async attachBucket(input: AttachInput): Promise<AttachResult> {
    return this.db.transaction((): AttachResult => {
      if (!this.project(input.accountId, input.projectName)) return { result: "no-project" };
      const existing = this.attachment(input.bucket, input.bucketCreatedAt);
      if (existing) return { result: "already-attached", projectName: existing.projectName };
      const now = input.now.toISOString();
      this.db
        .prepare(
          `INSERT OR REPLACE INTO bucket_attachments (bucket, account_id, project_name, description, bucket_created_at, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(input.bucket, input.accountId, input.projectName, input.description, input.bucketCreatedAt, now, now);
      return { result: "attached", attachment: this.attachment(input.bucket, input.bucketCreatedAt)! };
    }).immediate();
  }

  /** The bucket's live attachment: none when absent or left over from an earlier bucket of that name. */
  async getAttachment(bucket: string, bucketCreatedAt: number): Promise<AttachmentRecord | undefined> {
    return this.attachment(bucket, bucketCreatedAt);
  }

  private attachment(bucket: string, bucketCreatedAt: number): AttachmentRecord | undefined {
    const row = this.db.prepare("SELECT * FROM bucket_attachments WHERE bucket = ?").get(bucket) as AttachmentRow | undefined;
    if (!row || row.bucket_created_at !== bucketCreatedAt) return undefined;
    return toAttachment(row);
  }

  /** Removes the bucket's live attachment; false when it had none (a stale row is removed too). */
  async detachBucket(bucket: string, bucketCreatedAt: number): Promise<boolean> {
    return this.db.transaction((): boolean => {
      const live = this.attachment(bucket, bucketCreatedAt) !== undefined;
      this.db.prepare("DELETE FROM bucket_attachments WHERE bucket = ?").run(bucket);
      return live;
    }).immediate();
  }

  async close(): Promise<void> {
    this.db.close();
  }
}
