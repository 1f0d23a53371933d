/**
 * Read epochs: every request (OSS, RPC, admin) and every background run starts one with
 * `newReadEpoch()`, and caches shared with other processes (change-seq.ts, sqlite-stamp.ts)
 * revalidate at most once per epoch. A check made after a request started sees every change
 * committed before it did.
 */
let readEpoch = 1;

/** Starts a read epoch: call when a request (or a background run) begins, before its lookups. */
export function newReadEpoch(): void {
  readEpoch++;
}

/** The current read epoch (guards compare against it). */
export function currentReadEpoch(): number {
  return readEpoch;
}
