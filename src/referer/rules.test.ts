import { test } from "node:test";
import assert from "node:assert/strict";
import { checkReferer, parseRefererConfiguration, refererPatternMatches, refererXml } from "./rules.js";
import { toXml } from "../http/xml.js";
import { OssError } from "../errors/oss-error.js";

const config = (allowEmpty: boolean, referers: string[], blacklist: string[] = []) =>
  parseRefererConfiguration(Buffer.from(
    `<RefererConfiguration><AllowEmptyReferer>${allowEmpty}</AllowEmptyReferer><RefererList>${referers.map((r) => `<Referer>${r}</Referer>`).join("")}</RefererList>` +
      (blacklist.length ? `<RefererBlacklist>${blacklist.map((r) => `<Referer>${r}</Referer>`).join("")}</RefererBlacklist>` : "") + "</RefererConfiguration>",
  ));
const denied = (fn: () => void) => assert.throws(fn, (e: unknown) => e instanceof OssError && e.code === "AccessDenied" && /referer policy/.test(e.message));

test("parses and serializes the configuration (ali-oss's <RefererList /> included)", () => {
  const parsed = config(false, ["http://www.aliyun.com", "https://*.example.com"], ["http://bad.example.com"]);
  assert.deepEqual(parsed, { allowEmptyReferer: false, allowTruncateQueryString: true, truncatePath: false, referers: ["http://www.aliyun.com", "https://*.example.com"], blacklist: ["http://bad.example.com"] });
  assert.deepEqual(parseRefererConfiguration(Buffer.from(toXml("RefererConfiguration", refererXml(parsed)))), parsed);
  const empty = parseRefererConfiguration(Buffer.from("<RefererConfiguration>\n  <AllowEmptyReferer>true</AllowEmptyReferer>\n  <RefererList />\n</RefererConfiguration>"));
  assert.deepEqual(empty.referers, []);
  assert.throws(() => parseRefererConfiguration(Buffer.from("<RefererConfiguration><RefererList/></RefererConfiguration>")), (e: unknown) => e instanceof OssError && e.code === "MalformedXML");
});

test("patterns: * and ? wildcards, case-insensitive, whole string", () => {
  assert.ok(refererPatternMatches("https://*.example.com", "https://a.b.EXAMPLE.com"));
  assert.ok(refererPatternMatches("http://www.?.com", "http://www.x.com"));
  assert.ok(!refererPatternMatches("http://www.?.com", "http://www.xy.com"));
  assert.ok(!refererPatternMatches("http://www.aliyun.com", "http://www.aliyun.com.evil"));
});

test("checks: empty Referer, white list (query string truncated), black list", () => {
  const c = config(false, ["http://www.aliyun.com/*"], ["http://www.aliyun.com/private/*"]);
  denied(() => checkReferer(c, undefined));
  checkReferer(c, "http://www.aliyun.com/page?x=1");
  denied(() => checkReferer(c, "http://evil.com/"));
  denied(() => checkReferer(c, "http://www.aliyun.com/private/a"));
  const byHost = { ...config(false, ["https://*.example.com"]), truncatePath: true };
  checkReferer(byHost, "https://cdn.example.com/deep/page.html?q=1");
  denied(() => checkReferer({ ...byHost, truncatePath: false }, "https://cdn.example.com/deep/page.html"));
  checkReferer(config(true, []), undefined);
  checkReferer(config(true, []), "http://anything");
});
