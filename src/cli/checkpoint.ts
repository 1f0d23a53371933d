/**
 * Resumable multipart uploads: ali-oss hands its checkpoint (uploadId, part size, parts done) to the
 * progress callback after every part; it is kept in `<config dir>/checkpoints/<id>.json`, where id
 * hashes the endpoint, bucket, key, the file's absolute path, size and mtime. A later `cp` of the same
 * unchanged file to the same place passes it back to multipartUpload, which uploads only the missing
 * parts. The file is removed once the upload completes.
 */
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { configDir } from "./config.js";
import type { Checkpoint } from "./client.js";

export interface UploadIdentity {
  endpoint: string;
  bucket: string;
  key: string;
  file: string;
  size: number;
  mtimeMs: number;
}

export function checkpointPath(id: UploadIdentity, env: NodeJS.ProcessEnv = process.env): string {
  const hash = createHash("sha256")
    .update(JSON.stringify([id.endpoint, id.bucket, id.key, resolve(id.file), id.size, Math.trunc(id.mtimeMs)]))
    .digest("hex")
    .slice(0, 32);
  return join(configDir(env), "checkpoints", `${hash}.json`);
}

export function loadCheckpoint(path: string, file: string, size: number): Checkpoint | undefined {
  try {
    const cpt = JSON.parse(readFileSync(path, "utf8")) as Checkpoint;
    if (typeof cpt.uploadId !== "string" || cpt.fileSize !== size || !Array.isArray(cpt.doneParts)) return undefined;
    return { ...cpt, file };
  } catch {
    return undefined;
  }
}

export function saveCheckpoint(path: string, cpt: Checkpoint): void {
  mkdirSync(join(path, ".."), { recursive: true, mode: 0o700 });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify({ ...cpt, file: resolve(cpt.file) }), { mode: 0o600 });
  renameSync(tmp, path);
}

export function dropCheckpoint(path: string): void {
  rmSync(path, { force: true });
}
