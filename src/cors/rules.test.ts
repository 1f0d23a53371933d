import { test } from "node:test";
import assert from "node:assert/strict";
import { corsHeaders, corsXml, matchRule, parseCorsConfiguration, requestedHeaders, wildcardMatch } from "./rules.js";
import { toXml } from "../http/xml.js";
import { OssError } from "../errors/oss-error.js";

const xml = (rules: string, vary = "") => Buffer.from(`<CORSConfiguration>${rules}${vary}</CORSConfiguration>`);
const RULES =
  "<CORSRule><AllowedOrigin>http://*.example.com</AllowedOrigin><AllowedMethod>GET</AllowedMethod><AllowedMethod>PUT</AllowedMethod>" +
  "<AllowedHeader>x-oss-*</AllowedHeader><AllowedHeader>Content-Type</AllowedHeader><ExposeHeader>ETag</ExposeHeader><MaxAgeSeconds>60</MaxAgeSeconds></CORSRule>" +
  "<CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>POST</AllowedMethod></CORSRule>";

test("parses rules, keeps their order, serializes back", () => {
  const config = parseCorsConfiguration(xml(RULES, "<ResponseVary>true</ResponseVary>"));
  assert.equal(config.rules.length, 2);
  assert.deepEqual(config.rules[0], {
    allowedOrigins: ["http://*.example.com"], allowedMethods: ["GET", "PUT"], allowedHeaders: ["x-oss-*", "Content-Type"], exposeHeaders: ["ETag"], maxAgeSeconds: 60,
  });
  assert.equal(config.responseVary, true);
  assert.deepEqual(parseCorsConfiguration(Buffer.from(toXml("CORSConfiguration", corsXml(config)))), config);
});

test("matches origin (one wildcard), method and every requested header (case-insensitive); first rule wins", () => {
  const config = parseCorsConfiguration(xml(RULES));
  assert.equal(matchRule(config, "http://a.example.com", "PUT", requestedHeaders("X-OSS-Meta-A, content-type")), config.rules[0]);
  assert.equal(matchRule(config, "http://a.example.com", "PUT", ["authorization"]), undefined, "a header no rule allows");
  assert.equal(matchRule(config, "http://a.example.org", "GET"), undefined);
  assert.equal(matchRule(config, "http://a.example.org", "POST"), config.rules[1]);
  assert.equal(matchRule(config, "http://a.example.com", "DELETE"), undefined);
  assert.ok(wildcardMatch("*", "anything"));
  assert.ok(!wildcardMatch("http://*.example.com", "http://example.com"));
});

test("headers: the request origin echoed, methods, requested headers, expose, max-age", () => {
  const [rule] = parseCorsConfiguration(xml(RULES)).rules;
  assert.deepEqual(corsHeaders(rule!, "http://a.example.com", ["x-oss-meta-a"]), {
    "access-control-allow-origin": "http://a.example.com",
    "access-control-allow-methods": "GET, PUT",
    "access-control-allow-headers": "x-oss-meta-a",
    "access-control-expose-headers": "ETag",
    "access-control-max-age": "60",
  });
});

test("refuses what OSS refuses", () => {
  const bad = (body: Buffer, code: string) => assert.throws(() => parseCorsConfiguration(body), (e: unknown) => e instanceof OssError && e.code === code);
  bad(xml(""), "MalformedXML");
  bad(xml("<CORSRule><AllowedMethod>GET</AllowedMethod></CORSRule>"), "InvalidArgument");
  bad(xml("<CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>PATCH</AllowedMethod></CORSRule>"), "InvalidArgument");
  bad(xml("<CORSRule><AllowedOrigin>*.*</AllowedOrigin><AllowedMethod>GET</AllowedMethod></CORSRule>"), "InvalidArgument");
  bad(xml("<CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod><ExposeHeader>x-*</ExposeHeader></CORSRule>"), "InvalidArgument");
  bad(xml("<CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod><Bogus/></CORSRule>"), "MalformedXML");
  bad(xml("<CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod></CORSRule>".repeat(21)), "InvalidArgument");
});
