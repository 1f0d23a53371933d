/**
 * The access-log spool's store: PostgreSQL under BARBUCKET_DATABASE_URL (every node appends there and
 * the access-log lease holder delivers it all; no config names a node-local dir apart from the data
 * dir, which nodes may share), else `<dataDir>/access-log.sqlite`.
 */
import { join } from "node:path";
import { PgSpoolStore } from "./pg-spool-store.js";
import { SqliteSpoolStore } from "./sqlite-spool-store.js";
import type { SpoolStore } from "./spool-store.js";

export async function openSpoolStore(config: { readonly dataDir: string; readonly databaseUrl?: string | undefined }): Promise<SpoolStore> {
  if (!config.databaseUrl) return new SqliteSpoolStore(join(config.dataDir, "access-log.sqlite"));
  return await PgSpoolStore.open(config.databaseUrl).catch((error: unknown) => {
    throw new Error(`BARBUCKET_DATABASE_URL: cannot open the access-log spool: ${(error as Error).message}`, { cause: error });
  });
}
