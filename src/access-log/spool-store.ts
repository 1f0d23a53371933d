/**
 * Where spooled access-log lines and sealed batches are kept between a process's flush and their
 * delivery (spool.ts explains the exactly-once rules). `<dataDir>/access-log.sqlite` on one node
 * (sqlite-spool-store.ts), PostgreSQL under BARBUCKET_DATABASE_URL (pg-spool-store.ts: every node
 * appends, the node holding the access-log lease delivers all of it). Every backend must pass
 * conformance-spool.ts.
 */
export interface Batch {
  readonly id: number;
  readonly sourceBucket: string;
  readonly targetBucket: string;
  readonly targetKey: string;
  readonly lines: number;
}

export interface SpoolStore {
  /** Appends lines (bucket, formatted line) in one transaction: all or none. */
  append(rows: ReadonlyArray<readonly [bucket: string, line: string]>): Promise<void>;
  /** Buckets with lines not yet in a batch. */
  unbatchedBuckets(): Promise<string[]>;
  /**
   * Seals up to `maxLines` of `bucket`'s oldest unbatched lines into a batch bound for
   * `targetBucket` under the key `keyFor(unique)`, in one transaction; undefined when there were none.
   */
  seal(bucket: string, targetBucket: string, keyFor: (unique: string) => string, maxLines: number): Promise<Batch | undefined>;
  /** Drops `bucket`'s unbatched lines; returns how many. */
  dropUnbatched(bucket: string): Promise<number>;
  /** Sealed batches not yet finished, oldest first. */
  pendingBatches(): Promise<Batch[]>;
  /** The batch's lines in arrival order. */
  lines(batch: Batch): Promise<string[]>;
  /** Forgets the batch and its lines, together. */
  finish(batch: Batch): Promise<void>;
  close(): Promise<void>;
}
