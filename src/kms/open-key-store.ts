/** The node's KMS key store: PostgreSQL under BARBUCKET_DATABASE_URL (shared by every node), else `<dataDir>/kms.sqlite`. */
import { join } from "node:path";
import type { SecretBox } from "../iam/secret-box.js";
import type { KmsKeyStore } from "./key-store.js";
import { PgKmsKeyStore } from "./pg-store.js";
import { SqliteKmsKeyStore } from "./store.js";

export async function openKmsKeyStore(config: { readonly dataDir: string; readonly databaseUrl?: string | undefined }, box: SecretBox): Promise<KmsKeyStore> {
  if (!config.databaseUrl) return new SqliteKmsKeyStore(join(config.dataDir, "kms.sqlite"), box);
  return await PgKmsKeyStore.open(config.databaseUrl, box).catch((error: unknown) => {
    throw new Error(`BARBUCKET_DATABASE_URL: cannot open the KMS key store: ${(error as Error).message}`, { cause: error });
  });
}
