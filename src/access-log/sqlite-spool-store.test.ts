import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after } from "node:test";
import { runSpoolStoreConformance } from "./conformance-spool.js";
import { SqliteSpoolStore } from "./sqlite-spool-store.js";

const dir = mkdtempSync(join(tmpdir(), "access-log-spool-"));
after(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;

// Two stores on one access-log.sqlite stand for two processes of a node.
runSpoolStoreConformance("SQLite (access-log.sqlite, two connections)", async () => {
  const file = join(dir, `spool-${++files}.sqlite`);
  const store = new SqliteSpoolStore(file);
  const other = new SqliteSpoolStore(file);
  return { store, other, cleanup: async () => void (await Promise.all([store.close(), other.close()])) };
});
