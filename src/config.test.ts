import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { loadConfig } from "./config.js";

const S3 = {
  BARBUCKET_S3_ENDPOINT: "http://127.0.0.1:7480/",
  BARBUCKET_S3_BUCKET: "barbucket",
  BARBUCKET_S3_REGION: "default",
  BARBUCKET_S3_ACCESS_KEY_ID: "AK",
  BARBUCKET_S3_SECRET_ACCESS_KEY: "SK",
};

describe("loadConfig: BARBUCKET_S3_*", () => {
  it("keeps blobs in the data dir when none is set", () => {
    assert.equal(loadConfig({}).s3, undefined);
  });

  it("reads all five, trims the endpoint's slash, defaults the orphan grace to 60 s", () => {
    assert.deepEqual(loadConfig(S3).s3, {
      endpoint: "http://127.0.0.1:7480", bucket: "barbucket", region: "default", accessKeyId: "AK", secretAccessKey: "SK", orphanGraceMs: 60_000,
    });
    assert.equal(loadConfig({ ...S3, BARBUCKET_S3_ORPHAN_GRACE_MS: "0" }).s3?.orphanGraceMs, 0);
  });

  it("names the missing variables when only some are set", () => {
    assert.throws(() => loadConfig({ ...S3, BARBUCKET_S3_SECRET_ACCESS_KEY: "" }), /BARBUCKET_S3_SECRET_ACCESS_KEY must be set/);
    assert.throws(() => loadConfig({ BARBUCKET_S3_BUCKET: "b" }), /BARBUCKET_S3_ENDPOINT, BARBUCKET_S3_REGION/);
  });

  it("refuses an endpoint with a path and a bucket name S3 would refuse", () => {
    assert.throws(() => loadConfig({ ...S3, BARBUCKET_S3_ENDPOINT: "127.0.0.1:7480" }), /BARBUCKET_S3_ENDPOINT/);
    assert.throws(() => loadConfig({ ...S3, BARBUCKET_S3_ENDPOINT: "http://h/x" }), /BARBUCKET_S3_ENDPOINT/);
    assert.throws(() => loadConfig({ ...S3, BARBUCKET_S3_BUCKET: "Bad_Bucket" }), /BARBUCKET_S3_BUCKET/);
  });
});
