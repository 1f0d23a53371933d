/**
 * How long a restore takes, per class and tier (oss-api.md §8): Archive about a minute; ColdArchive
 * Expedited ≤ 1 h, Standard 2–5 h, Bulk 5–12 h; DeepColdArchive Expedited ≤ 12 h, Standard ≤ 48 h
 * (no Bulk). We take the upper bound of each range. BARBUCKET_RESTORE_DELAY_MS replaces them all
 * (tests); BARBUCKET_RESTORE_DELAYS overrides single entries, e.g. `ColdArchive:Bulk=600000,Archive=1000`.
 */
import type { StorageClass } from "../storage/types.js";

export type RestoreTier = "Expedited" | "Standard" | "Bulk";
export const RESTORE_TIERS: readonly RestoreTier[] = ["Expedited", "Standard", "Bulk"];

const HOUR = 3_600_000;

/** Keyed `Class` (any tier) or `Class:Tier`. */
export const DEFAULT_RESTORE_DELAYS: Readonly<Record<string, number>> = {
  "Archive": 60_000,
  "ColdArchive:Expedited": HOUR,
  "ColdArchive:Standard": 5 * HOUR,
  "ColdArchive:Bulk": 12 * HOUR,
  "DeepColdArchive:Expedited": 12 * HOUR,
  "DeepColdArchive:Standard": 48 * HOUR,
};

export interface RestoreDelayConfig {
  /** When set, every restore takes exactly this long. */
  readonly restoreDelayMs: number | undefined;
  /** Entries overriding DEFAULT_RESTORE_DELAYS. */
  readonly restoreDelays: Readonly<Record<string, number>>;
}

export function restoreDelayMs(config: RestoreDelayConfig, storageClass: StorageClass, tier: RestoreTier): number {
  if (config.restoreDelayMs !== undefined) return config.restoreDelayMs;
  const table = { ...DEFAULT_RESTORE_DELAYS, ...config.restoreDelays };
  return table[`${storageClass}:${tier}`] ?? table[storageClass] ?? table[`${storageClass}:Standard`] ?? HOUR;
}

/** Parses `Key=ms,Key=ms`; throws naming the bad entry. */
export function parseRestoreDelays(text: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const entry of text.split(",").map((s) => s.trim()).filter(Boolean)) {
    const [key, value] = entry.split("=");
    const [cls, tier] = (key ?? "").split(":");
    const ms = Number(value);
    const validClass = cls === "Archive" || cls === "ColdArchive" || cls === "DeepColdArchive";
    const validTier = tier === undefined || (RESTORE_TIERS as readonly string[]).includes(tier);
    if (!validClass || !validTier || !Number.isSafeInteger(ms) || ms < 0) {
      throw new Error(`BARBUCKET_RESTORE_DELAYS: bad entry ${JSON.stringify(entry)} (want Class[:Tier]=ms, Class Archive|ColdArchive|DeepColdArchive)`);
    }
    out[key!] = ms;
  }
  return out;
}
