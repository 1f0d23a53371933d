import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { formatLogLine, logObjectKey, logTime, type AccessLogEntry } from "./line.js";

const ENTRY: AccessLogEntry = {
  remoteIp: "119.140.142.11",
  at: new Date("2012-05-01T16:00:04Z"),
  method: "GET",
  uri: "/aliyun-logo.png?x=1",
  httpVersion: "1.1",
  status: 200,
  sentBytes: 5576,
  requestTimeMs: 71.4,
  referer: "http://www.aliyun.com/product/oss",
  userAgent: "curl/7.15.5",
  host: "oss-example.oss-cn-hangzhou.aliyuncs.com",
  requestId: "505B016950xxxxxx032593A4",
  requester: "1657136103983691",
  operation: "GetObject",
  bucket: "oss-example",
  key: "dir/aliyun logo.png",
  errorCode: undefined,
  requestLength: 302,
  owner: "1657136103983691",
  storageClass: "Standard",
  accessKeyId: "LTAIexample",
};

describe("access-log line", () => {
  it("writes OSS's fields in OSS's order, Beijing time, quoted strings, '-' for unknowns", () => {
    assert.equal(
      formatLogLine(ENTRY),
      '119.140.142.11 - - [02/May/2012:00:00:04 +0800] "GET /aliyun-logo.png?x=1 HTTP/1.1" 200 5576 71 "http://www.aliyun.com/product/oss" "curl/7.15.5" ' +
        '"oss-example.oss-cn-hangzhou.aliyuncs.com" "505B016950xxxxxx032593A4" "true" "1657136103983691" "GetObject" "oss-example" "dir%2Faliyun%20logo.png" ' +
        '- 71 "-" 302 "1657136103983691" - "-" "Standard" "-" "-" "LTAIexample"',
    );
  });

  it("keeps one request on one line: quotes, newlines and control characters in client text are escaped", () => {
    const line = formatLogLine({ ...ENTRY, userAgent: 'evil"\nagent\u0007', referer: "50%" });
    assert.ok(!line.includes("\n"));
    assert.match(line, / "evil%22%0Aagent%07" /);
    assert.match(line, / "50%" /);
    // 28 fields, counted by a quote-aware split.
    assert.equal(line.match(/"[^"]*"|\[[^\]]*\]|\S+/g)?.length, 28);
  });

  it("times are Beijing time across the date line; object keys follow <prefix><bucket>YYYY-mm-DD-HH-MM-SS-<unique>", () => {
    assert.equal(logTime(new Date("2026-12-31T17:30:09Z")), "[01/Jan/2027:01:30:09 +0800]");
    assert.equal(logObjectKey("MyLog-", "oss-example", new Date("2017-09-09T20:00:00Z"), "0000"), "MyLog-oss-example2017-09-10-04-00-00-0000");
  });
});
