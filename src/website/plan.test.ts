import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { planWebsite, type WebsiteRequest } from "./plan.js";
import type { WebsiteConfig } from "./config.js";

const KEYS = new Set(["index.html", "docs/index.html", "docs/page.html", "err.html", "new/a.html", "img/fallback.png"]);
const exists = async (key: string): Promise<boolean> => KEYS.has(key);

function request(key: string, extra: Partial<WebsiteRequest> = {}): WebsiteRequest {
  return { key, headers: { host: "site.localhost:9000" }, rawQuery: "", rootPath: "/", ...extra };
}

function config(index: Partial<NonNullable<WebsiteConfig["index"]>> = {}, rules: Record<string, unknown>[] = [], error: WebsiteConfig["error"] = { key: "err.html", httpStatus: 404 }): WebsiteConfig {
  return { index: { suffix: "index.html", supportSubDir: true, type: "0", ...index }, error, routingRules: rules };
}

describe("website plan", () => {
  it("serves the root's and a directory's index document; without SupportSubDir every directory gets the root's", async () => {
    assert.deepEqual(await planWebsite(config(), request(""), exists), { kind: "serve", key: "index.html" });
    assert.deepEqual(await planWebsite(config(), request("docs/"), exists), { kind: "serve", key: "docs/index.html" });
    assert.deepEqual(await planWebsite(config({ supportSubDir: false }), request("docs/"), exists), { kind: "serve", key: "index.html" });
  });

  it("a missing key without a slash: Type 0 redirects to the directory, 2 serves its index, 1 gives the error document", async () => {
    assert.deepEqual(await planWebsite(config({ type: "0" }), request("docs"), exists), { kind: "redirect", status: 302, location: "/docs/" });
    assert.deepEqual(await planWebsite(config({ type: "0" }), request("docs", { rootPath: "/site/" }), exists), { kind: "redirect", status: 302, location: "/site/docs/" });
    assert.deepEqual(await planWebsite(config({ type: "2" }), request("docs"), exists), { kind: "serve", key: "docs/index.html" });
    assert.deepEqual(await planWebsite(config({ type: "1" }), request("docs"), exists), { kind: "serve", key: "err.html", status: 404 });
  });

  it("a missing key gets the error document with its status; without one (or when it is missing) the key itself (→ NoSuchKey)", async () => {
    assert.deepEqual(await planWebsite(config(), request("nope.html"), exists), { kind: "serve", key: "err.html", status: 404 });
    assert.deepEqual(await planWebsite(config({}, [], { key: "err.html", httpStatus: 200 }), request("nope.html"), exists), { kind: "serve", key: "err.html", status: 200 });
    assert.deepEqual(await planWebsite(config({}, [], { key: "gone.html", httpStatus: 404 }), request("nope.html"), exists), { kind: "serve", key: "nope.html" });
    const noErrorDocument: WebsiteConfig = { index: { suffix: "index.html", supportSubDir: true, type: "0" }, routingRules: [] };
    assert.deepEqual(await planWebsite(noErrorDocument, request("nope.html"), exists), { kind: "serve", key: "nope.html" });
    assert.deepEqual(await planWebsite(config(), request("docs/page.html"), exists), { kind: "serve", key: "docs/page.html" });
  });

  it("routing rules: first by RuleNumber wins; prefix replacement, ReplaceKeyWith with ${key}, host, protocol, code, query", async () => {
    const rules = [
      { RuleNumber: "5", Condition: { KeyPrefixEquals: "old/" }, Redirect: { RedirectType: "External", HostName: "example.com" } },
      { RuleNumber: "2", Condition: { KeyPrefixEquals: "old/" }, Redirect: { RedirectType: "External", EnableReplacePrefix: "true", ReplaceKeyPrefixWith: "new/", HttpRedirectCode: "301", PassQueryString: "true" } },
      { RuleNumber: "3", Condition: { KeySuffixEquals: ".php" }, Redirect: { RedirectType: "AliCDN", Protocol: "https", HostName: "cdn.example.com", ReplaceKeyWith: "legacy/${key}", HttpRedirectCode: "307" } },
    ];
    assert.deepEqual(await planWebsite(config({}, rules), request("old/a.html", { rawQuery: "x=1" }), exists), { kind: "redirect", status: 301, location: "http://site.localhost:9000/new/a.html?x=1" });
    assert.deepEqual(await planWebsite(config({}, rules), request("a b.php"), exists), { kind: "redirect", status: 307, location: "https://cdn.example.com/legacy/a%20b.php" });
  });

  it("404 rules apply only to missing keys; Internal rewrites without a redirect; Mirror rules never match", async () => {
    const rules = [
      { RuleNumber: "1", Condition: { KeyPrefixEquals: "img/" }, Redirect: { RedirectType: "Mirror", MirrorURL: "http://origin.example/" } },
      { RuleNumber: "2", Condition: { KeyPrefixEquals: "img/", HttpErrorCodeReturnedEquals: "404" }, Redirect: { RedirectType: "Internal", ReplaceKeyWith: "img/fallback.png" } },
    ];
    assert.deepEqual(await planWebsite(config({}, rules), request("img/missing.png"), exists), { kind: "serve", key: "img/fallback.png" });
    assert.deepEqual(await planWebsite(config({}, rules), request("img/fallback.png"), exists), { kind: "serve", key: "img/fallback.png" });
    assert.deepEqual(await planWebsite(config({}, rules), request("other.png"), exists), { kind: "serve", key: "err.html", status: 404 });
  });

  it("IncludeHeader conditions compare the request's headers", async () => {
    const rules = [{ RuleNumber: "1", Condition: { IncludeHeader: { Key: "User-Agent", StartsWith: "Mobile" } }, Redirect: { RedirectType: "External", HostName: "m.example.com" } }];
    const mobile = request("index.html", { headers: { host: "h", "user-agent": "Mobile Safari" } });
    assert.deepEqual(await planWebsite(config({}, rules), mobile, exists), { kind: "redirect", status: 302, location: "http://m.example.com/index.html" });
    const desktop = request("index.html", { headers: { host: "h", "user-agent": "Firefox" } });
    assert.deepEqual(await planWebsite(config({}, rules), desktop, exists), { kind: "serve", key: "index.html" });
  });
});
