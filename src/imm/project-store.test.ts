import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { SqliteProjectStore } from "./project-store.js";
import { ACC, NOW, project, runProjectStoreConformance } from "./project-store-conformance.js";

const dir = mkdtempSync(join(tmpdir(), "imm-store-"));
after(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

runProjectStoreConformance("sqlite", async () => new SqliteProjectStore(join(dir, `imm-${++n}.sqlite`)));

describe("SqliteProjectStore", () => {
  it("persists across reopen", async () => {
    const file = join(dir, "persist.sqlite");
    const a = new SqliteProjectStore(file);
    await a.createProject(project("kept"));
    await a.attachBucket({ accountId: ACC, bucket: "bkt", bucketCreatedAt: 5, projectName: "kept", description: "d", now: NOW });
    await a.close();
    const b = new SqliteProjectStore(file);
    assert.equal((await b.getProject(ACC, "kept"))?.name, "kept");
    assert.equal((await b.getAttachment("bkt", 5))?.description, "d");
    await b.close();
  });
});
