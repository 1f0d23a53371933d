/** Deleting every object under a prefix in batches of 1000 (DeleteMultipleObjects), for rm -r and rb --force. */
import { listAll, type AliOss } from "../client.js";
import type { PathFilter } from "../glob.js";

export async function deletePrefix(oss: AliOss, prefix: string, filter: PathFilter | undefined, onDeleted: (key: string) => void): Promise<number> {
  let batch: string[] = [];
  let count = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    await oss.deleteMulti(batch, { quiet: true });
    for (const k of batch) onDeleted(k);
    count += batch.length;
    batch = [];
  };
  for await (const { object } of listAll(oss, prefix)) {
    if (!object) continue;
    if (filter && !filter(object.name.slice(prefix.length))) continue;
    batch.push(object.name);
    if (batch.length === 1000) await flush();
  }
  await flush();
  return count;
}
