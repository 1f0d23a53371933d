/**
 * What cp and mv do: the plan (which source goes where, expanded for -r and filtered by the globs)
 * and the three transfers — upload (put, or resumable multipart for big files), download, and
 * server-side copy (CopyObject) between buckets.
 */
import { createWriteStream } from "node:fs";
import { mkdir, readdir, rename, rm, stat, unlink } from "node:fs/promises";
import { Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { basename, dirname, join, relative, sep } from "node:path";
import { listAll, type ClientFactory, type Checkpoint } from "../client.js";
import { checkpointPath, dropCheckpoint, loadCheckpoint, saveCheckpoint } from "../checkpoint.js";
import { NotFoundError, UsageError } from "../exit-codes.js";
import type { PathFilter } from "../glob.js";
import { destinationKey, formatOssUrl, isOssUrl, parseOssUrl } from "../oss-url.js";
import type { Progress } from "../progress.js";

export type Place = { kind: "local"; path: string } | { kind: "oss"; bucket: string; key: string };

export interface Job {
  src: Place;
  dst: Place;
  size: number;
  mtimeMs: number;
}

export function place(arg: string): Place {
  if (isOssUrl(arg)) return { kind: "oss", ...parseOssUrl(arg) };
  return { kind: "local", path: arg };
}

export function describe(p: Place): string {
  return p.kind === "oss" ? formatOssUrl(p.bucket, p.key) : p.path;
}

/** "a/b" → "a/b/", "" stays "": the folder a recursive copy works on. */
function folder(key: string): string {
  return key === "" || key.endsWith("/") ? key : `${key}/`;
}

async function walk(dir: string, out: string[] = []): Promise<string[]> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) await walk(path, out);
    else if (entry.isFile()) out.push(path);
  }
  return out;
}

