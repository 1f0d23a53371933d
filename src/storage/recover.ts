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
 *
 * With nodes sharing the metadata and the blobs (BARBUCKET_DATABASE_URL), other nodes write while this
 * runs; blob stores then leave blobs younger than their grace out of list(), and the order here keeps
 * that enough: a first read of the references narrows the listing to a few candidates, and a read after
 * the listing decides, so a blob listed (older than the grace when the listing began) and committed
 * before that read is kept however long the listing and the reads take. `confirmAfterMs` reads the
 * references once more that much later and collects only the blobs still unreferenced: a blob whose age
 * its store cannot tell (an S3 service that dates a multipart object from the upload's start) and that
 * another node committed right after the read is kept too.
 */
import { setTimeout as sleep } from "node:timers/promises";
import type { BlobStore, MetadataStore } from "./types.js";

export interface RecoveryReport {
  /** Leftover temp files removed, when the blob store reports the number (FsBlobStore does). */
  tempRemoved?: number;
  orphansRemoved: number;
}

export interface RecoveryOptions {
  /** Re-read the references this long after the first read before collecting (0: collect at once). */
  readonly confirmAfterMs?: number;
}

export async function recoverStorage(meta: MetadataStore, blobs: BlobStore, options: RecoveryOptions = {}): Promise<RecoveryReport> {
  const cleaned = await blobs.cleanupTemp();
  const before = await meta.referencedBlobIds();
  const candidates: string[] = [];
  for await (const id of blobs.list()) if (!before.has(id)) candidates.push(id);
  let orphans = candidates.length > 0 ? unreferenced(candidates, await meta.referencedBlobIds()) : [];
  if (orphans.length > 0 && (options.confirmAfterMs ?? 0) > 0) {
    await sleep(options.confirmAfterMs);
    orphans = unreferenced(orphans, await meta.referencedBlobIds());
  }
  for (const id of orphans) await blobs.delete(id);
  return typeof cleaned === "number" ? { tempRemoved: cleaned, orphansRemoved: orphans.length } : { orphansRemoved: orphans.length };
}

function unreferenced(ids: readonly string[], referenced: ReadonlySet<string>): string[] {
  return ids.filter((id) => !referenced.has(id));
}
