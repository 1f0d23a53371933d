/**
 * Issue 20, the static website's routing rules in chromium (playwright-core) against the real server: rules added
 * through the form (the page's own checks first: a Mirror rule without an origin URL, a duplicate rule number),
 * saved, seen by ali-oss, and in effect for anonymous requests — a 301 redirect with the key's prefix replaced and a
 * 404 rule serving another key; then, after a reload, one rule edited (307) and the other deleted, and the requests
 * answer accordingly. A rule set with the SDK that the form does not fully edit (IncludeHeader) keeps that part.
 * Screenshots go to test-artifacts/console/ (gitignored). Skips without chromium.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import type { Page } from "playwright-core";
import { chromiumSkip, openConsoleSession, shot, signIn } from "./browser-session.js";

const ROOT_ID = "LTAICONSOLEWEBSITEROOT01";
const ROOT_SECRET = "console-website-test-root-secret";
const BUCKET = "site";
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AliOssClient = any;
const OSS = createRequire(import.meta.url)("ali-oss") as new (options: Record<string, unknown>) => AliOssClient;

/** An anonymous GET on the OSS listener (path-style), redirects not followed. */
async function anonymous(ossPort: number, path: string): Promise<{ status: number; location: string; body: string }> {
  const res = await fetch(`http://127.0.0.1:${ossPort}${path}`, { redirect: "manual", signal: AbortSignal.timeout(15_000) });
  return { status: res.status, location: res.headers.get("location") ?? "", body: await res.text() };
}

/** Loads the settings page afresh (a full reload when it is already open: the form shows what the server has). */
async function openWebsite(page: Page, origin: string): Promise<void> {
  const url = `${origin}/#/settings/${BUCKET}`;
  if (page.url() === url) await page.reload();
  else await page.goto(url);
  await page.locator("#website-section form[data-loaded]").waitFor(); // filled in from GetBucketWebsite
}

