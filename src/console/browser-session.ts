/**
 * What the console's browser tests share: the real app on loopback ports with a fresh data dir, a headless
 * Debian chromium (playwright-core) on a profile of its own, and the few page helpers every such test uses.
 * Test support only (imported by *-browser.test.ts).
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { pino } from "pino";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { loadConfig } from "../config.js";
import { startApp, type RunningApp } from "../app.js";

export const CHROMIUM = "/usr/bin/chromium";
const REPO_ROOT = resolve(fileURLToPath(new URL("../../..", import.meta.url)));
/** Screenshots of the pages (gitignored), kept as test artefacts to look at. */
export const ARTIFACTS = join(REPO_ROOT, "test-artifacts", "console");
/** node:test's `skip` for a browser test: a reason when chromium is not installed. */
export const chromiumSkip: false | string = existsSync(CHROMIUM) ? false : `skipped: ${CHROMIUM} is not installed (apt-get install chromium; .ci/run installs it)`;

export interface ConsoleSession {
  readonly app: RunningApp;
  readonly context: BrowserContext;
  readonly page: Page;
  /** The console's origin (`http://127.0.0.1:<port>`). */
  readonly origin: string;
  /** A directory for the page's downloads. */
  readonly downloads: string;
  /** Closes the browser, stops the app and removes every directory the session made. */
  close(): Promise<void>;
}

/** The app with the given root key, and chromium on a fresh profile; `name` tells the temp directories apart. */
export async function openConsoleSession(name: string, root: { id: string; secret: string }): Promise<ConsoleSession> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const dirs = ["console", "chromium", "downloads"].map((kind) => mkdtempSync(join(tmpdir(), `barbucket-${kind}-${name}-`)));
  const [dataDir, profile, downloads] = dirs as [string, string, string];
  const removeDirs = () => { for (const dir of dirs) rmSync(dir, { recursive: true, force: true }); };
  const config = loadConfig({
    BARBUCKET_HOST: "127.0.0.1", BARBUCKET_PORT: "0", BARBUCKET_RPC_PORT: "0", BARBUCKET_ADMIN_PORT: "0", BARBUCKET_CONSOLE_PORT: "0",
    BARBUCKET_DATA_DIR: dataDir, BARBUCKET_ROOT_ACCESS_KEY_ID: root.id, BARBUCKET_ROOT_ACCESS_KEY_SECRET: root.secret, BARBUCKET_CODES_WORKERS: "1",
  });
  const app = await startApp(config, pino({ level: "silent" }));
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      acceptDownloads: true,
      downloadsPath: downloads,
      viewport: { width: 1100, height: 800 },
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
      timeout: 60_000,
    });
  } catch (error) {
    await app.stop();
    removeDirs();
    throw error;
  }
  context.setDefaultTimeout(15_000);
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    app, context, page, downloads,
    origin: `http://127.0.0.1:${app.ports.console}`,
    async close() {
      await context.close();
      await app.stop();
      removeDirs();
    },
  };
}

/** A screenshot into ARTIFACTS: the whole page, or one element. */
export async function shot(page: Page, name: string, selector?: string): Promise<void> {
  const path = join(ARTIFACTS, `${name}.png`);
  if (selector) await page.locator(selector).screenshot({ path });
  else await page.screenshot({ path, fullPage: true });
}

/** Signs in on the console's form and waits for the buckets page. */
export async function signIn(page: Page, origin: string, id: string, secret: string): Promise<void> {
  await page.goto(`${origin}/`);
  await page.getByLabel("AccessKey ID").fill(id);
  await page.getByLabel("AccessKey secret").fill(secret);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("heading", { name: "Buckets" }).waitFor({ timeout: 15_000 });
}

/** An RPC action (RAM, STS, …) through the console's relay as the signed-in identity; fails unless it answers 200. */
export async function consoleRpc(page: Page, action: string, params: Record<string, string>): Promise<Record<string, unknown>> {
  const answer = await page.evaluate(async ([a, p]) => {
    const csrf = ((await (await fetch("/api/session")).json()) as { csrf: string }).csrf;
    const res = await fetch("/api/rpc", { method: "POST", headers: { "x-csrf-token": csrf, "content-type": "application/json" }, body: JSON.stringify({ action: a, params: p }) });
    return { status: res.status, text: await res.text() };
  }, [action, params] as const);
  if (answer.status !== 200) throw new Error(`${action}: HTTP ${answer.status} ${answer.text}`);
  return JSON.parse(answer.text) as Record<string, unknown>;
}

/** Creates the RAM user "reader" with AliyunOSSReadOnlyAccess (as the signed-in account), signs out and signs in as it. */
export async function signInAsReader(page: Page, origin: string): Promise<void> {
  await consoleRpc(page, "CreateUser", { UserName: "reader" });
  const key = (await consoleRpc(page, "CreateAccessKey", { UserName: "reader" })) as { AccessKey: { AccessKeyId: string; AccessKeySecret: string } };
  await consoleRpc(page, "AttachPolicyToUser", { UserName: "reader", PolicyName: "AliyunOSSReadOnlyAccess", PolicyType: "System" });
  await page.getByRole("button", { name: "Sign out" }).click();
  await page.getByRole("heading", { name: "Sign in to Barbucket" }).waitFor();
  await signIn(page, origin, key.AccessKey.AccessKeyId, key.AccessKey.AccessKeySecret);
}

/** Polls `check` (bounded: 15 s) — the pages' CSP forbids the string evaluation waitForFunction polls with. */
export async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
