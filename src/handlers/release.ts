/** Deletes blobs a committed metadata change no longer references (after the commit, never before). */
import type { RequestContext } from "../http/context.js";

export function releaseBlobs(ctx: RequestContext, ids: readonly string[]): void {
  for (const id of ids) {
    // A failure here only leaves an orphan, which start-up recovery collects.
    ctx.services.blobs.delete(id).catch((err: unknown) => ctx.log.warn({ err, blob: id }, "could not delete released blob"));
  }
}