test("console website routing rules in chromium: add, check, save, in effect; edit and delete after a reload", { skip: chromiumSkip, timeout: 180_000 }, async () => {
  const session = await openConsoleSession("website", { id: ROOT_ID, secret: ROOT_SECRET });
  const { app, page, origin } = session;
  const ossPort = app.ports.oss;
  const root = new OSS({ region: "oss-cn-hangzhou", endpoint: `http://127.0.0.1:${ossPort}`, sldEnable: false, accessKeyId: ROOT_ID, accessKeySecret: ROOT_SECRET, bucket: BUCKET, timeout: 15_000 });
  const section = page.locator("#website-section");
  const card = (n: number) => section.locator("fieldset.rule", { has: page.locator("legend", { hasText: new RegExp(`^Routing rule ${n}$`) }) });
  try {
    page.on("dialog", (dialog) => void dialog.accept());
    await root.putBucket(BUCKET);
    await root.putBucketACL(BUCKET, "public-read");
    for (const [key, text] of [["index.html", "<h1>home</h1>"], ["new/page.html", "<h1>moved here</h1>"], ["fallback.html", "<h1>fallback</h1>"]] as const) {
      await root.put(key, Buffer.from(text), { headers: { "content-type": "text/html" } });
    }
    await signIn(page, origin, ROOT_ID, ROOT_SECRET);
    await openWebsite(page, origin);
    await section.getByText("No routing rules.").waitFor();
    await page.getByLabel("Index document", { exact: true }).fill("index.html");

    // Rule 1: keys under old/ → 301 to new/ (prefix replaced). Rule 2: a Mirror rule without its origin URL.
    await section.getByRole("button", { name: "Add routing rule" }).click();
    await card(1).getByLabel("If the key starts with").fill("old/");
    await card(1).getByLabel("Replace the key's prefix (EnableReplacePrefix)").check();
    await card(1).getByLabel("Replace the prefix with").fill("new/");
    await card(1).getByLabel("HTTP redirect code").selectOption("301");
    await section.getByRole("button", { name: "Add routing rule" }).click();
    assert.equal(await card(2).getByLabel("Rule number").inputValue(), "2", "a new rule gets the next number");
    await card(2).getByLabel("If the answer would be").selectOption("404");
    await card(2).getByLabel("Then").selectOption("Mirror");
    assert.equal(await card(2).getByLabel("HTTP redirect code").isVisible(), false, "no redirect code for Mirror");
    await section.getByRole("button", { name: "Save website" }).click();
    await section.locator(".status.error", { hasText: "a Mirror rule needs an origin URL" }).waitFor();
    // Then Internal (serve another key), with rule 1's number: refused as a duplicate; then number 2.
    await card(2).getByLabel("Then").selectOption("Internal");
    await card(2).getByLabel("If the key starts with").fill("gone/");
    await card(2).getByLabel("Replace the whole key with").fill("fallback.html");
    await card(2).getByLabel("Rule number").fill("1");
    await section.getByRole("button", { name: "Save website" }).click();
    await section.locator(".status.error", { hasText: "rule number 1 is used twice" }).waitFor();
    await card(2).getByLabel("Rule number").fill("2");
    await section.getByRole("button", { name: "Save website" }).click();
    await page.getByText("Saved the website settings.").waitFor();
    await shot(page, "45-website-routing-rules", "#website-section");

    // In effect for real requests, and read back by ali-oss.
    const moved = await anonymous(ossPort, `/${BUCKET}/old/page.html`);
    assert.equal(moved.status, 301);
    assert.match(moved.location, /\/site\/new\/page\.html$/);
    assert.equal((await fetch(new URL(moved.location, `http://127.0.0.1:${ossPort}`))).status, 200, "the redirect target exists");
    assert.deepEqual([(await anonymous(ossPort, `/${BUCKET}/gone/x.html`)).body], ["<h1>fallback</h1>"], "the 404 rule serves another key");
    const viaSdk = await root.getBucketWebsite(BUCKET);
    assert.equal(viaSdk.routingRules.length, 2);

    // After a reload: the rules are shown as saved; rule 1 edited to 307, rule 2 deleted.
    await openWebsite(page, origin);
    assert.equal(await card(1).getByLabel("If the key starts with").inputValue(), "old/");
    assert.equal(await card(1).getByLabel("Replace the prefix with").inputValue(), "new/");
    assert.equal(await card(2).getByLabel("Replace the whole key with").inputValue(), "fallback.html");
    assert.equal(await card(2).getByLabel("Then").inputValue(), "Internal");
    await card(1).getByLabel("HTTP redirect code").selectOption("307");
    await section.getByRole("button", { name: "Remove routing rule 2" }).click();
    await section.getByRole("button", { name: "Save website" }).click();
    await page.getByText("Saved the website settings.").waitFor();
    const edited = await anonymous(ossPort, `/${BUCKET}/old/page.html`);
    assert.equal(edited.status, 307);
    assert.equal((await anonymous(ossPort, `/${BUCKET}/gone/x.html`)).status, 404, "the deleted rule no longer applies");
    assert.equal((await root.getBucketWebsite(BUCKET)).routingRules.length, 1);

    // A rule set with the SDK whose IncludeHeader the form does not edit: kept as it came through an edit.
    await root.putBucketWebsite(BUCKET, {
      index: "index.html",
      routingRules: [{ RuleNumber: 5, Condition: { KeyPrefixEquals: "api/", IncludeHeader: { Key: "x-beta", Equals: "1" } }, Redirect: { RedirectType: "External", HostName: "beta.example.com", HttpRedirectCode: 302 } }],
    });
    await openWebsite(page, origin);
    await card(1).getByText("Also keeps, unchanged: IncludeHeader.").waitFor();
    await card(1).getByLabel("Host name").fill("beta2.example.com");
    await section.getByRole("button", { name: "Save website" }).click();
    await page.getByText("Saved the website settings.").waitFor();
    const [rule] = (await root.getBucketWebsite(BUCKET)).routingRules as { Condition: { IncludeHeader: unknown }; Redirect: { HostName: string } }[];
    assert.deepEqual([rule!.Condition.IncludeHeader, rule!.Redirect.HostName], [{ Key: "x-beta", Equals: "1" }, "beta2.example.com"]);
    const beta = await fetch(`http://127.0.0.1:${ossPort}/${BUCKET}/api/v1`, { redirect: "manual", headers: { "x-beta": "1" } });
    assert.equal(beta.headers.get("location"), "http://beta2.example.com/api/v1");
  } catch (error) {
    await shot(page, "failed-website").catch(() => undefined);
    throw error;
  } finally {
    await session.close();
  }
});
