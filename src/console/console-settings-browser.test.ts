/**
 * Issue 20, the console's remaining bucket settings and the versions browser in chromium
 * (playwright-core) against the real server: referer, static website, access logging, inventory,
 * bucket tags and request payment set through the editors (the page's own checks first), read back
 * after a reload, and checked through the real API (ali-oss as root, and anonymous requests to see
 * the settings in effect); a versioned object's old version downloaded, restored and a version
 * deleted; a read-only RAM user refused with AccessDenied by every editor and by a version delete.
 * Screenshots go to test-artifacts/console/ (gitignored). Skips without chromium.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createRequire } from "node:module";
import type { Page } from "playwright-core";
import { chromiumSkip, openConsoleSession, shot, signIn, signInAsReader, until } from "./browser-session.js";

const ROOT_ID = "LTAICONSOLESETTINGSROOT1";
const ROOT_SECRET = "console-settings-test-root-secret";
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AliOssClient = any;
const OSS = createRequire(import.meta.url)("ali-oss") as new (options: Record<string, unknown>) => AliOssClient;

/** A console API call from the page (session cookie + CSRF token, as the pages make them): status, version header, body. */
async function pageCall(page: Page, method: string, path: string, body = "", headers: Record<string, string> = {}): Promise<{ status: number; versionId: string; text: string }> {
  return page.evaluate(async ([m, p, b, hs]) => {
    const csrf = ((await (await fetch("/api/session")).json()) as { csrf: string }).csrf;
    const res = await fetch(p, { method: m, headers: { "x-csrf-token": csrf, ...hs }, ...(b ? { body: b } : {}) });
    return { status: res.status, versionId: res.headers.get("x-oss-version-id") ?? "", text: await res.text() };
  }, [method, path, body, headers] as const);
}

/** An anonymous GET on the OSS listener (path-style), with an optional Referer. */
async function anonymous(ossPort: number, path: string, referer?: string): Promise<{ status: number; body: string }> {
  const res = await fetch(`http://127.0.0.1:${ossPort}${path}`, { headers: referer ? { referer } : {}, signal: AbortSignal.timeout(15_000) });
  return { status: res.status, body: await res.text() };
}

