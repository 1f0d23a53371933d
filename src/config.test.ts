import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { inspect } from "node:util";
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

describe("loadConfig: BARBUCKET_DATABASE_URL and BARBUCKET_MASTER_KEY", () => {
  it("leaves both unset by default (SQLite files and <dataDir>/master.key)", () => {
    const config = loadConfig({});
    assert.equal(config.databaseUrl, undefined);
    assert.equal(config.masterKey, undefined);
  });

  it("takes a postgres:// URL and refuses others without repeating the password", () => {
    assert.equal(loadConfig({ BARBUCKET_DATABASE_URL: "postgres://u:pw@127.0.0.1:5432/db" }).databaseUrl, "postgres://u:pw@127.0.0.1:5432/db");
    assert.throws(() => loadConfig({ BARBUCKET_DATABASE_URL: "mysql://u:secretpw@h/db" }), (e: Error) => /postgres:\/\//.test(e.message) && !e.message.includes("secretpw"));
    assert.throws(() => loadConfig({ BARBUCKET_DATABASE_URL: "postgres://u:secretpw@h:5432/" }), /must name a database/);
    assert.throws(() => loadConfig({ BARBUCKET_DATABASE_URL: "not a url" }), /BARBUCKET_DATABASE_URL must be a URL/);
  });

  it("takes the base64 of 32 bytes, hides it from logs, and refuses anything else without echoing it", () => {
    const key = Buffer.alloc(32, 7);
    const config = loadConfig({ BARBUCKET_MASTER_KEY: key.toString("base64") });
    assert.deepEqual(config.masterKey?.bytes(), key);
    assert.ok(!JSON.stringify(config).includes(key.toString("base64")) && JSON.stringify(config).includes("[redacted]"));
    assert.ok(!inspect(config).includes("7, 7, 7"));
    assert.throws(() => loadConfig({ BARBUCKET_MASTER_KEY: Buffer.alloc(16, 1).toString("base64") }), /must decode to 32 bytes; the value given decodes to 16/);
    assert.throws(() => loadConfig({ BARBUCKET_MASTER_KEY: "not-base64!!" }), (e: Error) => /not base64/.test(e.message) && !e.message.includes("not-base64!!"));
  });
});

describe("BARBUCKET_TRUSTED_PROXIES", () => {
  it("lists load balancers by CIDR or address; none by default; a typo stops start-up naming the variable", () => {
    assert.deepEqual(loadConfig({}).trustedProxies, []);
    assert.deepEqual(loadConfig({ BARBUCKET_TRUSTED_PROXIES: "10.0.0.0/8, 192.0.2.7,fd00::/8" }).trustedProxies, ["10.0.0.0/8", "192.0.2.7", "fd00::/8"]);
    assert.throws(() => loadConfig({ BARBUCKET_TRUSTED_PROXIES: "10.0.0.0/33" }), /BARBUCKET_TRUSTED_PROXIES/);
    assert.throws(() => loadConfig({ BARBUCKET_TRUSTED_PROXIES: "nginx" }), /BARBUCKET_TRUSTED_PROXIES/);
  });
});
