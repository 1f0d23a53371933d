import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { DEFAULT_LIMITS, ProjectStore, type ProjectRecord } from "./project-store.js";

const dir = mkdtempSync(join(tmpdir(), "imm-store-"));
after(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const open = () => new ProjectStore(join(dir, `imm-${++n}.sqlite`));

function project(name: string, accountId = "1000000000000001"): ProjectRecord {
  const now = new Date("2024-01-01T00:00:00Z");
  return { accountId, name, serviceRole: "AliyunIMMDefaultRole", description: "", templateId: "", limits: DEFAULT_LIMITS, tags: [{ key: "k", value: "v" }], createdAt: now, updatedAt: now };
}
const ACC = "1000000000000001";
const NOW = new Date("2024-02-01T00:00:00Z");

describe("ProjectStore", () => {
  it("creates, refuses duplicates per account, reads back", () => {
    const s = open();
    assert.equal(s.createProject(project("p1")), "created");
    assert.equal(s.createProject(project("p1")), "exists");
    assert.equal(s.createProject(project("p1", "2000000000000002")), "created");
    const p = s.getProject(ACC, "p1")!;
    assert.equal(p.serviceRole, "AliyunIMMDefaultRole");
    assert.deepEqual(p.tags, [{ key: "k", value: "v" }]);
    assert.deepEqual(p.limits, DEFAULT_LIMITS);
    assert.equal(p.createdAt.toISOString(), "2024-01-01T00:00:00.000Z");
    assert.equal(s.getProject(ACC, "nope"), undefined);
    s.close();
  });

  it("persists across reopen", () => {
    const file = join(dir, "persist.sqlite");
    const a = new ProjectStore(file);
    a.createProject(project("kept"));
    a.attachBucket({ accountId: ACC, bucket: "bkt", bucketCreatedAt: 5, projectName: "kept", description: "d", now: NOW });
    a.close();
    const b = new ProjectStore(file);
    assert.equal(b.getProject(ACC, "kept")?.name, "kept");
    assert.equal(b.getAttachment("bkt", 5)?.description, "d");
    b.close();
  });

  it("lists in name order with prefix and paging", () => {
    const s = open();
    for (const name of ["b2", "a1", "b1", "b3", "c1"]) s.createProject(project(name));
    s.createProject(project("b0", "2000000000000002"));
    const page1 = s.listProjects(ACC, { prefix: "b", after: "", limit: 2 });
    assert.deepEqual(page1.projects.map((p) => p.name), ["b1", "b2"]);
    assert.equal(page1.truncated, true);
    const page2 = s.listProjects(ACC, { prefix: "b", after: "b2", limit: 2 });
    assert.deepEqual(page2.projects.map((p) => p.name), ["b3"]);
    assert.equal(page2.truncated, false);
    assert.equal(s.listProjects(ACC, { prefix: "", after: "", limit: 100 }).projects.length, 5);
    s.close();
  });

  it("attaches one project per bucket; stale attachments (re-created bucket) do not count", () => {
    const s = open();
    s.createProject(project("p1"));
    s.createProject(project("p2"));
    const base = { accountId: ACC, bucket: "bkt", description: "", now: NOW };
    assert.equal(s.attachBucket({ ...base, bucketCreatedAt: 100, projectName: "missing" }).result, "no-project");
    assert.equal(s.attachBucket({ ...base, bucketCreatedAt: 100, projectName: "p1" }).result, "attached");
    assert.deepEqual(s.attachBucket({ ...base, bucketCreatedAt: 100, projectName: "p2" }), { result: "already-attached", projectName: "p1" });
    assert.equal(s.getAttachment("bkt", 100)?.projectName, "p1");
    // the bucket was deleted and re-created: the old row is stale
    assert.equal(s.getAttachment("bkt", 200), undefined);
    assert.equal(s.attachBucket({ ...base, bucketCreatedAt: 200, projectName: "p2" }).result, "attached");
    assert.equal(s.getAttachment("bkt", 200)?.projectName, "p2");
    assert.equal(s.detachBucket("bkt", 200), true);
    assert.equal(s.detachBucket("bkt", 200), false);
    assert.equal(s.getAttachment("bkt", 200), undefined);
    s.close();
  });

  it("refuses to delete a project with live attachments, drops stale ones", () => {
    const s = open();
    s.createProject(project("p1"));
    s.attachBucket({ accountId: ACC, bucket: "live", bucketCreatedAt: 1, projectName: "p1", description: "", now: NOW });
    s.attachBucket({ accountId: ACC, bucket: "gone", bucketCreatedAt: 1, projectName: "p1", description: "", now: NOW });
    const isLive = (a: { bucket: string }) => a.bucket === "live";
    assert.deepEqual(s.deleteProject(ACC, "p1", isLive), { result: "in-use", buckets: ["live"] });
    s.detachBucket("live", 1);
    assert.deepEqual(s.deleteProject(ACC, "p1", isLive), { result: "deleted" });
    assert.equal(s.getAttachment("gone", 1), undefined);
    assert.deepEqual(s.deleteProject(ACC, "p1", isLive), { result: "missing" });
    s.close();
  });
});
