/**
 * Issue 20, the console's management pages in chromium (playwright-core) against the real server:
 * object metadata and tags, the masked preview (image/mask-codes) downloaded, bucket policy checks
 * and the server's error, CORS and lifecycle rules, RAM roles (trust policy, attach, delete refused
 * then done), policy documents and versions, "explain access", a multipart upload interrupted and
 * resumed after a page reload (only the missing parts sent, no keys in localStorage), keyboard use,
 * and dark mode. Screenshots go to test-artifacts/console/ (gitignored). Skips without chromium.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createRequire } from "node:module";
import { createHash, randomBytes } from "node:crypto";
import sharp from "sharp";
import type { Page } from "playwright-core";
import { chromiumSkip, openConsoleSession, shot, signIn, until } from "./browser-session.js";

const ROOT_ID = "LTAICONSOLEMANAGEROOT001";
const ROOT_SECRET = "console-manage-test-root-secret1";
const QRCode = createRequire(import.meta.url)("qrcode") as { toBuffer(text: string, options: Record<string, unknown>): Promise<Buffer> };
const CODE_AT = { left: 300, top: 120 };
const PART = 5 * 1024 * 1024;

/** 640×400 flat light picture with one QR code at CODE_AT. */
async function photo(): Promise<Buffer> {
  const qr = await QRCode.toBuffer("MASK-ME-2026", { margin: 2, scale: 6 });
  return sharp({ create: { width: 640, height: 400, channels: 3, background: { r: 214, g: 222, b: 200 } } }).composite([{ input: qr, ...CODE_AT }]).png().toBuffer();
}

/** A console API call from the page (the session cookie and CSRF token as the pages use them). */
async function pageCall(page: Page, method: string, path: string, body?: string, contentType = "application/json"): Promise<number> {
  return page.evaluate(async ([m, p, b, t]) => {
    const csrf = ((await (await fetch("/api/session")).json()) as { csrf: string }).csrf;
    return (await fetch(p!, { method: m!, headers: { "x-csrf-token": csrf, "content-type": t! }, ...(b ? { body: b } : {}) })).status;
  }, [method, path, body, contentType] as const);
}

