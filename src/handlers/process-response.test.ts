import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { forcedDownloadHeaders } from "./process-response.js";
import type { BucketRecord } from "../storage/types.js";

const bucket = (created: string) => ({ createdAt: new Date(created) }) as BucketRecord;

describe("forced download as on OSS default domains (EC 0048-00000101)", () => {
  it("adds attachment for the listed image types and JSON, on buckets created after the cut-off only", () => {
    assert.deepEqual(forcedDownloadHeaders(bucket("2024-01-01T00:00:00Z"), "image/webp"), { "content-disposition": "attachment", "x-oss-force-download": "true", "x-oss-ec": "0048-00000101" });
    assert.deepEqual(forcedDownloadHeaders(bucket("2024-01-01T00:00:00Z"), "application/json;charset=utf-8"), { "content-disposition": "attachment", "x-oss-force-download": "true" });
    assert.deepEqual(forcedDownloadHeaders(bucket("2024-01-01T00:00:00Z"), "image/avif"), {}, "not in the page's list");
    assert.deepEqual(forcedDownloadHeaders(bucket("2019-09-24T02:59:59Z"), "image/jpeg"), {}, "created before 11:00 UTC+8");
  });
});
