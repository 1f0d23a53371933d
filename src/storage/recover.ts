/**
 * Startup recovery. The invariants that make crash safety hold:
 *
 *  1. Bytes before metadata: a blob is durable (temp file fsynced, renamed, directory fsynced)
 *     before any metadata transaction references it, and a request is acknowledged only after
 *     that transaction commits (synchronous=FULL). So an acknowledged PUT survives kill -9 or
 *     power loss: its record and its bytes are both on disk.
 *  2. Metadata before unlink: a blob is deleted only after the transaction that stopped
 *     referencing it has committed (stores return `releasedBlobs` for that). So a crash can never
 *     leave a record pointing at missing bytes; at worst it leaves an unreferenced blob.
 *
 * A crash therefore leaves only two kinds of debris, both invisible to clients: partial temp
 * files (interrupted writes) and orphan blobs (written but never committed, or released but not
 * yet unlinked). This removes both, so an interrupted PUT leaves nothing behind after restart.
 * Run it before serving requests: a blob written concurrently would look like an orphan.
 */
import type { BlobStore, MetadataStore } from "./types.js";

export interface RecoveryReport {
  /** Leftover temp files removed, when the blob store reports the number (FsBlobStore does). */
  tempRemoved?: number;
  orphansRemoved: number;
}

export async function recoverStorage(meta: MetadataStore, blobs: BlobStore): Promise<RecoveryReport> {
  const cleaned = await blobs.cleanupTemp();
  const referenced = await meta.referencedBlobIds();
  const orphans: string[] = [];
  for await (const id of blobs.list()) if (!referenced.has(id)) orphans.push(id);
  for (const id of orphans) await blobs.delete(id);
  return typeof cleaned === "number" ? { tempRemoved: cleaned, orphansRemoved: orphans.length } : { orphansRemoved: orphans.length };
}
