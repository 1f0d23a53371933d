/**
 * Group commit for SQLite's WAL. A transaction committed with `synchronous = NORMAL` is in the WAL
 * file (the OS page cache: it survives kill -9) but not yet on disk. `GroupSync.sync()` resolves
 * once an fdatasync of the WAL file that started after the call has finished: every commit made
 * before the call is then durable, exactly as `synchronous = FULL` would have made it.
 *
 * The fdatasync runs on the thread pool (not the event loop, where better-sqlite3 would do it), and
 * concurrent callers share it: at most one sync runs and at most one waits to start, so N commits
 * made while a sync is running cost one more sync, not N. Linux's fdatasync flushes the file's
 * pages whichever descriptor wrote them, so our own read-only descriptor serves.
 *
 * Why this is safe: SQLite never overwrites committed WAL frames that are not yet checkpointed,
 * and a checkpoint (any connection, synchronous NORMAL or FULL) syncs the WAL before copying
 * frames into the database and the database after; a WAL file deleted on the last close was
 * fully checkpointed first. So a frame is durable after our fdatasync, or already in a synced
 * database file (a missing WAL file counts as synced).
 */
import { open } from "node:fs/promises";

export class GroupSync {
  private running: Promise<void> | undefined;
  private next: Promise<void> | undefined;
  /** fdatasync calls made (tests, benchmarks). */
  syncs = 0;

  constructor(private readonly file: string) {}

  /** Resolves when everything written to the file before this call is on disk. */
  sync(): Promise<void> {
    if (this.next) return this.next; // not started yet: it covers this caller too
    if (!this.running) return this.start();
    const next = this.running
      .then(noop, noop)
      .then(() => {
        this.next = undefined;
        return this.start();
      });
    this.next = next;
    return next;
  }

  private start(): Promise<void> {
    const run = this.fdatasync().finally(() => {
      if (this.running === run) this.running = undefined;
    });
    this.running = run;
    return run;
  }

  private async fdatasync(): Promise<void> {
    this.syncs++;
    let handle;
    try {
      handle = await open(this.file, "r");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return; // checkpointed and removed
      throw error;
    }
    try {
      await handle.datasync();
    } finally {
      await handle.close();
    }
  }
}

function noop(): void {}