async function isLocalDir(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

export interface PlanOptions {
  recursive: boolean;
  filter: PathFilter;
}

export async function plan(srcArg: string, dstArg: string, client: ClientFactory, o: PlanOptions): Promise<Job[]> {
  const src = place(srcArg);
  const dst = place(dstArg);
  if (src.kind === "local" && dst.kind === "local") throw new UsageError("one of SRC and DST must be an oss:// URL (use your shell's cp for local copies)");
  if (src.kind === "local") {
    const st = await stat(src.path).catch((e: NodeJS.ErrnoException) => {
      throw e.code === "ENOENT" ? new NotFoundError(`no such file or directory: ${src.path}`) : e;
    });
    const d = dst as Extract<Place, { kind: "oss" }>;
    if (st.isDirectory()) {
      if (!o.recursive) throw new UsageError(`${src.path} is a directory (use -r)`);
      const jobs: Job[] = [];
      for (const file of (await walk(src.path)).sort()) {
        const rel = relative(src.path, file).split(sep).join("/");
        if (!o.filter(rel)) continue;
        const fst = await stat(file);
        jobs.push({ src: { kind: "local", path: file }, dst: { kind: "oss", bucket: d.bucket, key: folder(d.key) + rel }, size: fst.size, mtimeMs: fst.mtimeMs });
      }
      return jobs;
    }
    return [{ src, dst: { kind: "oss", bucket: d.bucket, key: destinationKey(d.key, basename(src.path)) }, size: st.size, mtimeMs: st.mtimeMs }];
  }
  // Source in OSS.
  if (o.recursive || src.key === "") {
    if (!o.recursive) throw new UsageError(`${srcArg} is a bucket (use -r)`);
    const prefix = folder(src.key);
    const jobs: Job[] = [];
    for await (const { object } of listAll(client(src.bucket), prefix)) {
      if (!object) continue;
      const rel = object.name.slice(prefix.length);
      if (rel === "" || rel.endsWith("/") || !o.filter(rel)) continue; // folder markers are not files
      const target: Place = dst.kind === "local" ? { kind: "local", path: join(dst.path, ...rel.split("/")) } : { kind: "oss", bucket: dst.bucket, key: folder(dst.key) + rel };
      jobs.push({ src: { kind: "oss", bucket: src.bucket, key: object.name }, dst: target, size: object.size, mtimeMs: Date.parse(object.lastModified) });
    }
    if (jobs.length === 0) throw new NotFoundError(`no object under ${formatOssUrl(src.bucket, prefix)}`);
    return jobs;
  }
  const head = await client(src.bucket).head(src.key);
  const size = Number(head.res.headers["content-length"] ?? 0);
  const name = basename(src.key);
  if (dst.kind === "local") {
    const path = dst.path.endsWith(sep) || dst.path.endsWith("/") || (await isLocalDir(dst.path)) ? join(dst.path, name) : dst.path;
    return [{ src, dst: { kind: "local", path }, size, mtimeMs: 0 }];
  }
  return [{ src, dst: { kind: "oss", bucket: dst.bucket, key: destinationKey(dst.key, name) }, size, mtimeMs: 0 }];
}

export interface TransferOptions {
  partSize: number;
  parallel: number;
  endpoint: string;
  progress: Progress;
}

async function upload(job: Job, client: ClientFactory, o: TransferOptions): Promise<void> {
  const src = job.src as Extract<Place, { kind: "local" }>;
  const dst = job.dst as Extract<Place, { kind: "oss" }>;
  const oss = client(dst.bucket);
  if (job.size <= o.partSize) {
    await oss.put(dst.key, src.path);
    return;
  }
  const cpFile = checkpointPath({ endpoint: o.endpoint, bucket: dst.bucket, key: dst.key, file: src.path, size: job.size, mtimeMs: job.mtimeMs });
  const label = describe(dst);
  const run = (checkpoint: Checkpoint | undefined) =>
    oss.multipartUpload(dst.key, src.path, {
      partSize: o.partSize,
      parallel: o.parallel,
      ...(checkpoint ? { checkpoint } : {}),
      progress: (p: number, cpt: Checkpoint | null) => {
        if (cpt) saveCheckpoint(cpFile, cpt);
        o.progress.update(label, Math.floor(p * job.size));
      },
    });
  const saved = loadCheckpoint(cpFile, src.path, job.size);
  try {
    await run(saved);
  } catch (error) {
    if (!saved || (error as { code?: string }).code !== "NoSuchUpload") throw error;
    dropCheckpoint(cpFile); // the upload was aborted or completed meanwhile: start afresh
    await run(undefined);
  }
  dropCheckpoint(cpFile);
}

/** Streams the object to DST.part-PID, counting bytes for the bar, then renames it into place. */
async function download(job: Job, client: ClientFactory, o: TransferOptions): Promise<void> {
  const src = job.src as Extract<Place, { kind: "oss" }>;
  const dst = job.dst as Extract<Place, { kind: "local" }>;
  await mkdir(dirname(dst.path), { recursive: true });
  const { stream } = await client(src.bucket).getStream(src.key);
  const tmp = `${dst.path}.part-${process.pid}`;
  const label = dst.path;
  let bytes = 0;
  const count = new Transform({
    transform(chunk: Buffer, _enc, done) {
      bytes += chunk.length;
      o.progress.update(label, bytes);
      done(null, chunk);
    },
  });
  try {
    await pipeline(stream, count, createWriteStream(tmp));
    await rename(tmp, dst.path);
  } catch (error) {
    await rm(tmp, { force: true });
    throw error;
  }
}

async function serverCopy(job: Job, client: ClientFactory): Promise<void> {
  const src = job.src as Extract<Place, { kind: "oss" }>;
  const dst = job.dst as Extract<Place, { kind: "oss" }>;
  await client(dst.bucket).copy(dst.key, src.key, src.bucket);
}

export async function transfer(job: Job, client: ClientFactory, o: TransferOptions): Promise<void> {
  if (job.src.kind === "local") await upload(job, client, o);
  else if (job.dst.kind === "local") await download(job, client, o);
  else await serverCopy(job, client);
}

/** mv: the source goes once its copy is done. */
export async function removeSource(job: Job, client: ClientFactory): Promise<void> {
  if (job.src.kind === "local") await unlink(job.src.path);
  else await client(job.src.bucket).delete(job.src.key);
}
