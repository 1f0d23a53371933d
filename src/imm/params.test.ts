import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { RpcError } from "../rpc/errors.js";
import { bucketName, description, integer, isValidProjectName, ossSourceUri, ossUri, projectName, required, tags } from "./params.js";
import { newVersionId } from "../storage/version-id.js";
import { parseCredentialConfig } from "./credential-config.js";
import { ScanError, toImmError, toOssError } from "./scan-object.js";
import { ImmAccessDenied } from "./source-access.js";
import { OssError } from "../errors/oss-error.js";
import { CodesError } from "../codes/types.js";

function rpcError(fn: () => unknown, code: string, status = 400): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof RpcError, String(e));
    assert.equal(e.code, code, e.message);
    assert.equal(e.httpStatus, status);
    return true;
  });
}

describe("IMM parameter validation", () => {
  it("missing parameters are Missing{Name}", () => {
    rpcError(() => required({}, "ProjectName"), "MissingProjectName");
    rpcError(() => required({ ProjectName: "" }, "ProjectName"), "MissingProjectName");
    assert.throws(() => required({}, "SourceURI"), { message: "SourceURI is mandatory for this action." });
  });

  it("project names: 1-128 of [A-Za-z0-9_-], starting with a letter or underscore", () => {
    for (const ok of ["a", "test-project", "_x", "A_b-9", "a".repeat(128)]) assert.ok(isValidProjectName(ok), ok);
    for (const bad of ["", "9abc", "-a", "a.b", "a b", "a".repeat(129), "ü"]) assert.ok(!isValidProjectName(bad), bad);
    rpcError(() => projectName({ ProjectName: "bad name" }), "InvalidArgument");
    assert.equal(projectName({ ProjectName: "good" }), "good");
  });

  it("bucket names follow OSS rules", () => {
    assert.equal(bucketName({ OSSBucket: "my-bucket" }), "my-bucket");
    rpcError(() => bucketName({ OSSBucket: "My_Bucket" }), "InvalidArgument");
    rpcError(() => bucketName({}), "MissingOSSBucket");
  });

  it("descriptions are bounded", () => {
    assert.equal(description({}, 128), "");
    assert.equal(description({ Description: "x".repeat(128) }, 128).length, 128);
    rpcError(() => description({ Description: "x".repeat(129) }, 128), "InvalidArgument");
  });

  it("integers in range", () => {
    assert.equal(integer({}, "MaxResults", 0, 200), undefined);
    assert.equal(integer({ MaxResults: "5" }, "MaxResults", 0, 200), 5);
    for (const bad of ["-1", "201", "1.5", "abc", "1e2"]) rpcError(() => integer({ MaxResults: bad }, "MaxResults", 0, 200), "InvalidArgument");
  });

  it("tags as JSON or flattened", () => {
    assert.deepEqual(tags({ Tag: '[{"Key":"a","Value":"1"}]' }), [{ key: "a", value: "1" }]);
    assert.deepEqual(tags({ "Tag.1.Key": "a", "Tag.1.Value": "1", "Tag.2.Key": "b" }), [{ key: "a", value: "1" }, { key: "b", value: "" }]);
    assert.deepEqual(tags({}), []);
    rpcError(() => tags({ Tag: "{" }), "InvalidArgument");
    rpcError(() => tags({ Tag: '[{"Value":"1"}]' }), "InvalidArgument");
    rpcError(() => tags({ Tag: '[{"Key":"a"},{"Key":"a"}]' }), "InvalidArgument");
  });

  it("SourceURI is oss://bucket/key", () => {
    assert.deepEqual(ossUri({ SourceURI: "oss://bkt/a/b c.png" }), { bucket: "bkt", key: "a/b c.png" });
    rpcError(() => ossUri({}), "MissingSourceURI");
    for (const bad of ["http://bkt/a.png", "oss://bkt/", "oss://bkt", "oss://B_K/a.png", "oss:///a.png"]) rpcError(() => ossUri({ SourceURI: bad }), "InvalidArgument");
  });

  it("a SourceURI may end in ?versionId=<id> when the id is shaped like this server's version ids", () => {
    const id = newVersionId(12);
    const source = (uri: string) => ossSourceUri({ SourceURI: uri });
    assert.deepEqual(source(`oss://bkt/a/b.png?versionId=${id}`), { bucket: "bkt", key: "a/b.png", versionId: id });
    assert.deepEqual(source("oss://bkt/a.png?versionId=null"), { bucket: "bkt", key: "a.png", versionId: "null" }, "the null version");
    // Only the last ?versionId= is the version; earlier `?` belong to the key.
    assert.deepEqual(source(`oss://bkt/q?x=1?versionId=${id}`), { bucket: "bkt", key: "q?x=1", versionId: id });
    assert.deepEqual(source(`oss://bkt/a?versionId=v1?versionId=${id}`), { bucket: "bkt", key: "a?versionId=v1", versionId: id });
    // A key that ends in a version-shaped suffix is named with its own version appended.
    assert.deepEqual(source(`oss://bkt/a?versionId=${id}?versionId=null`), { bucket: "bkt", key: `a?versionId=${id}`, versionId: "null" });
    assert.deepEqual(source("oss://bkt/a.png"), { bucket: "bkt", key: "a.png" });
  });

  it("anything else after `?` stays part of the key", () => {
    const id = newVersionId(12);
    const keys = [
      "a.png?versionId=v1", "a.png?versionId=", "a.png?versionId=NULL", `a.png?versionId=${id}x`, `a.png?versionId=${id.slice(0, -1)}`,
      `a.png?versionid=${id}`, `a.png?VersionId=${id}`, `a.png?x-oss-process=image/codes`, `a.png?versionId=${id}&x=1`, `a.png?versionId=${id}?`,
      `a.png?versionId=${id}/b`, `a.png&versionId=${id}`, "?", "a?b",
    ];
    for (const key of keys) assert.deepEqual(ossSourceUri({ SourceURI: `oss://bkt/${key}` }), { bucket: "bkt", key }, key);
    // A URI that is nothing but the suffix names the key `?versionId=…`: no empty key with a version.
    assert.deepEqual(ossSourceUri({ SourceURI: `oss://bkt/?versionId=${id}` }), { bucket: "bkt", key: `?versionId=${id}` });
  });

  it("a versioned SourceURI keeps the plain one's checks; the 1023-byte limit counts the key alone", () => {
    const id = newVersionId(3);
    for (const bad of [`oss://B_K/a.png?versionId=${id}`, `http://bkt/a.png?versionId=${id}`]) rpcError(() => ossSourceUri({ SourceURI: bad }), "InvalidArgument");
    rpcError(() => ossSourceUri({}), "MissingSourceURI");
    const longest = "k".repeat(1023);
    assert.deepEqual(ossSourceUri({ SourceURI: `oss://bkt/${longest}?versionId=${id}` }), { bucket: "bkt", key: longest, versionId: id });
    rpcError(() => ossSourceUri({ SourceURI: `oss://bkt/${longest}k?versionId=${id}` }), "InvalidArgument");
  });
});

