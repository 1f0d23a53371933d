/**
 * The IMM side of the installation, as one `Services` field: projects and bucket attachments
 * (persisted) and the recognition result cache shared by image/codes and DetectImageCodes.
 */
import { join } from "node:path";
import { SqliteProjectStore, type ProjectStore } from "./project-store.js";
import { ResultCache, type ResultCacheOptions } from "./result-cache.js";
import type { ScanOutcome } from "./scan-object.js";

/**
 * Result cache bounds. A typical outcome is well under 2 KB (≤ 5 codes), so the entry bound
 * usually binds first; the byte bound guards against many long payloads (e.g. big Data Matrix texts).
 */
export const DEFAULT_RESULT_CACHE: ResultCacheOptions = { maxEntries: 4096, maxBytes: 16 * 1024 * 1024 };

export class Imm {
  readonly projects: ProjectStore;
  readonly results: ResultCache<ScanOutcome>;

  constructor(projects: ProjectStore, cache: ResultCacheOptions = DEFAULT_RESULT_CACHE) {
    this.projects = projects;
    this.results = new ResultCache<ScanOutcome>(cache);
  }

  /** Opens (creating when needed) `<dataDir>/imm.sqlite`. */
  static open(dataDir: string, cache: ResultCacheOptions = DEFAULT_RESULT_CACHE): Imm {
    return new Imm(new SqliteProjectStore(join(dataDir, "imm.sqlite")), cache);
  }

  async close(): Promise<void> {
    await this.projects.close();
    this.results.clear();
  }
}
