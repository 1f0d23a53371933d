/**
 * The server master key (seals access key secrets, STS secrets, KMS key material and SSE data
 * keys). Either BARBUCKET_MASTER_KEY (base64 of 32 random bytes: every node of a cluster has the
 * same one, and nothing is written to disk) or `<dataDir>/master.key` (mode 0600, created once).
 */
import { randomBytes } from "node:crypto";
import { closeSync, existsSync, fsyncSync, linkSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { inspect } from "node:util";

export const MASTER_KEY_BYTES = 32;

/** Holds a configured key so that logging or serializing the configuration never shows it. */
export class ConfiguredKey {
  constructor(private readonly key: Buffer) {}

  bytes(): Buffer {
    return this.key;
  }

  toJSON(): string {
    return "[redacted]";
  }

  toString(): string {
    return "[redacted]";
  }

  [inspect.custom](): string {
    return "ConfiguredKey [redacted]";
  }
}

/** Parses BARBUCKET_MASTER_KEY; the error never repeats the value. */
export function parseMasterKey(raw: string, variable = "BARBUCKET_MASTER_KEY"): ConfiguredKey {
  const text = raw.trim();
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text) || text.length % 4 !== 0) {
    throw new Error(`${variable} must be the base64 of ${MASTER_KEY_BYTES} random bytes (e.g. \`openssl rand -base64 32\`); the value given is not base64`);
  }
  const key = Buffer.from(text, "base64");
  if (key.length !== MASTER_KEY_BYTES) {
    throw new Error(`${variable} must decode to ${MASTER_KEY_BYTES} bytes; the value given decodes to ${key.length}`);
  }
  return new ConfiguredKey(key);
}

/** The configured key when there is one; else the data dir's, created (crash-safely) on first start. */
export function loadMasterKey(dataDir: string, configured?: ConfiguredKey): Buffer {
  if (configured) return configured.bytes();
  const file = join(dataDir, "master.key");
  if (!existsSync(file)) {
    const tmp = `${file}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
    writeFileSync(tmp, randomBytes(MASTER_KEY_BYTES).toString("base64"), { mode: 0o600 });
    const fd = openSync(tmp, "r");
    fsyncSync(fd);
    closeSync(fd);
    // link, not rename: two nodes starting together on a shared data dir must end up with one key. A rename would
    // let the second replace the first's key after the first had read it (each then sealing with its own key);
    // link fails with EEXIST for the loser, which then reads the winner's.
    try {
      linkSync(tmp, file);
      syncDir(dataDir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    } finally {
      rmSync(tmp, { force: true });
    }
  }
  const key = Buffer.from(readFileSync(file, "utf8").trim(), "base64");
  if (key.length !== MASTER_KEY_BYTES) throw new Error(`${file} does not hold a ${MASTER_KEY_BYTES}-byte base64 key`);
  return key;
}

/** Makes a new directory entry durable (the file's own fsync does not cover its name). */
function syncDir(dir: string): void {
  const fd = openSync(dir, "r");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
