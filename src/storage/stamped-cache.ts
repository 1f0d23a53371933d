/**
 * Values read from one SQLite database, kept while its stamp (sqlite-stamp.ts) holds: the whole map is dropped
 * whenever the database may have changed — a write through this connection at once, another process's commit
 * from the next read epoch on — and when it reaches `maxEntries`.
 */
import type { SqliteStamp } from "./sqlite-stamp.js";

export class StampedCache<V> {
  private readonly entries = new Map<string, V>();
  private seenStamp = -1;

  constructor(private readonly stamp: SqliteStamp, private readonly maxEntries: number) {}

  /** The value under `key`, from `load` on a miss (a miss that loads nothing is not kept). */
  get(key: string, load: () => V | undefined): V | undefined {
    const stamp = this.stamp.current();
    if (stamp !== this.seenStamp) {
      this.entries.clear();
      this.seenStamp = stamp;
    }
    const hit = this.entries.get(key);
    if (hit !== undefined) return hit;
    const value = load();
    if (value === undefined) return undefined;
    if (this.entries.size >= this.maxEntries) this.entries.clear();
    this.entries.set(key, value);
    return value;
  }
}
