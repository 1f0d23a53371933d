/**
 * The console's client side of its server: the session (CSRF token kept in memory only), RPC calls
 * and the OSS API through `/oss/…` (the server signs them as the signed-in identity). OSS and RPC
 * errors become ApiErrors carrying the service's own code and message.
 */
export interface Identity {
  readonly arn: string;
  readonly type: string;
  readonly accountId: string;
  readonly accessKeyId: string;
}

interface SessionInfo {
  identity: Identity;
  csrf: string;
  ossOrigin: string;
}

export class ApiError extends Error {
  constructor(readonly code: string, message: string, readonly status: number, readonly requestId?: string) {
    super(`${code}: ${message}${requestId ? ` (RequestId ${requestId})` : ""}`);
    this.name = "ApiError";
  }
}

let session: SessionInfo | undefined;

export function currentSession(): SessionInfo | undefined {
  return session;
}

function expired(status: number, code: string): void {
  // Only a session that was live can expire (the signed-out page asks too, and must not loop).
  if (status === 401 && code === "NotSignedIn" && session) {
    session = undefined;
    window.dispatchEvent(new Event("console-signed-out"));
  }
}

async function jsonCall<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers["content-type"] = "application/json";
  if (session && method !== "GET") headers["x-csrf-token"] = session.csrf;
  const res = await fetch(path, { method, headers, credentials: "same-origin", ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  const data = (await res.json().catch(() => ({}))) as Record<string, unknown>;
  if (!res.ok) {
    const code = String(data.Code ?? res.status);
    expired(res.status, code);
    throw new ApiError(code, String(data.Message ?? res.statusText), res.status, typeof data.RequestId === "string" ? data.RequestId : undefined);
  }
  return data as T;
}

export async function loadSession(): Promise<SessionInfo | undefined> {
  try {
    session = await jsonCall<SessionInfo>("GET", "/api/session");
  } catch {
    session = undefined;
  }
  return session;
}

export async function signIn(accessKeyId: string, accessKeySecret: string, securityToken: string): Promise<SessionInfo> {
  session = await jsonCall<SessionInfo>("POST", "/api/session", { accessKeyId, accessKeySecret, ...(securityToken ? { securityToken } : {}) });
  return session;
}

export async function signOut(): Promise<void> {
  try {
    await jsonCall("DELETE", "/api/session");
  } finally {
    session = undefined;
  }
}

export function rpc<T = Record<string, unknown>>(action: string, params: Record<string, string> = {}): Promise<T> {
  return jsonCall<T>("POST", "/api/rpc", { action, params });
}

export function presign(bucket: string, key: string, expires: number): Promise<{ url: string; expiresAt: string }> {
  return jsonCall("POST", "/api/presign", { bucket, key, expires });
}

/** `/oss/<bucket>/<key>?query` (path-style, each key segment encoded). */
export function ossUrl(bucket?: string, key?: string, query: Record<string, string> = {}): string {
  let path = "/oss/";
  if (bucket) path += `${encodeURIComponent(bucket)}/${(key ?? "").split("/").map(encodeURIComponent).join("/")}`;
  const q = Object.entries(query).map(([k, v]) => (v === "" ? encodeURIComponent(k) : `${encodeURIComponent(k)}=${encodeURIComponent(v)}`));
  return q.length ? `${path}?${q.join("&")}` : path;
}

/** `Content-Disposition` for a download: an ASCII fallback name and the exact one (RFC 6266 `filename*`). */
export function attachment(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, "_");
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

/** A link that downloads an object (through the relay, as the signed-in identity). */
export function downloadUrl(bucket: string, key: string): string {
  return ossUrl(bucket, key, { "response-content-disposition": attachment(key.split("/").pop() ?? key) });
}

/** Reads an OSS XML error body into an ApiError. */
export async function ossError(res: Response): Promise<ApiError> {
  const text = await res.text().catch(() => "");
  if (text.startsWith("{")) {
    const data = JSON.parse(text) as Record<string, unknown>;
    expired(res.status, String(data.Code ?? ""));
    return new ApiError(String(data.Code ?? res.status), String(data.Message ?? ""), res.status);
  }
  const doc = new DOMParser().parseFromString(text, "application/xml");
  const pick = (tag: string): string => doc.getElementsByTagName(tag)[0]?.textContent ?? "";
  return new ApiError(pick("Code") || String(res.status), pick("Message") || res.statusText, res.status, pick("RequestId") || undefined);
}

export async function oss(method: string, url: string, init: { headers?: Record<string, string>; body?: BodyInit } = {}): Promise<Response> {
  const headers: Record<string, string> = { ...init.headers };
  if (session && method !== "GET" && method !== "HEAD") headers["x-csrf-token"] = session.csrf;
  const res = await fetch(url, { method, headers, credentials: "same-origin", ...(init.body !== undefined ? { body: init.body } : {}) });
  if (!res.ok) throw await ossError(res);
  return res;
}

export async function ossXml(method: string, url: string, init: { headers?: Record<string, string>; body?: BodyInit } = {}): Promise<Document> {
  const res = await oss(method, url, init);
  return new DOMParser().parseFromString(await res.text(), "application/xml");
}

/** PUT with upload progress (fetch has none); resolves with the ETag. */
export function putWithProgress(url: string, body: Blob, onProgress: (sent: number) => void, headers: Record<string, string> = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("PUT", url);
    if (session) xhr.setRequestHeader("x-csrf-token", session.csrf);
    for (const [k, v] of Object.entries(headers)) xhr.setRequestHeader(k, v);
    xhr.upload.onprogress = (e) => onProgress(e.loaded);
    xhr.onerror = () => reject(new ApiError("NetworkError", "The upload was interrupted.", 0));
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) resolve(xhr.getResponseHeader("etag") ?? "");
      else void ossError(new Response(xhr.responseText, { status: xhr.status })).then(reject);
    };
    xhr.send(body);
  });
}
