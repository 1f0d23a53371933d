/** The node's usage store: PostgreSQL under BARBUCKET_DATABASE_URL (shared by every node), else `<dataDir>/usage.sqlite`. */
import { join } from "node:path";
import { PgUsageStore } from "./pg-usage-store.js";
import { SqliteUsageStore } from "./store.js";
import type { UsageStore } from "./usage-store.js";

export async function openUsageStore(config: { readonly dataDir: string; readonly databaseUrl?: string | undefined }): Promise<UsageStore> {
  if (!config.databaseUrl) return SqliteUsageStore.open(join(config.dataDir, "usage.sqlite"));
  return await PgUsageStore.open(config.databaseUrl).catch((error: unknown) => {
    throw new Error(`BARBUCKET_DATABASE_URL: cannot open the usage store: ${(error as Error).message}`, { cause: error });
  });
}
