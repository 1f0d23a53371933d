/**
 * Whether a SQLite database may have changed since this process last looked, without reading a
 * table: `PRAGMA data_version` moves when any *other* connection (another process, or another
 * connection of this one) committed since this connection last asked, and `total_changes()`
 * moves when *this* connection wrote (rows inserted, updated or deleted, rolled back or not).
 *
 * Cost: `total_changes()` is a function call without a read transaction (~0.2 µs), so it is read
 * on every `current()`; `data_version` needs a read transaction (a pair of fcntl locks on the
 * WAL index, ~3 µs), so it is read once per read epoch (change-seq.ts `newReadEpoch`), like the
 * change_seq counters it stands in front of. A cache validated by the stamp therefore sees this
 * process's own writes at once, and other processes' writes from the next read epoch on (the
 * next request): an acknowledged change is never missed by a later request.
 *
 * One stamp per connection (`stampOf`), shared by every cache on it, so a request reads
 * data_version once per database however many caches it consults.
 */
import { currentReadEpoch } from "./read-epoch.js";
import type { SqliteDatabase, SqliteStatement } from "./sqlite-schema.js";

export class SqliteStamp {
  private readonly dataVersion: SqliteStatement;
  private readonly totalChanges: SqliteStatement;
  private epoch = 0;
  private lastDataVersion = -1;
  private lastTotalChanges = -1;
  private value = 0;

  constructor(db: SqliteDatabase) {
    this.dataVersion = db.prepare("PRAGMA data_version").pluck();
    this.totalChanges = db.prepare("SELECT total_changes()").pluck();
  }

  /**
   * A number that stays the same while the database cannot have changed, and moves (grows) when
   * it may have: after a write through this connection, or — checked once per read epoch — a
   * commit by any other connection. Equal stamps mean the same data; different ones, maybe not.
   */
  current(): number {
    const changes = this.totalChanges.get() as number;
    if (changes !== this.lastTotalChanges) {
      this.lastTotalChanges = changes;
      this.value++;
    }
    const epoch = currentReadEpoch();
    if (epoch !== this.epoch) {
      this.epoch = epoch;
      const version = this.dataVersion.get() as number;
      if (version !== this.lastDataVersion) {
        this.lastDataVersion = version;
        this.value++;
      }
    }
    return this.value;
  }
}

const stamps = new WeakMap<SqliteDatabase, SqliteStamp>();

/** The connection's stamp, created on first use. */
export function stampOf(db: SqliteDatabase): SqliteStamp {
  let stamp = stamps.get(db);
  if (!stamp) stamps.set(db, (stamp = new SqliteStamp(db)));
  return stamp;
}
