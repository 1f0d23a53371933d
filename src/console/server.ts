/**
 * The web console listener (BARBUCKET_CONSOLE_PORT): static pages, sign-in sessions, and the two
 * proxies through which everything the pages show or do reaches Barbucket's own OSS and RPC listeners
 * as the signed-in identity (see oss-proxy.ts, rpc-proxy.ts).
 *
 * Routes:
 *   GET    /api/session   who is signed in, and the session's CSRF token (401 when not signed in)
 *   POST   /api/session   sign in: {accessKeyId, accessKeySecret, securityToken?}, checked with STS GetCallerIdentity
 *   DELETE /api/session   sign out
 *   POST   /api/rpc       {action, params}: one of CONSOLE_RPC_ACTIONS
 *   POST   /api/presign   {bucket, key, expires}: a presigned GET URL on the OSS listener
 *   *      /oss/...       the OSS API, path-style
 *   GET    /...           static files
 * Every request that is not GET/HEAD needs the session's CSRF token in `x-csrf-token` and a
 * same-origin `Origin` (when the browser sends one); /api bodies are JSON.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { fileURLToPath } from "node:url";
import { SessionStore, csrfMatches, type ConsoleCredentials, type Session } from "./sessions.js";
import { proxyOss, type Upstream } from "./oss-proxy.js";
import { callRpc } from "./rpc-proxy.js";
import { presignGetUrl } from "./sign.js";
import { serveStatic } from "./static.js";

export const SESSION_COOKIE = "bb_console";
const MAX_JSON = 64 * 1024;
const MAX_PRESIGN_SECONDS = 7 * 24 * 3600;

export interface ConsoleOptions {
  readonly oss: Upstream;
  readonly rpc: Upstream;
  /** The OSS listener's port, for presigned URLs (host taken from the console request). */
  readonly ossPublicPort: number;
  readonly idleMs?: number;
  readonly maxSessions?: number;
  /** Defaults to dist/console-web next to this module. */
  readonly staticRoot?: string;
}

export interface ConsoleServer {
  readonly server: Server;
  readonly sessions: SessionStore;
}

function json(res: ServerResponse, status: number, body: unknown, extra: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(text), "cache-control": "no-store", "x-content-type-options": "nosniff", ...extra });
  res.end(text);
}

function cookie(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? "").split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown> | undefined> {
  if (!(req.headers["content-type"] ?? "").startsWith("application/json")) return undefined;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_JSON) return undefined;
    chunks.push(chunk as Buffer);
  }
  try {
    const value: unknown = JSON.parse(Buffer.concat(chunks).toString("utf8"));
    return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);

function sameOrigin(req: IncomingMessage): boolean {
  const origin = req.headers.origin;
  return origin === undefined || origin === `http://${req.headers.host ?? ""}`;
}

