/** Response headers of versioned buckets: x-oss-version-id on writes and reads, delete-marker flags. */
import type { RequestContext } from "../http/context.js";
import { NULL_VERSION, type DeleteMarkerRecord } from "../storage/types.js";

/**
 * Sets x-oss-version-id for the response about to be sent (merged into its writeHead), when the
 * write happened in a versioned bucket (the store returns an id only then).
 */
export function announceVersion(ctx: RequestContext, versionId: string | undefined): void {
  if (versionId !== undefined) ctx.res.setHeader("x-oss-version-id", versionId);
}

/** A write replaced its predecessor for good (unversioned, or the Suspended null version): early-deletion metering applies. */
export function replacedForGood(result: { releasedBlobs: readonly string[]; versionId?: string }): boolean {
  return result.versionId === undefined || result.releasedBlobs.length > 0;
}

export function deleteMarkerHeaders(marker: DeleteMarkerRecord): Record<string, string> {
  return {
    "x-oss-delete-marker": "true",
    "x-oss-version-id": marker.versionId ?? NULL_VERSION,
    "last-modified": marker.lastModified.toUTCString(),
  };
}
