import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { describeError, EXIT, exitCodeOf, NotFoundError, UsageError } from "./exit-codes.js";

describe("exit codes", () => {
  it("maps OSS and Node errors", () => {
    assert.equal(exitCodeOf(new UsageError("x")), EXIT.usage);
    assert.equal(exitCodeOf(new NotFoundError("x")), EXIT.notFound);
    assert.equal(exitCodeOf({ code: "NoSuchBucket", status: 404 }), EXIT.notFound);
    assert.equal(exitCodeOf({ code: "NoSuchKey", status: 404 }), EXIT.notFound);
    assert.equal(exitCodeOf({ code: "ENOENT" }), EXIT.notFound);
    assert.equal(exitCodeOf({ code: "AccessDenied", status: 403 }), EXIT.denied);
    assert.equal(exitCodeOf({ code: "SignatureDoesNotMatch", status: 403 }), EXIT.denied);
    assert.equal(exitCodeOf({ code: "BucketNotEmpty", status: 409 }), EXIT.server);
    assert.equal(exitCodeOf({ code: "RequestError", status: -1 }), EXIT.server);
    assert.equal(exitCodeOf(new Error("boom")), EXIT.server);
  });
  it("describes errors on one line", () => {
    assert.equal(describeError({ code: "NoSuchKey", status: 404, message: "The specified key does not exist.\nRequestId: x" }), "NoSuchKey (HTTP 404): The specified key does not exist.");
    assert.equal(describeError(new UsageError("missing argument")), "missing argument");
  });
});
