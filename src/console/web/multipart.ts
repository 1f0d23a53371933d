/**
 * Browser uploads: one PUT when small, else a multipart upload in PART_SIZE parts that survives a
 * page reload. The upload id is remembered (resume-store.ts) until CompleteMultipartUpload; choosing
 * the same file (name, size, lastModified) for the same key again asks the server which parts it
 * has (ListParts) and sends only the others. A failed upload is left on the server to resume; the
 * page's "Discard" aborts it (AbortMultipartUpload).
 */
import { ApiError, oss, ossUrl, ossXml, putWithProgress } from "./api.js";
import { findPending, forget, remember, type PendingUpload } from "./resume-store.js";
import { childText } from "./xml.js";

export const PART_SIZE = 5 * 1024 * 1024;
const LIST_PARTS_PAGES = 20;

/** Parts the server holds for an upload: part number → ETag (only full-size parts, or the last one, count). */
export async function listParts(bucket: string, key: string, uploadId: string): Promise<Map<number, { etag: string; size: number }>> {
  const parts = new Map<number, { etag: string; size: number }>();
  let marker = "";
  for (let page = 0; page < LIST_PARTS_PAGES; page++) {
    const doc = await ossXml("GET", ossUrl(bucket, key, { uploadId, "max-parts": "1000", ...(marker ? { "part-number-marker": marker } : {}) }));
    for (const p of Array.from(doc.getElementsByTagName("Part"))) parts.set(Number(childText(p, "PartNumber")), { etag: childText(p, "ETag"), size: Number(childText(p, "Size")) });
    marker = childText(doc.documentElement, "NextPartNumberMarker");
    if (childText(doc.documentElement, "IsTruncated") !== "true" || !marker) break;
  }
  return parts;
}

export async function abortUpload(pending: PendingUpload): Promise<void> {
  try {
    await oss("DELETE", ossUrl(pending.bucket, pending.key, { uploadId: pending.uploadId }));
  } catch (error) {
    if (!(error instanceof ApiError && error.code === "NoSuchUpload")) throw error;
  }
  forget(pending.uploadId);
}

export interface UploadReport {
  /** Parts found on the server and not sent again (0 for a fresh upload). */
  readonly resumedParts: number;
}

/** Uploads a file, reporting bytes the server has (resumed parts count from the start). */
export async function uploadFile(bucket: string, key: string, file: File, onProgress: (sent: number) => void): Promise<UploadReport> {
  const contentType = file.type || "application/octet-stream";
  if (file.size <= PART_SIZE) {
    await putWithProgress(ossUrl(bucket, key), file, onProgress, { "content-type": contentType });
    return { resumedParts: 0 };
  }
  let pending = findPending(bucket, key, file);
  let have = new Map<number, { etag: string; size: number }>();
  if (pending) {
    try {
      have = await listParts(bucket, key, pending.uploadId);
    } catch (error) {
      if (!(error instanceof ApiError && error.code === "NoSuchUpload")) throw error;
      forget(pending.uploadId);
      pending = undefined;
    }
  }
  if (!pending) {
    const init = await ossXml("POST", ossUrl(bucket, key, { uploads: "" }), { headers: { "content-type": contentType } });
    pending = { bucket, key, name: file.name, size: file.size, lastModified: file.lastModified, uploadId: childText(init.documentElement, "UploadId"), partSize: PART_SIZE, startedAt: new Date().toISOString() };
    remember(pending);
  }
  const { uploadId, partSize } = pending;
  const count = Math.ceil(file.size / partSize);
  const etags: string[] = [];
  let resumedParts = 0;
  let done = 0;
  for (let n = 1; n <= count; n++) {
    const offset = (n - 1) * partSize;
    const length = Math.min(partSize, file.size - offset);
    const held = have.get(n);
    if (held && held.size === length) {
      etags[n] = held.etag;
      resumedParts++;
      done += length;
      onProgress(done);
      continue;
    }
    const base = done;
    etags[n] = await putWithProgress(ossUrl(bucket, key, { partNumber: String(n), uploadId }), file.slice(offset, offset + length), (sent) => onProgress(base + sent));
    done += length;
  }
  const body = `<?xml version="1.0" encoding="UTF-8"?><CompleteMultipartUpload>${etags.map((etag, n) => (etag ? `<Part><PartNumber>${n}</PartNumber><ETag>${etag}</ETag></Part>` : "")).join("")}</CompleteMultipartUpload>`;
  await oss("POST", ossUrl(bucket, key, { uploadId }), { headers: { "content-type": "application/xml" }, body });
  forget(uploadId);
  return { resumedParts };
}
