/**
 * Issue 20, the bucket settings page's image styles in chromium (playwright-core) against the real
 * server: the page's own name check, the server's InvalidArgument reason for a bad process, a style
 * `thumb` created and replaced through the form and read back with a signed request (ali-oss's own
 * request signing: it has no style call on its bucket client), its preview 64 px wide (sharp), a
 * read-only RAM user refused with AccessDenied, and the style deleted through the page.
 * Screenshots go to test-artifacts/console/ (gitignored). Skips without chromium.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import sharp from "sharp";
import type { Page } from "playwright-core";
import { chromiumSkip, consoleRpc, openConsoleSession, shot, signIn, signInAsReader } from "./browser-session.js";

const ROOT_ID = "LTAICONSOLESTYLESROOT001";
const ROOT_SECRET = "console-styles-test-root-secret";
const BUCKET = "gallery";
const PHOTO = "photos/sunset.png";
const QR_KEY = "photos/ticket-qr.png"; // after PHOTO: the suggested key stays PHOTO
const QR_TEXT = "https://barbucket.test/styles/qr";
const QRCode = createRequire(import.meta.url)("qrcode") as { toBuffer(text: string, options: Record<string, unknown>): Promise<Buffer> };
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AliOssClient = any;
const OSS = createRequire(import.meta.url)("ali-oss") as new (options: Record<string, unknown>) => AliOssClient;

/** GetStyle / ListStyle signed by ali-oss (its bucket client has no style call; its request signer does). */
async function styleRequest(client: AliOssClient, styleName?: string): Promise<Record<string, unknown>> {
  const params = client._bucketRequestParams("GET", BUCKET, styleName === undefined ? { style: "" } : { style: "", styleName });
  params.successStatuses = [200];
  params.xmlResponse = true;
  return (await client.request(params)).data as Record<string, unknown>;
}

/** Opens the settings page and waits for the styles table to be filled (a row, or the empty line). */
async function openStyles(page: Page, origin: string, row: string): Promise<void> {
  await page.goto(`${origin}/#/settings/${BUCKET}`);
  await page.getByRole("heading", { name: "Image styles" }).waitFor();
  await page.locator(row).waitFor();
}

