/**
 * Issue 20: the web console in a real browser (Debian's chromium driven by playwright-core), against
 * the real server (startApp on loopback, port 0, a fresh data dir). Signs in as root, creates a
 * bucket, uploads a photo with two QR codes (and a multipart-sized file, and one by drag and drop), pages through a folder,
 * sees two boxes with the right texts at the right places, downloads, makes a presigned link, creates
 * a read-only RAM user and, signed in as that user, is refused a delete with the OSS error on the page.
 * Screenshots of every page go to test-artifacts/console/ (gitignored). Skips when chromium is absent.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { randomBytes } from "node:crypto";
import sharp from "sharp";
import { pino } from "pino";
import { chromium, type Page } from "playwright-core";
import { loadConfig } from "../config.js";
import { startApp, type RunningApp } from "../app.js";

const CHROMIUM = "/usr/bin/chromium";
const REPO_ROOT = resolve(fileURLToPath(new URL("../../..", import.meta.url)));
const ARTIFACTS = join(REPO_ROOT, "test-artifacts", "console");
const ROOT_ID = "LTAICONSOLETESTROOT00001";
const ROOT_SECRET = "console-test-root-secret-0123456";
const QRCode = createRequire(import.meta.url)("qrcode") as {
  toBuffer(text: string, options: Record<string, unknown>): Promise<Buffer>;
  create(text: string, options?: Record<string, unknown>): { modules: { size: number } };
};
const CODES = [
  { text: "https://barbucket.test/console/one", left: 60, top: 70 },
  { text: "SECOND-CODE-2026", left: 430, top: 220 },
];
const QR_MARGIN = 2;
const QR_SCALE = 6;

/** 720×480 light gradient with the two codes composited at known places. */
async function photo(): Promise<Buffer> {
  const W = 720;
  const H = 480;
  const bg = Buffer.alloc(W * H * 3);
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) bg.set([200 + (x * 55) / W, 210 + (y * 45) / H, 190], (y * W + x) * 3);
  const layers = await Promise.all(CODES.map(async (c) => ({ input: await QRCode.toBuffer(c.text, { margin: QR_MARGIN, scale: QR_SCALE }), left: c.left, top: c.top })));
  return sharp(bg, { raw: { width: W, height: H, channels: 3 } }).composite(layers).png().toBuffer();
}

/** Where a code's symbol (without its quiet zone) is in the photo. */
function symbolBox(c: (typeof CODES)[number]): { left: number; top: number; size: number } {
  const size = QRCode.create(c.text).modules.size * QR_SCALE;
  return { left: c.left + QR_MARGIN * QR_SCALE, top: c.top + QR_MARGIN * QR_SCALE, size };
}

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

async function signIn(page: Page, origin: string, id: string, secret: string): Promise<void> {
  await page.goto(`${origin}/`);
  await page.getByLabel("AccessKey ID").fill(id);
  await page.getByLabel("AccessKey secret").fill(secret);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("heading", { name: "Buckets" }).waitFor({ timeout: 15_000 });
}

