/** The real ali-oss SDK (CommonJS, ships no types) loaded for the integration tests. */
import { createRequire } from "node:module";
import { ROOT_KEY_ID, ROOT_KEY_SECRET, type TestServer } from "./harness.js";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AliOssClient = any;
const OSS = createRequire(import.meta.url)("ali-oss") as new (options: Record<string, unknown>) => AliOssClient;

export interface ClientOptions {
  bucket?: string;
  v4?: boolean;
  accessKeyId?: string;
  accessKeySecret?: string;
  stsToken?: string;
  /** Defaults to the server's IP endpoint (virtual-host addressing through the Host header). */
  endpoint?: string;
  /** ali-oss `sldEnable`: bucket in the path instead of the host. */
  pathStyle?: boolean;
  /** ali-oss `headerEncoding` ('utf-8' default; 'latin1' sends header text as raw UTF-8 bytes). */
  headerEncoding?: string;
  /** ali-oss `timeout` per request (default 60 s). */
  timeoutMs?: number;
}

export function ossClient(server: TestServer, options: ClientOptions = {}): AliOssClient {
  return new OSS({
    region: "oss-cn-hangzhou",
    endpoint: options.endpoint ?? server.endpoint,
    sldEnable: options.pathStyle ?? false,
    accessKeyId: options.accessKeyId ?? ROOT_KEY_ID,
    accessKeySecret: options.accessKeySecret ?? ROOT_KEY_SECRET,
    ...(options.stsToken ? { stsToken: options.stsToken } : {}),
    ...(options.bucket ? { bucket: options.bucket } : {}),
    authorizationV4: options.v4 ?? false,
    ...(options.headerEncoding ? { headerEncoding: options.headerEncoding } : {}),
    timeout: options.timeoutMs ?? 60_000,
  });
}

/** Runs `fn` expecting ali-oss to throw an OSS error; returns it for assertions. */
export interface SdkError {
  code: string;
  status: number;
  requestId?: string;
  message: string;
  /** `<EC>` of the error body (ali-oss `err.ecCode`). */
  ecCode?: string;
}

export async function ossError(fn: () => Promise<unknown>): Promise<SdkError> {
  try {
    await fn();
  } catch (error) {
    return error as SdkError;
  }
  throw new Error("expected an OSS error, the call succeeded");
}

/**
 * ali-oss `processObjectSave` of a given version. The SDK's method takes no options, so this is its
 * body (process `|sys/saveas,o_…,b_…`, form-encoded) sent through the SDK's own request path and
 * signer (V1 or V4, as the client is set), with `versionId` as the subresource it signs. Like the
 * SDK's, it answers an error status rather than throwing it.
 */
export async function processObjectSaveVersion(
  client: AliOssClient, source: string, versionId: string, target: string, process: string, targetBucket?: string,
): Promise<{ status: number; res: { headers: Record<string, string>; data: Buffer } }> {
  const base64 = (s: string): string => Buffer.from(s).toString("base64");
  const params = client._objectRequestParams("POST", source, { subres: { "x-oss-process": "", versionId } });
  const saveAs = `sys/saveas,o_${base64(target)}${targetBucket ? `,b_${base64(targetBucket)}` : ""}`;
  params.content = new URLSearchParams({ "x-oss-process": `${process}|${saveAs}` }).toString();
  const result = await client.request(params);
  return { status: result.res.status, res: result.res };
}
