/** The on-disk checks the crash tests share: temp files, orphan and missing blobs after recovery. */
import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { SqliteMetadataStore } from "../../src/storage/sqlite-metadata.js";

function readdirOrEmpty(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
}

/** Files on disk under `<dataDir>/blobs`: leftover temp files and every blob file, by name. */
export function blobFiles(dataDir: string): { temp: string[]; blobs: Set<string>; stray: string[] } {
  const root = join(dataDir, "blobs");
  const blobs = new Set<string>();
  const stray: string[] = [];
  for (const dir of readdirOrEmpty(root)) {
    if (dir === "tmp") continue;
    if (!/^[0-9a-f]{2}$/.test(dir)) {
      stray.push(dir);
      continue;
    }
    for (const name of readdirOrEmpty(join(root, dir))) blobs.add(name);
  }
  return { temp: readdirOrEmpty(join(root, "tmp")), blobs, stray };
}

/** After a clean stop: no temp files, and blob files on disk are exactly the referenced set. */
export async function checkDisk(dataDir: string): Promise<{ blobs: number }> {
  const { temp, blobs, stray } = blobFiles(dataDir);
  const meta = new SqliteMetadataStore(join(dataDir, "meta.sqlite"));
  const referenced = await meta.referencedBlobIds();
  await meta.close();
  assert.deepEqual(temp, [], "temp files left after recovery");
  assert.deepEqual(stray, [], "unexpected entries under blobs/");
  assert.deepEqual([...blobs].filter((id) => !referenced.has(id)), [], "orphan blob files after recovery");
  assert.deepEqual([...referenced].filter((id) => !blobs.has(id)), [], "referenced blobs missing on disk");
  return { blobs: blobs.size };
}