test("web console in chromium: sign in, bucket, upload, code boxes, download, link, RAM user refused a delete", { skip: existsSync(CHROMIUM) ? false : `skipped: ${CHROMIUM} is not installed (apt-get install chromium; .ci/run installs it)`, timeout: 240_000 }, async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  const dataDir = mkdtempSync(join(tmpdir(), "barbucket-console-"));
  const profile = mkdtempSync(join(tmpdir(), "barbucket-chromium-"));
  const downloads = mkdtempSync(join(tmpdir(), "barbucket-downloads-"));
  const config = loadConfig({
    BARBUCKET_HOST: "127.0.0.1", BARBUCKET_PORT: "0", BARBUCKET_RPC_PORT: "0", BARBUCKET_ADMIN_PORT: "0", BARBUCKET_CONSOLE_PORT: "0",
    BARBUCKET_DATA_DIR: dataDir, BARBUCKET_ROOT_ACCESS_KEY_ID: ROOT_ID, BARBUCKET_ROOT_ACCESS_KEY_SECRET: ROOT_SECRET,
    BARBUCKET_CODES_WORKERS: "1", BARBUCKET_USAGE_FLUSH_MS: "50", BARBUCKET_TEST_CLOCK: "1",
    BARBUCKET_STORAGE_USAGE_INTERVAL_MS: "3600000", // snapshots: the start-up one, then the one the test asks for
  });
  const app: RunningApp = await startApp(config, pino({ level: "silent" }));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    acceptDownloads: true,
    downloadsPath: downloads,
    viewport: { width: 1100, height: 800 },
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    timeout: 60_000,
  });
  context.setDefaultTimeout(15_000);
  const origin = `http://127.0.0.1:${app.ports.console}`;
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    page.on("dialog", (dialog) => void dialog.accept());

    // Sign in as root.
    await page.goto(`${origin}/`);
    await page.getByRole("heading", { name: "Sign in to Barbucket" }).waitFor();
    await shot(page, "01-sign-in");
    await signIn(page, origin, ROOT_ID, ROOT_SECRET);
    const cookies = await context.cookies(origin);
    const sessionCookie = cookies.find((c) => c.name === "bb_console");
    assert.ok(sessionCookie?.httpOnly, "session cookie is httpOnly");
    assert.equal(sessionCookie?.sameSite, "Strict");
    assert.equal(await page.evaluate("document.cookie"), "", "no cookie readable by script");

    // Create a bucket.
    await page.getByLabel("Bucket name").fill("photos");
    await page.getByLabel("ACL").selectOption("private");
    await page.getByLabel("Storage class").selectOption("Standard");
    await page.getByRole("button", { name: "Create bucket" }).click();
    await page.getByRole("link", { name: "photos" }).waitFor();
    await shot(page, "02-buckets");

    // Upload a photo with two codes and a 6 MiB file (two multipart parts), and 55 keys in a folder.
    await page.getByRole("link", { name: "photos" }).click();
    await page.getByRole("heading", { name: "photos" }).waitFor();
    const png = await photo();
    const big = randomBytes(6 * 1024 * 1024);
    await page.locator("#upload-input").setInputFiles([
      { name: "two-codes.png", mimeType: "image/png", buffer: png },
      { name: "big.bin", mimeType: "application/octet-stream", buffer: big },
    ]);
    await page.locator("tr[data-key='two-codes.png']").waitFor();
    await page.locator("tr[data-key='big.bin']").waitFor({ timeout: 60_000 });
    assert.match(await page.locator("tr[data-key='big.bin'] td.num").innerText(), /6\.0 MiB/);
    const dropped = await page.evaluateHandle("(() => { const dt = new DataTransfer(); dt.items.add(new File(['dropped here'], 'dropped.txt', { type: 'text/plain' })); return dt; })()");
    await page.dispatchEvent("section.dropzone", "drop", { dataTransfer: dropped });
    await page.locator("tr[data-key='dropped.txt']").waitFor();
    await shot(page, "03-objects-uploaded");

    for (let i = 0; i < 55; i++) {
      const res = await page.evaluate(async (key) => {
        const csrf = ((await (await fetch("/api/session")).json()) as { csrf: string }).csrf;
        return (await fetch(`/oss/photos/many/${key}`, { method: "PUT", headers: { "x-csrf-token": csrf, "content-type": "text/plain" }, body: key })).status;
      }, `k${String(i).padStart(3, "0")}.txt`);
      assert.equal(res, 200);
    }
    await page.reload();
    await page.getByRole("link", { name: "many/", exact: true }).click();
    await page.locator("tr[data-key='many/k000.txt']").waitFor();
    assert.equal(await page.locator("tbody tr[data-key]").count(), 50, "first page holds 50 keys");
    await shot(page, "04-folder-page-1");
    await page.getByRole("button", { name: "Next page" }).click();
    await page.locator("tr[data-key='many/k054.txt']").waitFor();
    assert.equal(await page.locator("tbody tr[data-key]").count(), 5);
    await page.getByRole("button", { name: "Previous page" }).click();
    await page.locator("tr[data-key='many/k000.txt']").waitFor();
    await page.getByLabel(/Search in/).fill("k05");
    await page.locator("tr[data-key='many/k050.txt']").waitFor();
    await page.waitForFunction("document.querySelectorAll('tbody tr[data-key]').length === 5");
    await shot(page, "05-folder-search");

    // The image page: image/codes needs an IMM project; the page offers to make one.
    await page.goto(`${origin}/#/bucket/photos`);
    await page.getByRole("link", { name: "two-codes.png", exact: true }).click();
    await page.getByRole("button", { name: "Create an IMM project and attach this bucket" }).click();
    await page.locator(".code-box").nth(1).waitFor({ timeout: 30_000 });
    assert.equal(await page.locator(".code-box").count(), 2);
    const img = page.locator("img.preview");
    const imgBox = (await img.boundingBox())!;
    const natural = (await page.evaluate("document.querySelector('img.preview').naturalWidth")) as number;
    const scale = natural / imgBox.width;
    for (const code of CODES) {
      const box = page.locator(`.code-box[data-code="${code.text}"]`);
      const b = (await box.boundingBox())!;
      const at = { left: (b.x - imgBox.x) * scale, top: (b.y - imgBox.y) * scale, width: b.width * scale, height: b.height * scale };
      const want = symbolBox(code);
      const tolerance = want.size * 0.1 + 2;
      assert.ok(Math.abs(at.left - want.left) <= tolerance && Math.abs(at.top - want.top) <= tolerance, `${code.text}: box at ${JSON.stringify(at)}, symbol at ${JSON.stringify(want)}`);
      assert.ok(Math.abs(at.width - want.size) <= 2 * tolerance && Math.abs(at.height - want.size) <= 2 * tolerance, `${code.text}: box size ${at.width}×${at.height}, symbol ${want.size}`);
    }
    await page.locator(`.code-box[data-code="${CODES[0]!.text}"]`).hover();
    assert.equal(await page.locator(`.code-box[data-code="${CODES[0]!.text}"] .code-text`).isVisible(), true, "hover shows the text");
    await shot(page, "06-image-codes");
    await page.locator(`.code-box[data-code="${CODES[1]!.text}"]`).click();
    await page.getByText(`Copied “${CODES[1]!.text}”.`).waitFor();

    // Download, and a presigned link that works without the console.
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Download", exact: true }).click()]);
    const saved = join(downloads, "two-codes.png");
    await download.saveAs(saved);
    assert.deepEqual(readFileSync(saved), png, "downloaded bytes are the uploaded photo");
    await page.getByLabel("Link valid for").selectOption("15 minutes");
    await page.getByRole("button", { name: "Create link" }).click();
    await page.getByText(/Link valid until/).waitFor();
    const url = await page.getByRole("textbox", { name: "Presigned link" }).inputValue();
    assert.match(url, /Expires=\d+&Signature=|Signature=/);
    const viaLink = Buffer.from(await (await fetch(url, { signal: AbortSignal.timeout(15_000) })).arrayBuffer());
    assert.deepEqual(viaLink, png, "the presigned link serves the photo");
    await shot(page, "07-object-link");

    // A RAM user with read-only access: secret shown once, policy attached.
    await page.getByRole("link", { name: "RAM users" }).click();
    await page.getByLabel("User name").fill("viewer");
    await page.getByRole("button", { name: "Create user and AccessKey" }).click();
    const keyId = await page.locator("code[data-field='accessKeyId']").innerText();
    const keySecret = await page.locator("code[data-field='accessKeySecret']").innerText();
    assert.ok(keyId && keySecret.length >= 20);
    await page.getByLabel("Policy", { exact: true }).selectOption("System:AliyunOSSReadOnlyAccess");
    await page.getByLabel("User", { exact: true }).selectOption("viewer");
    await page.getByRole("button", { name: "Attach policy" }).click();
    await page.locator("tr[data-user='viewer'] td", { hasText: "AliyunOSSReadOnlyAccess" }).waitFor();
    await shot(page, "08-ram-users");

    // Usage (DescribeUsage as root). The start-up snapshot recorded this hour before the uploads: the server's (test)
    // clock moves into the next hour and the admin listener runs the storage snapshot job, as its hourly timer would.
    const admin = `http://127.0.0.1:${app.ports.admin}`;
    assert.equal((await fetch(`${admin}/clock?advanceMs=3600000`, { method: "POST" })).status, 200);
    const snapshot = (await (await fetch(`${admin}/storage-usage/run`, { method: "POST" })).json()) as { recorded: boolean; bytes: number };
    assert.equal(snapshot.recorded, true);
    assert.ok(snapshot.bytes > 6 * 1024 * 1024, `stored ${snapshot.bytes}`);
    await page.getByRole("link", { name: "Usage" }).click();
    await page.getByRole("heading", { name: "Totals" }).waitFor();
    // The next hour may be tomorrow (UTC): the range runs to the day after.
    await page.getByLabel("To", { exact: true }).fill(new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10));
    await page.getByRole("button", { name: "Show" }).click();
    await page.locator("figure.chart", { hasText: "Stored bytes per bucket and day" }).locator(".bar").first().waitFor();
    assert.ok((await page.locator("table").first().locator("tbody tr").count()) > 0);
    // Requests, traffic and the bill per day: this session's requests, downloads and image/codes calls show on each.
    for (const caption of ["Requests per day", "Outbound traffic per day", "Bill per day"]) {
      const bars = page.locator("figure.chart", { hasText: caption }).locator(".bar");
      assert.ok((await bars.count()) >= 1, `${caption}: no bar`);
      assert.match((await bars.first().getAttribute("aria-label")) ?? "", /^\d{4}-\d{2}-\d{2}: \S/, caption);
    }
    // Storage per bucket and day: one bar for photos, its average stored bytes (one snapshot: the snapshot's bytes).
    const storageBars = page.locator("figure.chart", { hasText: "Stored bytes per bucket and day" }).locator(".bar");
    assert.equal(await storageBars.count(), 1);
    const storageLabel = (await storageBars.first().getAttribute("aria-label")) ?? "";
    assert.match(storageLabel, /^\d{4}-\d{2}-\d{2} photos: \d+(\.\d)? MiB$/, storageLabel);
    assert.equal(storageLabel.split(": ")[1], `${(snapshot.bytes / 1024 ** 2 < 10 ? (snapshot.bytes / 1024 ** 2).toFixed(1) : Math.round(snapshot.bytes / 1024 ** 2))} MiB`);
    assert.ok(await page.locator("table tr", { hasText: /^StorageStandard/ }).count() >= 1, "Storage in the totals");
    await shot(page, "09-usage");

    // Bucket settings: facts, ACL, and a bucket policy that is not JSON is caught before it is sent.
    await page.goto(`${origin}/#/bucket/photos`);
    await page.getByRole("link", { name: "Bucket settings" }).click();
    await page.getByRole("heading", { name: "photos settings" }).waitFor();
    await page.locator("dd", { hasText: /^58$/ }).waitFor();
    await page.getByLabel("ACL", { exact: true }).selectOption("public-read");
    await page.getByRole("button", { name: "Save ACL" }).click();
    await page.getByText("Saved the ACL.").waitFor();
    await page.getByRole("textbox", { name: /Bucket policy/ }).fill("{ not json");
    await page.getByRole("button", { name: "Save bucket policy" }).click();
    await page.locator(".status.error", { hasText: "not JSON" }).waitFor();
    await shot(page, "10-bucket-settings");
    await page.getByLabel("ACL", { exact: true }).selectOption("private");
    await page.getByRole("button", { name: "Save ACL" }).click();
    await page.getByText("Saved the ACL.").waitFor();

    // Dark mode and a narrow screen, for the eye.
    await page.emulateMedia({ colorScheme: "dark" });
    await page.goto(`${origin}/#/object/photos/two-codes.png`);
    await page.locator(".code-box").nth(1).waitFor({ timeout: 30_000 });
    await shot(page, "11-image-dark");
    await page.setViewportSize({ width: 390, height: 800 });
    await page.goto(`${origin}/#/bucket/photos`);
    await page.locator("tr[data-key='two-codes.png']").waitFor();
    await shot(page, "12-objects-narrow-dark");
    await page.setViewportSize({ width: 1100, height: 800 });
    await page.emulateMedia({ colorScheme: "light" });

    // Sign out; sign in as the read-only user; a delete is refused with OSS's error.
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByRole("heading", { name: "Sign in to Barbucket" }).waitFor();
    assert.equal((await page.request.get(`${origin}/api/session`)).status(), 401, "signed out server-side");
    await signIn(page, origin, keyId, keySecret);
    await page.goto(`${origin}/#/bucket/photos`);
    await page.locator("tr[data-key='two-codes.png']").waitFor();
    await page.getByRole("button", { name: "Delete two-codes.png" }).click();
    await page.locator(".status.error", { hasText: "AccessDenied" }).waitFor();
    await shot(page, "13-read-only-delete-refused");
    assert.ok(await page.locator("tr[data-key='two-codes.png']").isVisible(), "the object is still listed");
    await page.getByRole("link", { name: "RAM users" }).click();
    await page.locator(".status.error", { hasText: "NoPermission" }).waitFor();
  } finally {
    await context.close();
    await app.stop();
    for (const dir of [dataDir, profile, downloads]) rmSync(dir, { recursive: true, force: true });
  }
});