describe("CredentialConfig", () => {
  it("accepts the SDK shape and ignores unknown members", () => {
    const config = parseCredentialConfig(JSON.stringify({
      Chain: [{ AssumeRoleFor: "1234567890", Role: "AliyunOSSRole", RoleType: "user" }],
      Policy: '{"Statement":[{"Action":"oss:*","Effect":"Allow","Resource":"*"}],"Version":"1"}',
      ServiceRole: "AliyunSTSAssumeForIMMServiceRole",
      Future: 1,
    }));
    assert.equal(config?.Chain?.[0]?.Role, "AliyunOSSRole");
    assert.equal(parseCredentialConfig(undefined), undefined);
    assert.deepEqual(parseCredentialConfig("{}"), {});
  });

  it("rejects malformed values", () => {
    for (const bad of ["not json", "[]", '"x"', '{"Chain":[]}', '{"Chain":[{"RoleType":"user"}]}', '{"Chain":[{"Role":"r","RoleType":"x"}]}',
      '{"Chain":[{"Role":"r","AssumeRoleFor":"abc"}]}', '{"Policy":{}}', '{"Policy":"{"}', '{"Policy":"{}"}', '{"ServiceRole":"a b"}',
      // applied as a session policy, so it must be one the evaluator accepts
      JSON.stringify({ Policy: '{"Version":"1","Statement":[{"Effect":"Allow","Action":"oss:GetObjet","Resource":"*"}]}' }),
      JSON.stringify({ Policy: '{"Version":"2","Statement":[{"Effect":"Allow","Action":"oss:GetObject","Resource":"*"}]}' })]) {
      rpcError(() => parseCredentialConfig(bad), "InvalidArgument");
    }
  });
});

describe("scan error mapping", () => {
  it("maps to OSS codes", () => {
    const cases: [ScanError | CodesError, string, number][] = [
      [new ScanError("no-such-key", "x", "k"), "NoSuchKey", 404],
      [new ScanError("no-such-version", "x", "k", "v"), "NoSuchVersion", 404],
      [new ScanError("delete-marker", "x", "k", "v"), "MethodNotAllowed", 405],
      [new ScanError("unsupported-format", "x", "k"), "BadRequest", 400],
      [new ScanError("source-too-large", "x", "k"), "ImageTooLarge", 400],
      [new ScanError("archived", "x", "k"), "InvalidObjectState", 403],
      [new CodesError("busy", "x"), "ServiceUnavailable", 503],
    ];
    for (const [error, code, status] of cases) {
      const mapped = toOssError(error);
      assert.ok(mapped instanceof OssError);
      assert.equal(mapped.code, code);
      assert.equal(mapped.status, status);
    }
    const other = new Error("boom");
    assert.equal(toOssError(other), other);
  });

  it("maps to IMM codes", () => {
    const mapped = toImmError(new ScanError("no-such-key", "x", "k"));
    assert.ok(mapped instanceof RpcError && mapped.code === "ResourceNotFound" && mapped.httpStatus === 404);
    for (const kind of ["no-such-version", "delete-marker"] as const) {
      const version = toImmError(new ScanError(kind, "x", "k", "CAEQv"));
      assert.ok(version instanceof RpcError && version.code === "ResourceNotFound" && version.httpStatus === 404, kind);
      assert.match(version.message, /: k\?versionId=CAEQv/, kind);
    }
    const bad = toImmError(new ScanError("corrupt-image", "x", "k"));
    assert.ok(bad instanceof RpcError && bad.code === "InvalidArgument" && bad.httpStatus === 400);
    const busy = toImmError(new CodesError("timeout", "x"));
    assert.ok(busy instanceof RpcError && busy.httpStatus === 503);
  });

  it("maps an IMM access refusal to 403 on both surfaces, keeping the message", () => {
    const denied = new ImmAccessDenied("User not authorized (oss:GetObject on acs:oss:*:1:b/k).", { action: "oss:GetObject", resource: "acs:oss:*:1:b/k" });
    const rpc = toImmError(denied);
    assert.ok(rpc instanceof RpcError && rpc.httpStatus === 403 && rpc.code === "Forbidden.RAM" && rpc.message === denied.message);
    const oss = toOssError(denied);
    assert.ok(oss instanceof OssError && oss.status === 403 && oss.code === "AccessDenied");
    assert.deepEqual(oss.extra, [["Action", "oss:GetObject"], ["Resource", "acs:oss:*:1:b/k"]]);
  });
});
