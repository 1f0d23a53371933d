/**
 * The metadata stores of a node: PostgreSQL under BARBUCKET_DATABASE_URL (object metadata and IMM
 * projects shared by every node), else the SQLite files in the data dir. Identities follow the same
 * choice (Iam.open); KMS keys and usage stay in SQLite either way for now (README "Scale out").
 */
import { join } from "node:path";
import type { Config } from "../config.js";
import { Imm } from "../imm/imm.js";
import { PgProjectStore } from "../imm/pg-project-store.js";
import { LEASES_DDL, SqliteLeaseStore, type LeaseStore } from "./leases.js";
import { PgMetadataStore } from "./pg-metadata.js";
import { openSqlite } from "./sqlite-schema.js";
import { SqliteMetadataStore } from "./sqlite-metadata.js";
import type { MetadataStore } from "./types.js";

export interface MetadataStores {
  readonly meta: MetadataStore;
  readonly imm: Imm;
  /** The lifecycle job's run-once lease. */
  readonly leases: LeaseStore;
  close(): Promise<void>;
}

/**
 * How long a node leaves young files in a shared data dir alone when it sweeps debris at start-up
 * (another node's upload in flight, or a blob it wrote a moment ago and is committing).
 */
export const SHARED_DIR_ORPHAN_GRACE_MS = 60_000;

export async function openMetadataStores(config: Config): Promise<MetadataStores> {
  if (!config.databaseUrl) {
    const meta = new SqliteMetadataStore(join(config.dataDir, "meta.sqlite"));
    const imm = Imm.open(config.dataDir);
    return { meta, imm, leases: meta.leases, close: async () => { await meta.close(); await imm.close(); } };
  }
  const meta = await PgMetadataStore.open(config.databaseUrl).catch((error: unknown) => {
    throw new Error(`BARBUCKET_DATABASE_URL: cannot open the metadata database: ${(error as Error).message}`, { cause: error });
  });
  let projects: PgProjectStore;
  try {
    projects = await PgProjectStore.open(config.databaseUrl);
  } catch (error) {
    await meta.close();
    throw new Error(`BARBUCKET_DATABASE_URL: cannot open the IMM project store: ${(error as Error).message}`, { cause: error });
  }
  const imm = new Imm(projects);
  // The lease API is still synchronous (SQLite); until it is asynchronous its table stays in the
  // data dir, so nodes sharing a data dir share the lease.
  const leaseDb = openSqlite(join(config.dataDir, "leases.sqlite"), [LEASES_DDL]);
  return {
    meta,
    imm,
    leases: new SqliteLeaseStore(leaseDb),
    close: async () => {
      await meta.close();
      await imm.close();
      leaseDb.close();
    },
  };
}
