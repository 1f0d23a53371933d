/** The OSS operations the pages use, over `/oss/…` (see api.ts), with the XML answers parsed. */
import { oss, ossUrl, ossXml } from "./api.js";

export interface BucketInfo {
  name: string;
  created: string;
  storageClass: string;
  region: string;
}

export interface ObjectInfo {
  key: string;
  size: number;
  lastModified: string;
  storageClass: string;
}

export interface ListPage {
  folders: string[];
  objects: ObjectInfo[];
  nextMarker: string | undefined;
}

export interface CodeFound {
  Content: string;
  Boundary: { Left: number; Top: number; Width: number; Height: number };
}

const text = (el: Element, tag: string): string => el.getElementsByTagName(tag)[0]?.textContent ?? "";

export async function listBuckets(): Promise<BucketInfo[]> {
  const out: BucketInfo[] = [];
  let marker = "";
  for (let page = 0; page < 10; page++) {
    const doc = await ossXml("GET", ossUrl(undefined, undefined, { "max-keys": "1000", ...(marker ? { marker } : {}) }));
    for (const b of Array.from(doc.getElementsByTagName("Bucket"))) {
      out.push({ name: text(b, "Name"), created: text(b, "CreationDate"), storageClass: text(b, "StorageClass"), region: text(b, "Region") });
    }
    marker = text(doc.documentElement, "NextMarker");
    if (text(doc.documentElement, "IsTruncated") !== "true" || !marker) break;
  }
  return out;
}

export async function createBucket(name: string, acl: string, storageClass: string): Promise<void> {
  const body = `<?xml version="1.0" encoding="UTF-8"?><CreateBucketConfiguration><StorageClass>${storageClass}</StorageClass></CreateBucketConfiguration>`;
  await oss("PUT", ossUrl(name), { headers: { "x-oss-acl": acl, "content-type": "application/xml" }, body });
}

export async function deleteBucket(name: string): Promise<void> {
  await oss("DELETE", ossUrl(name));
}

/** One page of one "folder": common prefixes and objects after `marker`. */
export async function listObjects(bucket: string, prefix: string, marker: string, maxKeys: number): Promise<ListPage> {
  const doc = await ossXml("GET", ossUrl(bucket, "", { prefix, delimiter: "/", "max-keys": String(maxKeys), ...(marker ? { marker } : {}) }));
  const root = doc.documentElement;
  const folders = Array.from(root.getElementsByTagName("CommonPrefixes")).map((p) => text(p, "Prefix"));
  const objects = Array.from(root.getElementsByTagName("Contents")).map((c) => ({
    key: text(c, "Key"),
    size: Number(text(c, "Size")),
    lastModified: text(c, "LastModified"),
    storageClass: text(c, "StorageClass"),
  }));
  const truncated = text(root, "IsTruncated") === "true";
  return { folders, objects, nextMarker: truncated ? text(root, "NextMarker") || undefined : undefined };
}

export async function deleteObject(bucket: string, key: string): Promise<void> {
  await oss("DELETE", ossUrl(bucket, key));
}

export async function detectCodes(bucket: string, key: string): Promise<CodeFound[]> {
  const res = await oss("GET", ossUrl(bucket, key, { "x-oss-process": "image/codes" }));
  const body = (await res.json()) as { Codes?: CodeFound[] };
  return body.Codes ?? [];
}
