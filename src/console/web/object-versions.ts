/**
 * Object versions through the OSS API: ListObjectVersions a page at a time (key-marker +
 * version-id-marker), a version's download link (GET ?versionId=), DeleteObject of one version
 * (permanent; deleting a delete marker brings the object back) and restore — CopyObject of the old
 * version onto its own key (`x-oss-copy-source: /bucket/key?versionId=`), which makes it current
 * as a new version and keeps every other one.
 */
import { attachment, oss, ossUrl, ossXml } from "./api.js";
import { childText } from "./xml.js";

export interface VersionRow {
  key: string;
  versionId: string;
  isLatest: boolean;
  deleteMarker: boolean;
  size: number;
  lastModified: string;
  etag: string;
  storageClass: string;
}

export interface VersionMarker {
  key: string;
  versionId: string;
}

export interface VersionPage {
  rows: VersionRow[];
  next: VersionMarker | undefined;
}

/** A key of an encoding-type=url answer (a `+` there is a space: a real plus comes as %2B). */
function decodeKey(encoded: string): string {
  return decodeURIComponent(encoded.replace(/\+/g, "%20"));
}

export async function listVersions(bucket: string, prefix: string, from: VersionMarker | undefined, maxKeys: number): Promise<VersionPage> {
  // URL-encoded keys: a key may hold characters XML 1.0 cannot carry.
  const query: Record<string, string> = { versions: "", prefix, "max-keys": String(maxKeys), "encoding-type": "url" };
  if (from) Object.assign(query, { "key-marker": from.key, "version-id-marker": from.versionId });
  const root = (await ossXml("GET", ossUrl(bucket, "", query))).documentElement;
  // Versions and delete markers come interleaved in OSS's order; keep it.
  const rows = Array.from(root.children)
    .filter((e) => e.tagName === "Version" || e.tagName === "DeleteMarker")
    .map((e) => ({
      key: decodeKey(childText(e, "Key")),
      versionId: childText(e, "VersionId"),
      isLatest: childText(e, "IsLatest") === "true",
      deleteMarker: e.tagName === "DeleteMarker",
      size: Number(childText(e, "Size") || 0),
      lastModified: childText(e, "LastModified"),
      etag: childText(e, "ETag"),
      storageClass: childText(e, "StorageClass"),
    }));
  const truncated = childText(root, "IsTruncated") === "true";
  return { rows, next: truncated ? { key: decodeKey(childText(root, "NextKeyMarker")), versionId: childText(root, "NextVersionIdMarker") } : undefined };
}

/** Downloads one version (through the relay, as the signed-in identity). */
export function versionDownloadUrl(bucket: string, key: string, versionId: string): string {
  return ossUrl(bucket, key, { versionId, "response-content-disposition": attachment(key.split("/").pop() ?? key) });
}

export async function deleteVersion(bucket: string, key: string, versionId: string): Promise<void> {
  await oss("DELETE", ossUrl(bucket, key, { versionId }));
}

/** Copies `versionId` over the current version; resolves with the new version's id. */
export async function restoreVersion(bucket: string, key: string, versionId: string): Promise<string> {
  const source = `/${bucket}/${key.split("/").map(encodeURIComponent).join("/")}?versionId=${encodeURIComponent(versionId)}`;
  const res = await oss("PUT", ossUrl(bucket, key), { headers: { "x-oss-copy-source": source, "x-oss-metadata-directive": "COPY" } });
  return res.headers.get("x-oss-version-id") ?? "";
}
