/** The real `@alicloud/pop-core` RPC client for the integration tests. */
import { createRequire } from "node:module";
import { ROOT_KEY_ID, ROOT_KEY_SECRET, type TestServer } from "./harness.js";

export interface PopCoreClient {
  request<T>(action: string, params: Record<string, unknown>, options?: Record<string, unknown>): Promise<T>;
}
const RPCClient = createRequire(import.meta.url)("@alicloud/pop-core") as new (config: Record<string, unknown>) => PopCoreClient;

export function popClient(server: TestServer, apiVersion: string, keys: { accessKeyId?: string; accessKeySecret?: string; securityToken?: string } = {}): PopCoreClient {
  return new RPCClient({
    accessKeyId: keys.accessKeyId ?? ROOT_KEY_ID,
    accessKeySecret: keys.accessKeySecret ?? ROOT_KEY_SECRET,
    ...(keys.securityToken ? { securityToken: keys.securityToken } : {}),
    endpoint: `http://127.0.0.1:${server.rpcPort}`,
    apiVersion,
  });
}

/** Calls an action with POST (as the SDKs do for IMM) and returns the parsed response. */
export function rpc<T = Record<string, unknown>>(client: PopCoreClient, action: string, params: Record<string, unknown> = {}): Promise<T> {
  return client.request<T>(action, params, { method: "POST" });
}

/** Awaits a call expected to fail; its POP error code, message and HTTP status (0 if unknown). */
export async function rpcError(call: Promise<unknown>): Promise<{ code: string; message: string; status: number }> {
  try {
    await call;
  } catch (error) {
    const e = error as { code: string; message: string; entry?: { response?: { statusCode?: number } } };
    return { code: e.code, message: e.message, status: e.entry?.response?.statusCode ?? 0 };
  }
  throw new Error("expected an RPC error, the call succeeded");
}
