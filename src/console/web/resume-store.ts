/**
 * Unfinished multipart uploads remembered across page reloads, in localStorage: which file (name,
 * size, lastModified) was going to which bucket and key under which upload id. No keys or secrets:
 * the parts already sent are asked of the server (ListParts) when the same file is chosen again.
 */
export interface PendingUpload {
  readonly bucket: string;
  readonly key: string;
  readonly name: string;
  readonly size: number;
  readonly lastModified: number;
  readonly uploadId: string;
  readonly partSize: number;
  readonly startedAt: string;
}

const STORE = "barbucket.pendingUploads";
const MAX_REMEMBERED = 50;

function load(): PendingUpload[] {
  try {
    const value: unknown = JSON.parse(localStorage.getItem(STORE) ?? "[]");
    return Array.isArray(value) ? (value as PendingUpload[]).filter((p) => typeof p?.uploadId === "string" && typeof p.key === "string") : [];
  } catch {
    return [];
  }
}

function save(list: readonly PendingUpload[]): void {
  try {
    localStorage.setItem(STORE, JSON.stringify(list.slice(-MAX_REMEMBERED)));
  } catch {
    // storage full or disabled: the upload still works, it just cannot be resumed after a reload
  }
}

const sameFile = (p: PendingUpload, bucket: string, key: string, file: File): boolean =>
  p.bucket === bucket && p.key === key && p.name === file.name && p.size === file.size && p.lastModified === file.lastModified;

export function findPending(bucket: string, key: string, file: File): PendingUpload | undefined {
  return load().find((p) => sameFile(p, bucket, key, file));
}

export function pendingIn(bucket: string): PendingUpload[] {
  return load().filter((p) => p.bucket === bucket);
}

export function remember(upload: PendingUpload): void {
  save([...load().filter((p) => p.uploadId !== upload.uploadId), upload]);
}

export function forget(uploadId: string): void {
  save(load().filter((p) => p.uploadId !== uploadId));
}