test("console management pages in chromium: metadata, tags, masked preview, bucket settings, roles, policies, explain, resumable upload", { skip: chromiumSkip, timeout: 240_000 }, async () => {
  const session = await openConsoleSession("manage", { id: ROOT_ID, secret: ROOT_SECRET });
  const { app, page, origin, downloads } = session;
  try {
    page.on("dialog", (dialog) => void dialog.accept());
    await page.goto(`${origin}/`);
    await page.getByLabel("AccessKey ID").fill(ROOT_ID);
    await page.getByLabel("AccessKey secret").fill(ROOT_SECRET);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { name: "Buckets" }).waitFor();

    // A bucket attached to an IMM project, with a photo holding one code.
    assert.equal(await pageCall(page, "PUT", "/oss/manage/"), 200);
    const png = await photo();
    assert.equal(await page.evaluate(async (bytes) => {
      const csrf = ((await (await fetch("/api/session")).json()) as { csrf: string }).csrf;
      return (await fetch("/oss/manage/shots/code.png", { method: "PUT", headers: { "x-csrf-token": csrf, "content-type": "image/png" }, body: new Uint8Array(bytes) })).status;
    }, [...png]), 200);
    assert.equal(await pageCall(page, "POST", "/api/rpc", JSON.stringify({ action: "CreateProject", params: { ProjectName: "console-manage" } })), 200);
    assert.equal(await pageCall(page, "POST", "/api/rpc", JSON.stringify({ action: "AttachOSSBucket", params: { ProjectName: "console-manage", OSSBucket: "manage" } })), 200);

    // Object metadata and tags.
    await page.goto(`${origin}/#/object/manage/shots/code.png`);
    await page.getByRole("heading", { name: "Metadata and tags" }).waitFor();
    assert.equal(await page.getByLabel("Content type").inputValue(), "image/png");
    await page.getByRole("button", { name: "Add metadata" }).click();
    await page.getByLabel("Metadata 1 key").fill("owner");
    await page.getByLabel("Metadata 1 value").fill("ann");
    await page.getByRole("button", { name: "Save metadata" }).click();
    await page.getByText("Saved the metadata.").waitFor();
    await page.locator("dd", { hasText: /^ann$/ }).waitFor();
    await page.getByRole("button", { name: "Add tag" }).click();
    await page.getByLabel("Tag 1 key").fill("team");
    await page.getByLabel("Tag 1 value").fill("a&b");
    await page.getByRole("button", { name: "Save tags" }).click();
    await page.locator(".status.error", { hasText: "InvalidTag" }).waitFor();
    await page.getByLabel("Tag 1 value").fill("qa");
    await page.getByRole("button", { name: "Save tags" }).click();
    await page.getByText("Saved 1 tag.").waitFor();

    // A symlink's metadata is not "edited" (the self-copy would replace the link with its target's bytes).
    assert.equal(await page.evaluate(async () => {
      const csrf = ((await (await fetch("/api/session")).json()) as { csrf: string }).csrf;
      return (await fetch("/oss/manage/shots/link.png?symlink", { method: "PUT", headers: { "x-csrf-token": csrf, "x-oss-symlink-target": "shots/code.png" } })).status;
    }), 200);
    await page.goto(`${origin}/#/object/manage/shots/link.png`);
    await page.getByText("This object is a symlink").waitFor();
    assert.equal(await page.getByRole("button", { name: "Save metadata" }).count(), 0);
    await page.goto(`${origin}/#/object/manage/shots/code.png`);
    await page.getByRole("heading", { name: "Metadata and tags" }).waitFor();

    // Masked preview, downloaded: the code's area changed, the rest of the picture did not.
    await page.getByRole("button", { name: "Make masked preview" }).click();
    await page.locator("img.masked").waitFor({ timeout: 30_000 });
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: /^Download code-masked\.png$/ }).click()]);
    const maskedFile = join(downloads, "code-masked.png");
    await download.saveAs(maskedFile);
    const [orig, masked] = await Promise.all([sharp(png).removeAlpha().raw().toBuffer({ resolveWithObject: true }), sharp(readFileSync(maskedFile)).removeAlpha().raw().toBuffer({ resolveWithObject: true })]);
    assert.deepEqual([masked.info.width, masked.info.height], [640, 400]);
    const diff = (x0: number, y0: number, size: number): number => {
      let sum = 0;
      for (let y = y0; y < y0 + size; y++) for (let x = x0; x < x0 + size; x++) for (let c = 0; c < 3; c++) sum += Math.abs(orig.data[(y * 640 + x) * 3 + c]! - masked.data[(y * 640 + x) * 3 + c]!);
      return sum / (size * size * 3);
    };
    assert.ok(diff(CODE_AT.left + 40, CODE_AT.top + 40, 60) > 20, "the code is masked");
    assert.ok(diff(20, 20, 60) < 1, "the picture around it is unchanged");
    await page.reload();
    await page.getByLabel("Tag 1 value").waitFor();
    assert.equal(await page.getByLabel("Tag 1 value").inputValue(), "qa", "tags read back after a reload");
    await page.getByRole("button", { name: "Make masked preview" }).click();
    await page.locator("img.masked").waitFor({ timeout: 30_000 });
    await shot(page, "20-object-metadata-tags-masked");

    // Bucket policy: checked as typed, then refused by the server with its reason.
    await page.goto(`${origin}/#/settings/manage`);
    await page.getByRole("heading", { name: "manage settings" }).waitFor();
    const policy = page.getByRole("textbox", { name: /Bucket policy/ });
    await policy.fill('{"Version":"1","Statement":[{"Effect":"Allow"}]}');
    await page.locator(".hint.check.bad", { hasText: "Action is missing" }).waitFor();
    assert.equal(await policy.getAttribute("aria-invalid"), "true");
    await page.getByRole("button", { name: "Start from an example" }).click();
    await page.locator(".hint.check.good").waitFor();
    await policy.fill(JSON.stringify({ Version: "1", Statement: [{ Effect: "Allow", Action: ["oss:Frobnicate"], Principal: ["*"], Resource: ["acs:oss:*:*:manage/*"] }] }));
    await page.getByRole("button", { name: "Save bucket policy" }).click();
    await page.locator(".status.error", { hasText: /InvalidPolicyDocument.*not a known oss action/ }).waitFor();

    // CORS: a rule added with the keyboard, saved, and a real preflight answered by it.
    await page.getByRole("button", { name: "Add CORS rule" }).focus();
    await page.keyboard.press("Enter");
    assert.equal(await page.evaluate("document.activeElement.name"), "origins", "the new rule's first field has the focus");
    await page.keyboard.type("https://app.example");
    await page.getByRole("checkbox", { name: "PUT" }).check();
    await page.getByLabel("Max age (seconds)").fill("600");
    await page.getByRole("button", { name: "Save CORS rules" }).click();
    await page.getByText("Saved 1 CORS rule.").waitFor();
    const preflight = await fetch(`http://127.0.0.1:${app.ports.oss}/manage/x.txt`, { method: "OPTIONS", headers: { origin: "https://app.example", "access-control-request-method": "PUT" }, signal: AbortSignal.timeout(15_000) });
    assert.equal(preflight.status, 200);
    assert.equal(preflight.headers.get("access-control-allow-origin"), "https://app.example");

    // Lifecycle: an empty rule is refused with the server's reason; a real one saved and read back.
    await page.getByRole("button", { name: "Add lifecycle rule" }).click();
    await page.getByRole("button", { name: "Save lifecycle rules" }).click();
    await page.locator("#lifecycle-title ~ .status.error").waitFor();
    await page.getByLabel("Rule ID").fill("tmp-cleanup");
    await page.getByLabel("Key prefix").fill("tmp/");
    await page.getByLabel("Expire objects after (days)").fill("30");
    await page.getByLabel("Abort unfinished uploads after (days)").fill("2");
    await page.getByRole("button", { name: "Save lifecycle rules" }).click();
    await page.getByText("Saved 1 lifecycle rule.").waitFor();
    await page.getByLabel("Versioning", { exact: true }).selectOption("Enabled");
    await page.getByRole("button", { name: "Save versioning" }).click();
    await page.getByText("Saved versioning.").waitFor();
    await page.reload();
    await page.getByLabel("Rule ID").waitFor();
    assert.deepEqual([await page.getByLabel("Rule ID").inputValue(), await page.getByLabel("Expire objects after (days)").inputValue(), await page.getByLabel("Allowed origins (one a line, one * each)").inputValue()], ["tmp-cleanup", "30", "https://app.example"]);
    await shot(page, "21-bucket-settings-cors-lifecycle");

    // RAM roles: created with the example trust policy, trust edited, a delete refused while a policy is attached.
    await page.getByRole("link", { name: "Roles" }).click();
    await page.getByRole("heading", { name: "RAM roles" }).waitFor();
    await page.getByLabel("Role name").fill("uploader");
    await page.getByRole("button", { name: "Create role" }).click();
    await page.locator("tr[data-role='uploader']").waitFor();
    const trust = page.getByRole("textbox", { name: "Trust policy of the chosen role" });
    await until(async () => (await trust.inputValue()).includes(":root"), "the new role's trust policy in the editor");
    await trust.fill((await trust.inputValue()).replace(":root", ":user/ci"));
    await page.getByRole("button", { name: "Save trust policy" }).click();
    await page.getByText("Saved the trust policy of uploader.").waitFor();
    assert.equal(await page.getByLabel("Role to edit").inputValue(), "uploader", "the new role is the chosen one");
    assert.equal(await page.getByLabel("Role", { exact: true }).inputValue(), "uploader");
    await page.getByLabel("Policy", { exact: true }).selectOption("System:AliyunOSSReadOnlyAccess");
    await page.getByRole("button", { name: "Attach to role" }).click();
    await page.locator("tr[data-role='uploader'] td", { hasText: "AliyunOSSReadOnlyAccess" }).waitFor();
    await shot(page, "22-ram-roles");
    await page.getByRole("button", { name: "Delete role uploader" }).click();
    await page.locator(".status.error", { hasText: "DeleteConflict.Role.Policy" }).waitFor();
    await page.getByRole("button", { name: "Detach from role" }).click();
    await page.getByText("Detached AliyunOSSReadOnlyAccess from uploader.").waitFor();
    await page.getByRole("button", { name: "Delete role uploader" }).click();
    await page.getByText("Deleted role uploader.").waitFor();
    await page.locator("tr[data-role='uploader']").waitFor({ state: "detached" });

    // Policies: a malformed document caught in the page, a real one created, opened, versioned.
    await page.getByRole("link", { name: "Policies" }).click();
    await page.getByRole("heading", { name: "RAM policies" }).waitFor();
    await page.getByLabel("Policy name").fill("read-shots");
    const doc = page.getByRole("textbox", { name: "Policy document" });
    const example = await doc.inputValue();
    await doc.fill("{ not json");
    await page.getByRole("button", { name: "Create policy" }).click();
    await page.locator(".status.error", { hasText: "Not JSON" }).waitFor();
    await doc.fill(example.replace(/example-bucket/g, "manage"));
    await page.getByRole("button", { name: "Create policy" }).click();
    await page.getByText("Created policy read-shots.").waitFor();
    await page.getByRole("button", { name: "Open policy read-shots" }).click();
    await page.getByRole("heading", { name: /read-shots \(Custom, v1\)/ }).waitFor();
    await doc.fill((await doc.inputValue()).replace('"oss:ListObjects"', '"oss:ListObjects", "oss:GetObjectTagging"'));
    await page.getByRole("button", { name: "Save as new default version" }).click();
    await page.getByText("Saved read-shots as version v2 (default).").waitFor();
    await page.getByRole("button", { name: "Open policy AliyunOSSReadOnlyAccess" }).click();
    await page.getByRole("heading", { name: /AliyunOSSReadOnlyAccess \(System/ }).waitFor();
    assert.equal(await doc.getAttribute("readonly"), "", "system policies are read-only");
    assert.equal(await page.getByRole("button", { name: "Save as new default version" }).isVisible(), false, "and cannot be saved");
    await shot(page, "23-ram-policies");

    // Explain: a read-only user may read but not delete.
    assert.equal(await pageCall(page, "POST", "/api/rpc", JSON.stringify({ action: "CreateUser", params: { UserName: "viewer" } })), 200);
    assert.equal(await pageCall(page, "POST", "/api/rpc", JSON.stringify({ action: "CreateAccessKey", params: { UserName: "viewer" } })), 200);
    assert.equal(await pageCall(page, "POST", "/api/rpc", JSON.stringify({ action: "AttachPolicyToUser", params: { UserName: "viewer", PolicyName: "AliyunOSSReadOnlyAccess", PolicyType: "System" } })), 200);
    await page.getByRole("link", { name: "Explain access" }).click();
    await page.getByLabel("RAM user (fills the AccessKey ID)").selectOption("viewer");
    await page.locator("input[name=explainKey]:not(:placeholder-shown)").waitFor();
    await page.getByLabel("Action").fill("oss:DeleteObject");
    await page.getByLabel("Bucket").fill("manage");
    await page.getByLabel("Object key").fill("shots/code.png");
    await page.getByRole("button", { name: "Explain" }).click();
    await page.locator(".decision.denied", { hasText: "Denied (ImplicitDeny)" }).waitFor();
    await page.getByLabel("Action").fill("oss:GetObject");
    await page.getByRole("button", { name: "Explain" }).click();
    await page.locator(".decision.allowed", { hasText: "AliyunOSSReadOnlyAccess" }).waitFor();
    await shot(page, "24-explain-access");

    // A multipart upload cut after its first part, resumed after a reload: only parts 2 and 3 go up.
    const bigPath = join(downloads, "resumable.bin");
    const big = randomBytes(2 * PART + 1234);
    writeFileSync(bigPath, big);
    // Only part 2's request is intercepted (routing a request costs a round trip of its body), once.
    const partsSent: string[] = [];
    page.on("request", (request) => {
      const url = new URL(request.url());
      if (url.pathname === "/oss/manage/resumable.bin" && url.searchParams.has("partNumber")) partsSent.push(url.searchParams.get("partNumber")!);
    });
    const cutPartTwo = /\/oss\/manage\/resumable\.bin\?partNumber=2&/;
    await page.route(cutPartTwo, (route) => route.abort("connectionreset"), { times: 1 });
    await page.goto(`${origin}/#/bucket/manage`);
    await page.locator("#upload-input").setInputFiles(bigPath);
    await page.locator("li[data-upload='resumable.bin'] .status.error").waitFor({ timeout: 60_000 });
    await page.reload();
    await page.locator("li[data-pending='resumable.bin']").waitFor();
    const stored = (await page.evaluate("JSON.stringify(localStorage)")) as string;
    assert.match(stored, /uploadId/);
    assert.doesNotMatch(stored, new RegExp(`${ROOT_ID}|${ROOT_SECRET}|csrf|bb_console`), "no keys or session in localStorage");
    await shot(page, "25-upload-resume-offer");
    await page.locator("#upload-input").setInputFiles(bigPath);
    await page.getByText("done (resumed: 1 part were already there)").waitFor({ timeout: 60_000 });
    assert.deepEqual(partsSent, ["1", "2", "2", "3"], "parts 1 and 2 (cut) before the reload, then only 2 and 3");
    await page.locator("tr[data-key='resumable.bin']").waitFor();
    assert.equal(await page.locator("li[data-pending]").count(), 0, "nothing left to resume");
    const digest = await page.evaluate(async () => {
      const bytes = await (await fetch("/oss/manage/resumable.bin")).arrayBuffer();
      return [...new Uint8Array(await crypto.subtle.digest("SHA-256", bytes))].map((b) => b.toString(16).padStart(2, "0")).join("");
    });
    assert.equal(digest, createHash("sha256").update(big).digest("hex"), "the resumed object is the file");

    // Dark mode.
    await page.emulateMedia({ colorScheme: "dark" });
    await page.goto(`${origin}/#/settings/manage`);
    await page.getByLabel("Rule ID").waitFor();
    await shot(page, "26-settings-dark");
    await page.goto(`${origin}/#/policies`);
    await page.locator("tr[data-policy='read-shots']").waitFor();
    await shot(page, "27-policies-dark");
    await page.setViewportSize({ width: 390, height: 800 });
    await page.goto(`${origin}/#/roles`);
    await page.locator("tr[data-role]").first().waitFor();
    await shot(page, "28-roles-narrow-dark");
  } catch (error) {
    await shot(page, "failed-manage").catch(() => undefined);
    throw error;
  } finally {
    await session.close();
  }
});