test("console image styles in chromium: create, check, replace, preview, refuse a read-only user, delete", { skip: chromiumSkip, timeout: 180_000 }, async () => {
  const session = await openConsoleSession("styles", { id: ROOT_ID, secret: ROOT_SECRET });
  const { app, page, origin } = session;
  const root = new OSS({ region: "oss-cn-hangzhou", endpoint: `http://127.0.0.1:${app.ports.oss}`, sldEnable: false, accessKeyId: ROOT_ID, accessKeySecret: ROOT_SECRET, bucket: BUCKET, timeout: 15_000 });
  const section = page.locator("#styles-section");
  const saveError = section.locator("form .status.error");
  try {
    page.on("dialog", (dialog) => void dialog.accept());
    await root.putBucket(BUCKET);
    await root.put(PHOTO, await sharp({ create: { width: 300, height: 200, channels: 3, background: "#cc6633" } }).png().toBuffer());
    await root.put("notes.txt", Buffer.from("not an image"));
    await signIn(page, origin, ROOT_ID, ROOT_SECRET);
    await openStyles(page, origin, "#styles-section td.empty");
    assert.equal(await page.getByLabel("Image to preview on (object key)").inputValue(), PHOTO, "the bucket's image key is suggested");

    // The page's own checks (nothing sent), then the server's reason for a process it cannot parse.
    await page.getByLabel("Style name").fill("my thumb");
    await page.getByLabel("Content (image process)").fill("image/resize,w_64");
    await page.getByRole("button", { name: "Save style" }).click();
    await saveError.filter({ hasText: "Not saved: The name is 1–64 letters" }).waitFor();
    await page.getByLabel("Style name").fill("thumb");
    await page.getByLabel("Content (image process)").fill("style/other");
    await page.getByRole("button", { name: "Save style" }).click();
    await saveError.filter({ hasText: "starts with image/" }).waitFor();
    await page.getByLabel("Content (image process)").fill("image/resize,m_abc,w_64");
    await page.getByRole("button", { name: "Save style" }).click();
    await saveError.filter({ hasText: "InvalidArgument" }).waitFor();
    assert.match(await saveError.innerText(), /^InvalidArgument: \S.{10,}/, "the server's reason, not only its code");
    assert.equal(await page.locator("#styles-section tr[data-style]").count(), 0, "nothing stored");

    // Created through the form, listed, and read back through the API.
    await page.getByLabel("Content (image process)").fill("image/resize,w_64");
    await page.getByRole("button", { name: "Save style" }).click();
    await page.getByText("Saved style thumb: ?x-oss-process=style/thumb applies it.").waitFor();
    await section.locator("tr[data-style='thumb']", { hasText: "image/resize,w_64" }).waitFor();
    const got = await styleRequest(root, "thumb");
    assert.deepEqual([got.Name, got.Content, got.Category], ["thumb", "image/resize,w_64", "image"]);
    const listed = (await styleRequest(root)).Style as Record<string, unknown>;
    assert.deepEqual([listed.Name, listed.Content], ["thumb", "image/resize,w_64"], "ListStyle: the one style");

    // The preview: drawn in the page with its size, and its link answers a 64 px wide image.
    await page.getByRole("button", { name: "Preview style thumb" }).click();
    await section.locator("figcaption", { hasText: "Style thumb on photos/sunset.png: 64 × 43 px, image/png" }).waitFor();
    const href = await section.getByRole("link", { name: "Open in a new tab" }).getAttribute("href");
    assert.equal(href, `/oss/${BUCKET}/photos/sunset.png?x-oss-process=style%2Fthumb`);
    const previewed = await page.request.get(`${origin}${href}`);
    assert.equal(previewed.status(), 200);
    const meta = await sharp(await previewed.body()).metadata();
    assert.deepEqual([meta.format, meta.width, meta.height], ["png", 64, 43], "the style applied by the server");
    // A key that is not an image: OSS's own error, no figure.
    await page.getByLabel("Image to preview on (object key)").fill("notes.txt");
    await page.getByRole("button", { name: "Preview style thumb" }).click();
    await section.locator(".status.error").filter({ hasText: /\w+: / }).first().waitFor();
    assert.equal(await section.locator("figure.style-preview").isHidden(), true);
    await page.getByLabel("Image to preview on (object key)").fill(PHOTO);
    await page.getByRole("button", { name: "Preview style thumb" }).click();
    await section.locator("figcaption", { hasText: "64 × 43 px" }).waitFor();

    // Replaced: Edit fills the form; the new content applies.
    await page.getByRole("button", { name: "Edit style thumb" }).click();
    assert.equal(await page.getByLabel("Style name").inputValue(), "thumb");
    assert.equal(await page.evaluate("document.activeElement.name"), "styleContent", "Edit moves the focus to the content");
    await page.getByLabel("Content (image process)").fill("image/resize,w_64/format,webp");
    await page.keyboard.press("Enter");
    await page.getByText("Replaced style thumb").waitFor();
    await section.locator("tr[data-style='thumb']", { hasText: "format,webp" }).waitFor();
    await page.getByRole("button", { name: "Preview style thumb" }).click();
    await section.locator("figcaption", { hasText: "64 × 43 px, image/webp" }).waitFor();
    const webp = await sharp(Buffer.from(await (await page.request.get(`${origin}${href}`)).body())).metadata();
    assert.deepEqual([webp.format, webp.width], ["webp", 64]);

    // A style running image/codes answers JSON: shown formatted, not as a broken image, with the code boxed on the original.
    await consoleRpc(page, "CreateProject", { ProjectName: "gallery-codes" });
    await consoleRpc(page, "AttachOSSBucket", { ProjectName: "gallery-codes", OSSBucket: BUCKET });
    await root.put(QR_KEY, await QRCode.toBuffer(QR_TEXT, { margin: 4, scale: 8 }));
    await page.getByLabel("Style name").fill("qr");
    await page.getByLabel("Content (image process)").fill("image/codes");
    await page.getByRole("button", { name: "Save style" }).click();
    await section.locator("tr[data-style='qr']").waitFor();
    await page.getByLabel("Image to preview on (object key)").fill(QR_KEY);
    await page.getByRole("button", { name: "Preview style qr" }).click();
    await section.locator("figcaption", { hasText: `Style qr on ${QR_KEY}: JSON (application/json` }).waitFor();
    const shown = await section.locator("figure.style-preview pre.json").innerText();
    assert.match(shown, /^\{\n  "/, "indented JSON");
    const answer = JSON.parse(shown) as { Codes: { Content: string }[] };
    assert.deepEqual(answer.Codes.map((c) => c.Content), [QR_TEXT]);
    await section.locator(`figure.style-preview .code-box[data-code="${QR_TEXT}"]`).waitFor();
    const drawn = await section.locator("figure.style-preview img").evaluate((el) => [(el as unknown as { naturalWidth: number }).naturalWidth, (el as unknown as { naturalHeight: number }).naturalHeight]);
    const qrMeta = await sharp(await QRCode.toBuffer(QR_TEXT, { margin: 4, scale: 8 })).metadata();
    assert.deepEqual(drawn, [qrMeta.width, qrMeta.height], "the boxes sit on the original image");
    await shot(page, "44-image-style-codes-json", "#styles-section figure.style-preview");
    // An image style again: the JSON goes away.
    await page.getByLabel("Image to preview on (object key)").fill(PHOTO);
    await page.getByRole("button", { name: "Preview style thumb" }).click();
    await section.locator("figcaption", { hasText: "64 × 43 px" }).waitFor();
    assert.equal(await section.locator("figure.style-preview pre.json").isHidden(), true);
    assert.equal(await section.locator("figure.style-preview .code-box").count(), 0);

    // A second style so the table has rows of different lengths; screenshots light, dark and narrow.
    await page.getByLabel("Style name").fill("banner.wide-2x");
    await page.getByLabel("Content (image process)").fill("image/resize,m_fill,w_1200,h_400/quality,q_80/format,jpg");
    await page.getByRole("button", { name: "Save style" }).click();
    await section.locator("tr[data-style='banner.wide-2x']").waitFor();
    await shot(page, "40-image-styles", "#styles-section");
    await page.emulateMedia({ colorScheme: "dark" });
    await shot(page, "41-image-styles-dark", "#styles-section");
    await page.setViewportSize({ width: 390, height: 800 });
    await openStyles(page, origin, "#styles-section tr[data-style='thumb']");
    await page.getByRole("button", { name: "Preview style thumb" }).click();
    await section.locator("figcaption").waitFor();
    // The click scrolled the sideways-scrolling table to its button; show it as it opens, from the names.
    await section.locator(".table-wrap").evaluate((wrap) => wrap.scrollTo(0, 0));
    await shot(page, "42-image-styles-narrow-dark", "#styles-section");
    await page.setViewportSize({ width: 1100, height: 800 });
    await page.emulateMedia({ colorScheme: "light" });

    // A read-only RAM user: sees and previews the styles; creating and deleting answer AccessDenied.
    await signInAsReader(page, origin);
    await openStyles(page, origin, "#styles-section tr[data-style='thumb']");
    await page.getByRole("button", { name: "Preview style thumb" }).click();
    await section.locator("figcaption", { hasText: "64 × 43 px" }).waitFor();
    await page.getByLabel("Style name").fill("reader-try");
    await page.getByLabel("Content (image process)").fill("image/resize,w_10");
    await page.getByRole("button", { name: "Save style" }).click();
    await saveError.filter({ hasText: "AccessDenied" }).waitFor();
    await page.getByRole("button", { name: "Delete style thumb" }).click();
    await section.locator(":scope > .status.error", { hasText: "AccessDenied" }).waitFor();
    await shot(page, "43-image-styles-read-only-refused", "#styles-section");
    assert.equal(((await styleRequest(root)).Style as unknown[]).length, 3, "nothing created or deleted");

    // Deleted through the page by the owner: gone from the list and from the API.
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByRole("heading", { name: "Sign in to Barbucket" }).waitFor();
    await signIn(page, origin, ROOT_ID, ROOT_SECRET);
    await openStyles(page, origin, "#styles-section tr[data-style='thumb']");
    await page.getByRole("button", { name: "Delete style thumb" }).click();
    await page.getByText("Deleted style thumb.").waitFor();
    assert.equal(await section.locator("tr[data-style='thumb']").count(), 0);
    const gone = await styleRequest(root, "thumb").then(() => undefined, (error: { code?: string; status?: number }) => error);
    assert.deepEqual([gone?.status, gone?.code], [404, "NoSuchStyle"]);
    assert.equal((await page.request.get(`${origin}${href}`)).status(), 404, "the preview URL answers NoSuchStyle");
  } catch (error) {
    await shot(page, "failed-styles").catch(() => undefined);
    throw error;
  } finally {
    await session.close();
  }
});
