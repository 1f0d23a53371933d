/**
 * The ProjectStore conformance suite: SQLite and PostgreSQL run the same cases. `open` makes a
 * fresh, empty store; each case closes what it opened.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DEFAULT_LIMITS, type ProjectRecord, type ProjectStore } from "./project-store.js";

export const ACC = "1000000000000001";
export const NOW = new Date("2024-02-01T00:00:00Z");

export function project(name: string, accountId = ACC): ProjectRecord {
  const now = new Date("2024-01-01T00:00:00Z");
  return { accountId, name, serviceRole: "AliyunIMMDefaultRole", description: "", templateId: "", limits: DEFAULT_LIMITS, tags: [{ key: "k", value: "v" }], createdAt: now, updatedAt: now };
}

export function runProjectStoreConformance(name: string, open: () => Promise<ProjectStore>): void {
  describe(`ProjectStore conformance: ${name}`, () => {
    it("creates, refuses duplicates per account, reads back", async () => {
      const s = await open();
      assert.equal(await s.createProject(project("p1")), "created");
      assert.equal(await s.createProject(project("p1")), "exists");
      assert.equal(await s.createProject(project("p1", "2000000000000002")), "created");
      const p = (await s.getProject(ACC, "p1"))!;
      assert.equal(p.serviceRole, "AliyunIMMDefaultRole");
      assert.deepEqual(p.tags, [{ key: "k", value: "v" }]);
      assert.deepEqual(p.limits, DEFAULT_LIMITS);
      assert.equal(p.createdAt.toISOString(), "2024-01-01T00:00:00.000Z");
      assert.equal(await s.getProject(ACC, "nope"), undefined);
      await s.close();
    });

    it("lists in name order with prefix and paging", async () => {
      const s = await open();
      for (const name of ["b2", "a1", "b1", "b3", "c1"]) await s.createProject(project(name));
      await s.createProject(project("b0", "2000000000000002"));
      const page1 = await s.listProjects(ACC, { prefix: "b", after: "", limit: 2 });
      assert.deepEqual(page1.projects.map((p) => p.name), ["b1", "b2"]);
      assert.equal(page1.truncated, true);
      const page2 = await s.listProjects(ACC, { prefix: "b", after: "b2", limit: 2 });
      assert.deepEqual(page2.projects.map((p) => p.name), ["b3"]);
      assert.equal(page2.truncated, false);
      assert.equal((await s.listProjects(ACC, { prefix: "", after: "", limit: 100 })).projects.length, 5);
      await s.close();
    });

    it("attaches one project per bucket; stale attachments (re-created bucket) do not count", async () => {
      const s = await open();
      await s.createProject(project("p1"));
      await s.createProject(project("p2"));
      const base = { accountId: ACC, bucket: "bkt", description: "", now: NOW };
      assert.equal((await s.attachBucket({ ...base, bucketCreatedAt: 100, projectName: "missing" })).result, "no-project");
      assert.equal((await s.attachBucket({ ...base, bucketCreatedAt: 100, projectName: "p1" })).result, "attached");
      assert.deepEqual(await s.attachBucket({ ...base, bucketCreatedAt: 100, projectName: "p2" }), { result: "already-attached", projectName: "p1" });
      assert.equal((await s.getAttachment("bkt", 100))?.projectName, "p1");
      // the bucket was deleted and re-created: the old row is stale
      assert.equal(await s.getAttachment("bkt", 200), undefined);
      assert.equal((await s.attachBucket({ ...base, bucketCreatedAt: 200, projectName: "p2" })).result, "attached");
      assert.equal((await s.getAttachment("bkt", 200))?.projectName, "p2");
      assert.equal(await s.detachBucket("bkt", 200), true);
      assert.equal(await s.detachBucket("bkt", 200), false);
      assert.equal(await s.getAttachment("bkt", 200), undefined);
      await s.close();
    });

    it("refuses to delete a project with live attachments, drops stale ones", async () => {
      const s = await open();
      await s.createProject(project("p1"));
      await s.attachBucket({ accountId: ACC, bucket: "live", bucketCreatedAt: 1, projectName: "p1", description: "", now: NOW });
      await s.attachBucket({ accountId: ACC, bucket: "gone", bucketCreatedAt: 1, projectName: "p1", description: "", now: NOW });
      const isLive = (a: { bucket: string }) => a.bucket === "live";
      assert.deepEqual(await s.deleteProject(ACC, "p1", isLive), { result: "in-use", buckets: ["live"] });
      await s.detachBucket("live", 1);
      assert.deepEqual(await s.deleteProject(ACC, "p1", isLive), { result: "deleted" });
      assert.equal(await s.getAttachment("gone", 1), undefined);
      assert.deepEqual(await s.deleteProject(ACC, "p1", isLive), { result: "missing" });
      await s.close();
    });
  });
}