test("console bucket settings and versions in chromium: referer, website, logging, inventory, tags, payment, versions; a read-only user refused", { skip: chromiumSkip, timeout: 240_000 }, async () => {
  const session = await openConsoleSession("settings", { id: ROOT_ID, secret: ROOT_SECRET });
  const { app, page, origin, downloads } = session;
  const ossPort = app.ports.oss;
  const root = new OSS({ region: "oss-cn-hangzhou", endpoint: `http://127.0.0.1:${ossPort}`, sldEnable: false, accessKeyId: ROOT_ID, accessKeySecret: ROOT_SECRET, timeout: 15_000 });
  try {
    page.on("dialog", (dialog) => void dialog.accept());
    await signIn(page, origin, ROOT_ID, ROOT_SECRET);

    // A public-read bucket with a site in it, and a bucket for logs and inventory reports.
    assert.equal((await pageCall(page, "PUT", "/oss/site/", "", { "x-oss-acl": "public-read" })).status, 200);
    assert.equal((await pageCall(page, "PUT", "/oss/site-logs/")).status, 200);
    for (const [key, text] of [["index.html", "<h1>home</h1>"], ["404.html", "<h1>not here</h1>"], ["pic.txt", "a picture"]] as const) {
      assert.equal((await pageCall(page, "PUT", `/oss/site/${key}`, text, { "content-type": key.endsWith(".html") ? "text/html" : "text/plain" })).status, 200);
    }

    await page.goto(`${origin}/#/settings/site`);
    await page.getByRole("heading", { name: "site settings" }).waitFor();
    await page.getByRole("heading", { name: "Referer (hotlink protection)" }).waitFor();

    // Referer: a pattern with a space is caught in the page; then saved.
    const allowEmpty = page.getByRole("checkbox", { name: /Allow requests without a Referer/ });
    assert.equal(await allowEmpty.isChecked(), true, "the default: empty referers allowed");
    await allowEmpty.uncheck();
    await page.getByLabel(/^Allowed referers/).fill("https://good.example/*");
    await page.getByLabel(/^Refused referers/).fill("https://good.example/private *");
    await page.getByRole("button", { name: "Save referer settings" }).click();
    await page.locator("#referer-section .status.error", { hasText: "Not saved" }).waitFor();
    await page.getByLabel(/^Refused referers/).fill("https://good.example/private/*");
    await page.getByRole("button", { name: "Save referer settings" }).click();
    await page.getByText("Saved the referer settings (1 allowed, 1 refused pattern).").waitFor();

    // Website: an index document with "/" is caught in the page; then saved.
    await page.getByLabel("Index document", { exact: true }).fill("pages/index.html");
    await page.getByRole("button", { name: "Save website" }).click();
    await page.locator("#website-section .status.error", { hasText: "without “/”" }).waitFor();
    await page.getByLabel("Index document", { exact: true }).fill("index.html");
    await page.getByLabel("Error document (object key)").fill("404.html");
    await page.getByRole("button", { name: "Save website" }).click();
    await page.getByText("Saved the website settings.").waitFor();

    // Logging: a bad bucket name caught; a real target saved.
    await page.getByLabel("Log to bucket (empty: off)").fill("Site_Logs");
    await page.getByRole("button", { name: "Save logging" }).click();
    await page.locator("#logging-section .status.error", { hasText: "not a bucket name" }).waitFor();
    await page.getByLabel("Log to bucket (empty: off)").fill("site-logs");
    await page.getByLabel("Log object prefix").fill("access/");
    await page.getByRole("button", { name: "Save logging" }).click();
    await page.getByText("Access logs go to site-logs/access/.").waitFor();

    // Inventory: a bad id caught; one created, listed; the server refuses the same id twice.
    await page.getByLabel("Inventory ID").fill("weekly all");
    await page.getByRole("button", { name: "Create inventory" }).click();
    await page.locator("#inventory-section form .status.error", { hasText: "The ID is" }).waitFor();
    await page.getByLabel("Inventory ID").fill("weekly-all");
    await page.getByLabel("Report to bucket").fill("site-logs");
    await page.getByLabel("Frequency").selectOption("Weekly");
    await page.getByRole("checkbox", { name: "ETag" }).check();
    await page.getByRole("button", { name: "Create inventory" }).click();
    await page.getByText("Created inventory weekly-all.").waitFor();
    await page.locator("tr[data-inventory='weekly-all']", { hasText: "site-logs/inventory" }).waitFor();
    await page.getByLabel("Inventory ID").fill("weekly-all");
    await page.getByRole("button", { name: "Create inventory" }).click();
    await page.locator("#inventory-section form .status.error", { hasText: "InventoryAlreadyExist" }).waitFor();
    await page.getByLabel("Inventory ID").fill("to-delete");
    await page.getByRole("button", { name: "Create inventory" }).click();
    await page.locator("tr[data-inventory='to-delete']").waitFor();
    await page.getByRole("button", { name: "Delete inventory to-delete" }).click();
    await page.getByText("Deleted inventory to-delete.").waitFor();
    assert.equal(await page.locator("tr[data-inventory='to-delete']").count(), 0);

    // Bucket tags: a reserved key caught in the page; then saved.
    await page.getByRole("button", { name: "Add bucket tag" }).click();
    await page.getByLabel("Bucket tag 1 key").fill("team");
    await page.getByLabel("Bucket tag 1 value").fill("web");
    await page.getByRole("button", { name: "Add bucket tag" }).click();
    await page.getByLabel("Bucket tag 2 key").fill("acs:env");
    await page.getByLabel("Bucket tag 2 value").fill("prod");
    await page.getByRole("button", { name: "Save bucket tags" }).click();
    await page.locator("#bucket-tags-section .status.error", { hasText: "must not start with" }).waitFor();
    await page.getByLabel("Bucket tag 2 key").fill("env");
    await page.getByRole("button", { name: "Save bucket tags" }).click();
    await page.getByText("Saved 2 bucket tags.").waitFor();

    // Everything reads back after a reload.
    await page.reload();
    await page.locator("tr[data-inventory='weekly-all']").waitFor();
    await page.getByLabel("Bucket tag 2 value").waitFor();
    assert.equal(await page.getByRole("checkbox", { name: /Allow requests without a Referer/ }).isChecked(), false);
    assert.deepEqual(
      [
        await page.getByLabel(/^Allowed referers/).inputValue(), await page.getByLabel(/^Refused referers/).inputValue(),
        await page.getByLabel("Index document", { exact: true }).inputValue(), await page.getByLabel("Error document (object key)").inputValue(),
        await page.getByLabel("Log to bucket (empty: off)").inputValue(), await page.getByLabel("Log object prefix").inputValue(),
        await page.getByLabel("Bucket tag 1 key").inputValue(), await page.getByLabel("Bucket tag 2 value").inputValue(),
      ],
      ["https://good.example/*", "https://good.example/private/*", "index.html", "404.html", "site-logs", "access/", "team", "prod"],
    );
    await shot(page, "30-bucket-settings-more");
    // The contents links work from the keyboard: Enter moves the focus to the section's heading.
    await page.getByRole("navigation", { name: "On this page" }).getByRole("link", { name: "Bucket tags" }).focus();
    await page.keyboard.press("Enter");
    assert.equal(await page.evaluate("document.activeElement.textContent"), "Bucket tags");
    assert.match(page.url(), /#\/settings\/site$/, "the router's hash is left alone");

    // Through the real API: ali-oss reads the same settings, and anonymous requests feel them.
    const referer = await root.getBucketReferer("site");
    assert.equal(referer.allowEmpty, false);
    assert.deepEqual(referer.referers, ["https://good.example/*"]);
    const website = await root.getBucketWebsite("site");
    assert.deepEqual([website.index, website.error], ["index.html", "404.html"]);
    assert.deepEqual((await root.getBucketTags("site")).tag, { team: "web", env: "prod" });
    const logging = await root.getBucketLogging("site");
    assert.deepEqual([logging.enable, logging.prefix], [true, "access/"]);
    const inventories = await root.listBucketInventory("site");
    assert.deepEqual(inventories.inventoryList.map((c: { id: string }) => c.id), ["weekly-all"]);
    assert.equal((await anonymous(ossPort, "/site/pic.txt", "https://good.example/page")).status, 200, "a whitelisted referer reads");
    assert.equal((await anonymous(ossPort, "/site/pic.txt")).status, 403, "no referer: refused (AllowEmptyReferer false)");
    assert.equal((await anonymous(ossPort, "/site/pic.txt", "https://evil.example/")).status, 403, "another site: refused");
    assert.equal((await anonymous(ossPort, "/site/pic.txt", "https://good.example/private/x")).status, 403, "the blacklist wins");
    const home = await anonymous(ossPort, "/site/", "https://good.example/");
    assert.deepEqual([home.status, home.body], [200, "<h1>home</h1>"], "the website's index document");
    const missing = await anonymous(ossPort, "/site/nope.html", "https://good.example/");
    assert.deepEqual([missing.status, missing.body], [404, "<h1>not here</h1>"], "the website's error document");

    // Request payment: Requester through the page, seen by ali-oss and by an anonymous reader; back to the owner.
    await page.getByLabel("Requests paid by").selectOption("Requester");
    await page.getByRole("button", { name: "Save request payment" }).click();
    await page.getByText("Requests are now paid by the requester.").waitFor();
    assert.equal((await root.getBucketRequestPayment("site")).payer, "Requester");
    assert.equal((await anonymous(ossPort, "/site/pic.txt", "https://good.example/page")).status, 403, "anonymous refused when the requester pays");
    await page.getByLabel("Requests paid by").selectOption("BucketOwner");
    await page.getByRole("button", { name: "Save request payment" }).click();
    await page.getByText("Requests are now paid by the bucket owner.").waitFor();
    assert.equal((await root.getBucketRequestPayment("site")).payer, "BucketOwner");

    // Versions: a versioned object with two versions; the old one downloaded, restored; a version deleted.
    assert.equal((await pageCall(page, "PUT", "/oss/history/")).status, 200);
    const versioningBody = '<?xml version="1.0" encoding="UTF-8"?><VersioningConfiguration><Status>Enabled</Status></VersioningConfiguration>';
    assert.equal((await pageCall(page, "PUT", "/oss/history/?versioning", versioningBody, { "content-type": "application/xml" })).status, 200);
    const first = await pageCall(page, "PUT", "/oss/history/notes/draft.txt", "first draft", { "content-type": "text/plain" });
    const second = await pageCall(page, "PUT", "/oss/history/notes/draft.txt", "second draft, longer", { "content-type": "text/plain" });
    assert.ok(first.versionId && second.versionId && first.versionId !== second.versionId);
    await page.goto(`${origin}/#/object/history/notes/draft.txt`);
    await page.getByRole("link", { name: "Versions" }).click();
    await page.getByRole("heading", { name: "Versions of notes/draft.txt" }).waitFor();
    await page.locator(`tr[data-version='${first.versionId}']`).waitFor();
    assert.equal(await page.locator("tbody tr[data-version]").count(), 2);
    assert.match(await page.locator(`tr[data-version='${second.versionId}']`).innerText(), /current/);
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: `Download version ${first.versionId} of notes/draft.txt` }).click()]);
    const saved = join(downloads, "old-draft.txt");
    await download.saveAs(saved);
    assert.equal(readFileSync(saved, "utf8"), "first draft", "the old version's bytes");
    await page.getByRole("button", { name: `Restore version ${first.versionId} of notes/draft.txt` }).click();
    await page.getByText(`Restored notes/draft.txt from version ${first.versionId}`).waitFor();
    await until(async () => (await page.locator("tbody tr[data-version]").count()) === 3, "three versions listed");
    root.useBucket("history");
    assert.equal((await root.get("notes/draft.txt")).content.toString(), "first draft", "the restored version is current");
    assert.equal((await root.get("notes/draft.txt", { versionId: second.versionId })).content.toString(), "second draft, longer", "the replaced version is kept");
    await page.getByRole("button", { name: `Delete version ${second.versionId} of notes/draft.txt` }).click();
    await page.getByText(`Deleted version ${second.versionId} of notes/draft.txt.`).waitFor();
    await page.locator(`tr[data-version='${second.versionId}']`).waitFor({ state: "detached" });
    const afterDelete = await root.getBucketVersions({ prefix: "notes/" });
    assert.equal(afterDelete.objects.length, 2, "two versions left");
    // A delete marker shows in the bucket-wide list.
    await root.delete("notes/draft.txt");
    await page.goto(`${origin}/#/versions/history`);
    await page.getByRole("heading", { name: "history versions" }).waitFor();
    await page.locator("tr.marker-row").waitFor();
    assert.equal(await page.locator("tbody tr[data-version]").count(), 3);
    await shot(page, "31-versions");
    // Paging by key-marker + version-id-marker, with a key that XML and URLs both need escaped (listed url-encoded).
    const odd = "odd/a b+ü&.txt";
    const puts = await page.evaluate(async (key) => {
      const csrf = ((await (await fetch("/api/session")).json()) as { csrf: string }).csrf;
      const path = `/oss/history/${key.split("/").map(encodeURIComponent).join("/")}`;
      const statuses: number[] = [];
      for (let i = 0; i < 52; i++) statuses.push((await fetch(path, { method: "PUT", headers: { "x-csrf-token": csrf }, body: `v${i}` })).status);
      return statuses;
    }, odd);
    assert.deepEqual(new Set(puts), new Set([200]));
    await page.goto(`${origin}/#/versions/history?prefix=odd%2F`);
    await until(async () => (await page.locator("tbody tr[data-version]").count()) === 50, "the first page of 50 versions");
    assert.equal(await page.locator(`tbody tr[data-key="${odd}"]`).count(), 50, "the key decoded");
    await page.getByRole("button", { name: "Next page" }).click();
    await until(async () => (await page.locator("tbody tr[data-version]").count()) === 2, "the second page: the 2 oldest versions");
    assert.equal(await page.getByRole("button", { name: "Next page" }).isDisabled(), true);
    const oldest = await page.locator("tbody tr[data-version]").last().getAttribute("data-version");
    const [oldestDownload] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: `Download version ${oldest} of ${odd}` }).click()]);
    await oldestDownload.saveAs(join(downloads, "oldest.txt"));
    assert.equal(readFileSync(join(downloads, "oldest.txt"), "utf8"), "v0", "the oldest version, from the second page");
    await page.getByRole("button", { name: "Previous page" }).click();
    await until(async () => (await page.locator("tbody tr[data-version]").count()) === 50, "back to the first page");

    // Dark mode.
    await page.emulateMedia({ colorScheme: "dark" });
    await page.goto(`${origin}/#/versions/history?prefix=notes%2F`);
    await page.locator("tr.marker-row").waitFor();
    await shot(page, "32-versions-dark");
    await page.goto(`${origin}/#/settings/site`);
    await page.locator("tr[data-inventory='weekly-all']").waitFor();
    await page.getByLabel("Bucket tag 2 value").waitFor();
    await shot(page, "33-bucket-settings-more-dark");
    await page.setViewportSize({ width: 390, height: 800 });
    await page.reload();
    await page.locator("tr[data-inventory='weekly-all']").waitFor();
    await shot(page, "36-bucket-settings-narrow-dark");
    await page.goto(`${origin}/#/versions/history?prefix=notes%2F`);
    await page.locator("tr.marker-row").waitFor();
    await shot(page, "37-versions-narrow-dark");
    await page.setViewportSize({ width: 1100, height: 800 });
    await page.emulateMedia({ colorScheme: "light" });

    // A read-only RAM user: reads every setting, and every editor shows OSS's AccessDenied.
    await signInAsReader(page, origin);
    await page.goto(`${origin}/#/settings/site`);
    await page.locator("tr[data-inventory='weekly-all']").waitFor();
    await page.getByLabel("Bucket tag 2 value").waitFor();
    assert.equal(await page.getByLabel(/^Allowed referers/).inputValue(), "https://good.example/*", "the reader sees the setting");
    const refusals: [string, string][] = [
      ["Save referer settings", "referer"], ["Save website", "website"], ["Save logging", "logging"], ["Save bucket tags", "bucket-tags"], ["Save request payment", "payment"],
    ];
    for (const [button, section] of refusals) {
      await page.getByRole("button", { name: button }).click();
      await page.locator(`#${section}-section .status.error`, { hasText: "AccessDenied" }).waitFor();
    }
    await page.getByLabel("Inventory ID").fill("reader-try");
    await page.getByLabel("Report to bucket").fill("site-logs");
    await page.getByRole("button", { name: "Create inventory" }).click();
    await page.locator("#inventory-section form .status.error", { hasText: "AccessDenied" }).waitFor();
    await page.getByRole("button", { name: "Delete inventory weekly-all" }).click();
    await page.locator("#inventory-section > .status.error", { hasText: "AccessDenied" }).waitFor();
    await page.locator("#referer-section").scrollIntoViewIfNeeded();
    await shot(page, "34-settings-read-only-refused");
    assert.equal((await root.getBucketReferer("site")).allowEmpty, false, "the settings are unchanged");
    assert.deepEqual((await root.getBucketTags("site")).tag, { team: "web", env: "prod" });
    await page.goto(`${origin}/#/versions/history?prefix=notes%2F`);
    await page.locator(`tr[data-version='${first.versionId}']`).waitFor();
    await page.getByRole("button", { name: `Delete version ${first.versionId} of notes/draft.txt` }).click();
    await page.locator(".status.error", { hasText: "AccessDenied" }).waitFor();
    await page.getByRole("button", { name: `Restore version ${first.versionId} of notes/draft.txt` }).click();
    await page.locator(".status.error", { hasText: "AccessDenied" }).waitFor();
    assert.equal(await page.locator("tbody tr[data-version]").count(), 3, "nothing deleted or restored");
    await shot(page, "35-versions-read-only-refused");
  } catch (error) {
    await shot(page, "failed-settings").catch(() => undefined);
    throw error;
  } finally {
    await session.close();
  }
});

