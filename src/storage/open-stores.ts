/**
 * The metadata stores of a node: PostgreSQL under BARBUCKET_DATABASE_URL (object metadata and IMM
 * projects and run-once job leases shared by every node), else the SQLite files in the data dir. Identities
 * (Iam.open), KMS keys and usage follow the same choice through their own open functions.
 */
import { join } from "node:path";
import type { Config } from "../config.js";
import { Imm } from "../imm/imm.js";
import { PgProjectStore } from "../imm/pg-project-store.js";
import type { LeaseStore } from "./leases.js";
import { PgLeaseStore } from "./pg-leases.js";
import { PgMetadataStore } from "./pg-metadata.js";
import { SqliteMetadataStore } from "./sqlite-metadata.js";
import type { MetadataStore } from "./types.js";

export interface MetadataStores {
  readonly meta: MetadataStore;
  readonly imm: Imm;
  /** Run-once job leases (lifecycle, access-log delivery, inventory). */
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
  let leases: PgLeaseStore;
  try {
    leases = await PgLeaseStore.open(config.databaseUrl);
  } catch (error) {
    await meta.close();
    await imm.close();
    throw new Error(`BARBUCKET_DATABASE_URL: cannot open the job lease store: ${(error as Error).message}`, { cause: error });
  }
  return {
    meta,
    imm,
    leases,
    close: async () => {
      await meta.close();
      await imm.close();
      await leases.close();
    },
  };
}
