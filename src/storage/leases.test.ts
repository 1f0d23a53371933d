import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runLeaseStoreConformance } from "./conformance-leases.js";
import { SqliteMetadataStore } from "./sqlite-metadata.js";

// Two SqliteMetadataStores on one meta.sqlite stand for two server processes.
runLeaseStoreConformance("SQLite (meta.sqlite, two connections)", async () => {
  const dir = await mkdtemp(join(tmpdir(), "barbucket-leases-"));
  const a = SqliteMetadataStore.open(dir, { synchronous: "OFF" });
  const b = SqliteMetadataStore.open(dir, { synchronous: "OFF" });
  return {
    store: a.leases,
    other: b.leases,
    cleanup: async () => {
      await a.close();
      await b.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});
