import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after } from "node:test";
import { runVersioningConformance } from "./conformance-versions.js";
import { SqliteMetadataStore } from "./sqlite-metadata.js";

const root = await mkdtemp(join(tmpdir(), "barbucket-versions-"));
after(() => rm(root, { recursive: true, force: true }));
let counter = 0;

runVersioningConformance("sqlite", async () => {
  const dir = join(root, `${++counter}`);
  await mkdir(dir, { recursive: true });
  const store = SqliteMetadataStore.open(dir, { synchronous: "OFF" });
  return { store, cleanup: async () => await store.close() };
});
