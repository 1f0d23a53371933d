import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { objectRecord } from "../storage/conformance-records.js";
import type { ObjectRecord } from "../storage/types.js";
import { earlyDeletion, restoreHeader, restorePhase } from "./storage-class.js";
import { parseRestoreDelays, restoreDelayMs } from "./restore-delays.js";

const DAY = 86_400_000;
const T0 = Date.parse("2025-03-01T00:00:00Z");
const at = (ms: number) => new Date(T0 + ms);

describe("storage classes", () => {
  it("restore phases and the x-oss-restore header follow readyAt and expiresAt", () => {
    const object: ObjectRecord = { ...objectRecord("b", "k"), storageClass: "Archive", restore: { requestedAt: at(0), readyAt: at(60_000), expiresAt: at(60_000 + DAY), tier: "Standard" } };
    assert.equal(restorePhase(object, at(59_999)), "ongoing");
    assert.equal(restoreHeader(object, at(0)), 'ongoing-request="true"');
    assert.equal(restorePhase(object, at(60_000)), "restored");
    assert.equal(restoreHeader(object, at(60_000)), 'ongoing-request="false", expiry-date="Sun, 02 Mar 2025 00:01:00 GMT"');
    assert.equal(restorePhase(object, at(60_000 + DAY)), "archived");
    assert.equal(restoreHeader(object, at(60_000 + DAY)), undefined);
    assert.equal(restoreHeader({ ...object, storageClass: "Standard" }, at(60_000)), undefined);
  });

  it("early deletion: billable size (≥ 64 KB) × whole hours left of the class minimum", () => {
    const ia: ObjectRecord = { ...objectRecord("b", "k"), storageClass: "IA", size: 1_000_000, lastModified: at(0) };
    assert.deepEqual(earlyDeletion(ia, at(0)), { storageClass: "IA", byteHours: 1_000_000 * 720 });
    assert.deepEqual(earlyDeletion(ia, at(29 * DAY + 1)), { storageClass: "IA", byteHours: 1_000_000 * 24 });
    assert.equal(earlyDeletion(ia, at(30 * DAY)), undefined);
    assert.equal(earlyDeletion({ ...ia, storageClass: "Standard" }, at(0)), undefined);
    const tiny: ObjectRecord = { ...ia, storageClass: "ColdArchive", size: 10, classSince: at(DAY) };
    assert.deepEqual(earlyDeletion(tiny, at(DAY)), { storageClass: "ColdArchive", byteHours: 65_536 * 180 * 24 });
    assert.deepEqual(earlyDeletion({ ...tiny, storageClass: "Archive" }, at(DAY + 1)), { storageClass: "Archive", byteHours: 65_536 * 60 * 24 });
  });

  it("restore delays: defaults per class and tier, overrides, and the one-for-all test setting", () => {
    const config = { restoreDelayMs: undefined, restoreDelays: {} };
    assert.equal(restoreDelayMs(config, "Archive", "Expedited"), 60_000);
    assert.equal(restoreDelayMs(config, "ColdArchive", "Expedited"), 3_600_000);
    assert.equal(restoreDelayMs(config, "DeepColdArchive", "Standard"), 48 * 3_600_000);
    assert.equal(restoreDelayMs({ ...config, restoreDelays: parseRestoreDelays("ColdArchive:Bulk=5, Archive=7") }, "ColdArchive", "Bulk"), 5);
    assert.equal(restoreDelayMs({ restoreDelayMs: 300, restoreDelays: {} }, "DeepColdArchive", "Standard"), 300);
    assert.throws(() => parseRestoreDelays("IA=5"), /BARBUCKET_RESTORE_DELAYS/);
    assert.throws(() => parseRestoreDelays("Archive:Slow=5"), /BARBUCKET_RESTORE_DELAYS/);
  });
});