export function createConsoleServer(options: ConsoleOptions): ConsoleServer {
  const sessions = new SessionStore({ idleMs: options.idleMs ?? 30 * 60_000, maxSessions: options.maxSessions ?? 10_000 });
  const root = options.staticRoot ?? fileURLToPath(new URL("../../console-web", import.meta.url));
  const sweeper = setInterval(() => sessions.sweep(), 60_000);
  sweeper.unref();

  async function signIn(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readJson(req);
    const accessKeyId = str(body?.accessKeyId);
    const accessKeySecret = str(body?.accessKeySecret);
    const securityToken = str(body?.securityToken);
    if (!accessKeyId || !accessKeySecret) return json(res, 400, { Code: "MissingParameter", Message: "AccessKey ID and AccessKey secret are required." });
    const credentials: ConsoleCredentials = { accessKeyId, accessKeySecret, ...(securityToken ? { securityToken } : {}) };
    const who = await callRpc(credentials, options.rpc, req.socket.remoteAddress ?? "", "GetCallerIdentity", {});
    if (who.status !== 200) return json(res, 401, { Code: who.body.Code ?? "SignInFailed", Message: who.body.Message ?? "The keys were not accepted." });
    const identity = { arn: String(who.body.Arn ?? ""), type: String(who.body.IdentityType ?? ""), accountId: String(who.body.AccountId ?? "") };
    const session = sessions.create(credentials, identity);
    json(res, 200, describe(session, req), { "set-cookie": `${SESSION_COOKIE}=${session.id}; HttpOnly; SameSite=Strict; Path=/` });
  }

  function describe(session: Session, req: IncomingMessage): Record<string, unknown> {
    return { identity: { ...session.identity, accessKeyId: session.credentials.accessKeyId }, csrf: session.csrf, ossOrigin: publicOssOrigin(req) };
  }

  function publicOssOrigin(req: IncomingMessage): string {
    const host = new URL(`http://${req.headers.host ?? "127.0.0.1"}`).hostname;
    return `http://${host}:${options.ossPublicPort}`;
  }

  async function api(req: IncomingMessage, res: ServerResponse, path: string, session: Session): Promise<void> {
    if (path === "/api/session" && req.method === "DELETE") {
      sessions.delete(session.id);
      return json(res, 200, { signedOut: true }, { "set-cookie": `${SESSION_COOKIE}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0` });
    }
    const body = await readJson(req);
    if (!body) return json(res, 400, { Code: "InvalidArgument", Message: "Expected a JSON object body." });
    if (path === "/api/rpc" && req.method === "POST") {
      const action = str(body.action) ?? "";
      const params: Record<string, string> = {};
      if (body.params && typeof body.params === "object") {
        for (const [k, v] of Object.entries(body.params as Record<string, unknown>)) if (typeof v === "string") params[k] = v;
      }
      const answer = await callRpc(session.credentials, options.rpc, req.socket.remoteAddress ?? "", action, params);
      return json(res, answer.status, answer.body);
    }
    if (path === "/api/presign" && req.method === "POST") {
      const bucket = str(body.bucket);
      const key = str(body.key);
      const expires = typeof body.expires === "number" ? body.expires : 3600;
      if (!bucket || !key) return json(res, 400, { Code: "MissingParameter", Message: "bucket and key are required." });
      if (!Number.isInteger(expires) || expires < 1 || expires > MAX_PRESIGN_SECONDS) return json(res, 400, { Code: "InvalidArgument", Message: `expires must be 1..${MAX_PRESIGN_SECONDS} seconds.` });
      return json(res, 200, { url: presignGetUrl(session.credentials, publicOssOrigin(req), bucket, key, expires), expiresAt: new Date(Date.now() + expires * 1000).toISOString() });
    }
    json(res, 404, { Code: "NotFound", Message: `No ${req.method} ${path}.` });
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    const method = req.method ?? "GET";
    const safe = method === "GET" || method === "HEAD";
    const isApi = path.startsWith("/api/");
    const isOss = path === "/oss" || path.startsWith("/oss/");
    if (!isApi && !isOss) {
      if (!safe) return json(res, 405, { Code: "MethodNotAllowed", Message: "Pages are GET only." });
      if (await serveStatic(root, path, res, method === "HEAD")) return;
      return json(res, 404, { Code: "NotFound", Message: `No page ${path}.` });
    }
    if (!safe && !sameOrigin(req)) return json(res, 403, { Code: "CrossOriginRequest", Message: "Requests must come from the console's own pages." });
    if (path === "/api/session" && method === "POST") return signIn(req, res);
    const session = sessions.get(cookie(req, SESSION_COOKIE));
    if (path === "/api/session" && method === "GET") {
      return session ? json(res, 200, describe(session, req)) : json(res, 401, { Code: "NotSignedIn", Message: "Sign in with an AccessKey pair." });
    }
    if (!session) return json(res, 401, { Code: "NotSignedIn", Message: "The session has expired or you signed out; sign in again." });
    if (!safe && !csrfMatches(session, typeof req.headers["x-csrf-token"] === "string" ? req.headers["x-csrf-token"] : undefined)) {
      return json(res, 403, { Code: "InvalidCsrfToken", Message: "The request's CSRF token is missing or wrong; reload the page." });
    }
    if (isOss) {
      if (path === "/oss") req.url = "/oss/";
      return proxyOss(req, res, session.credentials, options.oss);
    }
    return api(req, res, path, session);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) json(res, 500, { Code: "InternalError", Message: (error as Error).message });
      else res.destroy();
    });
  });
  server.once("close", () => clearInterval(sweeper));
  return { server, sessions };
}
