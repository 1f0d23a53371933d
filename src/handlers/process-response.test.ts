import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { forcedDownloadHeaders, onDefaultDomain } from "./process-response.js";
import type { RequestContext } from "../http/context.js";
import type { BucketRecord } from "../storage/types.js";

const ctx = (host: string) => ({ headers: { host } }) as unknown as RequestContext;
const bucket = (created: string) => ({ createdAt: new Date(created) }) as BucketRecord;

describe("forced download on OSS default domains (EC 0048-00000101)", () => {
  it("recognises default domains by the Host", () => {
    assert.equal(onDefaultDomain("b.oss-cn-hangzhou.aliyuncs.com"), true);
    assert.equal(onDefaultDomain("b.oss-cn-hangzhou.aliyuncs.com:9000"), true);
    assert.equal(onDefaultDomain("127.0.0.1:9000"), false);
    assert.equal(onDefaultDomain("img.example.com"), false);
    assert.equal(onDefaultDomain(undefined), false);
  });
  it("adds attachment for the listed image types and JSON, on new buckets only", () => {
    const host = "b.oss-cn-hangzhou.aliyuncs.com";
    assert.deepEqual(forcedDownloadHeaders(ctx(host), bucket("2024-01-01T00:00:00Z"), "image/webp"), { "content-disposition": "attachment", "x-oss-force-download": "true", "x-oss-ec": "0048-00000101" });
    assert.deepEqual(forcedDownloadHeaders(ctx(host), bucket("2024-01-01T00:00:00Z"), "application/json;charset=utf-8"), { "content-disposition": "attachment", "x-oss-force-download": "true" });
    assert.deepEqual(forcedDownloadHeaders(ctx(host), bucket("2024-01-01T00:00:00Z"), "image/avif"), {}, "not in the page's list");
    assert.deepEqual(forcedDownloadHeaders(ctx(host), bucket("2019-09-24T02:59:59Z"), "image/jpeg"), {}, "created before 11:00 UTC+8");
    assert.deepEqual(forcedDownloadHeaders(ctx("img.example.com"), bucket("2024-01-01T00:00:00Z"), "image/jpeg"), {});
  });
});
