/**
 * The official ali-oss SDK (CommonJS, no types) as the CLI's client, with V1 header signatures for
 * requests (V4 for presigned URLs) and the few calls the verbs use. Addressing: for a host name
 * endpoint, path-style (`sldEnable`: http://endpoint/bucket/key); for an IP endpoint, ali-oss itself
 * sends the request to the IP with the bucket in the Host header (bucket.REGION.aliyuncs.com), which
 * Barbucket reads as virtual-hosted addressing, and must not have the bucket in the path too. Presigned
 * URLs carry no Host header of theirs, so they are always path-style.
 */
import { createRequire } from "node:module";
import { isIP } from "node:net";
import type { Readable } from "node:stream";
import type { Connection } from "./config.js";

export interface OssObjectInfo {
  name: string;
  size: number;
  lastModified: string;
  etag?: string;
  storageClass?: string;
}

export interface ListResult {
  objects?: OssObjectInfo[];
  prefixes?: string[] | null;
  isTruncated?: boolean;
  nextMarker?: string;
}

export interface Checkpoint {
  file: string;
  name: string;
  fileSize: number;
  partSize: number;
  uploadId: string;
  doneParts: { number: number; etag: string }[];
}

/** The subset of ali-oss the CLI uses (see node_modules/ali-oss/lib). */
export interface AliOss {
  listBuckets(query: Record<string, unknown> | null, options?: Record<string, unknown>): Promise<{ buckets: { name: string; region: string; creationDate: string; storageClass?: string }[] | null; isTruncated?: boolean; nextMarker?: string }>;
  putBucket(name: string, options?: Record<string, unknown>): Promise<unknown>;
  deleteBucket(name: string): Promise<unknown>;
  getBucketInfo(name: string): Promise<{ bucket: Record<string, unknown> }>;
  list(query: Record<string, unknown>, options?: Record<string, unknown>): Promise<ListResult>;
  put(name: string, file: string | Buffer, options?: Record<string, unknown>): Promise<unknown>;
  multipartUpload(name: string, file: string, options: Record<string, unknown>): Promise<unknown>;
  abortMultipartUpload(name: string, uploadId: string): Promise<unknown>;
  get(name: string, file?: string, options?: Record<string, unknown>): Promise<{ content?: Buffer; res: { status: number; headers: Record<string, string> } }>;
  getStream(name: string, options?: Record<string, unknown>): Promise<{ stream: Readable; res: { headers: Record<string, string> } }>;
  head(name: string, options?: Record<string, unknown>): Promise<{ status: number; meta: Record<string, string> | null; res: { headers: Record<string, string> } }>;
  copy(name: string, sourceName: string, sourceBucket?: string, options?: Record<string, unknown>): Promise<unknown>;
  delete(name: string): Promise<unknown>;
  deleteMulti(names: string[], options?: Record<string, unknown>): Promise<{ deleted?: unknown[] }>;
  signatureUrlV4(method: string, expires: number, request: { headers?: Record<string, string>; queries?: Record<string, string> } | undefined, objectName: string): Promise<string>;
}

const OSS = createRequire(import.meta.url)("ali-oss") as new (options: Record<string, unknown>) => AliOss;

export type ClientFactory = (bucket?: string, options?: { pathStyle?: boolean }) => AliOss;

export function clientFactory(conn: Connection): ClientFactory {
  const ipEndpoint = isIP(new URL(conn.endpoint).hostname.replace(/^\[|\]$/g, "")) !== 0;
  return (bucket?: string, options: { pathStyle?: boolean } = {}) =>
    new OSS({
      endpoint: conn.endpoint,
      region: conn.region,
      accessKeyId: conn.accessKeyId,
      accessKeySecret: conn.accessKeySecret,
      ...(conn.stsToken ? { stsToken: conn.stsToken } : {}),
      ...(bucket ? { bucket } : {}),
      sldEnable: options.pathStyle ?? !ipEndpoint,
      secure: conn.endpoint.startsWith("https:"),
      timeout: 120_000,
    });
}

/** Every object under a prefix (all pages), or one level with delimiter "/". */
export async function* listAll(client: AliOss, prefix: string, delimiter?: string): AsyncGenerator<{ object?: OssObjectInfo; prefix?: string }> {
  let marker: string | undefined;
  for (;;) {
    const page = await client.list({ prefix, "max-keys": 1000, ...(delimiter ? { delimiter } : {}), ...(marker ? { marker } : {}) });
    for (const p of page.prefixes ?? []) yield { prefix: p };
    for (const o of page.objects ?? []) yield { object: o };
    if (!page.isTruncated || !page.nextMarker) return;
    marker = page.nextMarker;
  }
}
