/**
 * Bucket-wide refusals that come after authorization: hotlink protection (Referer rules, for object
 * requests that are anonymous or signed in the URL) and pay-by-requester (anonymous requests and
 * other accounts that do not send `x-oss-request-payer: requester` are refused).
 * The preflight and PostObject (which authenticates from its form) are not subject to them here.
 */
import type { RequestContext } from "./context.js";
import type { BucketRecord } from "../storage/types.js";
import { OssError } from "../errors/oss-error.js";
import { checkReferer } from "../referer/rules.js";
import { loadReferer } from "../handlers/bucket-referer.js";
import { loadPayer } from "../handlers/bucket-request-payment.js";

export async function checkBucketGuards(ctx: RequestContext, bucket: BucketRecord): Promise<void> {
  const { endpoint, auth, services } = ctx;
  if (endpoint.kind === "OptionsObject" || endpoint.kind === "PostObject") return;
  const signedInHeader = auth.kind === "signed" && (auth.scheme === "v1-header" || auth.scheme === "v4-header");
  if ("key" in endpoint && !signedInHeader) {
    const referer = await loadReferer(services.meta, bucket.name);
    if (referer) checkReferer(referer, ctx.headers["referer"]);
  }
  if (await loadPayer(services.meta, bucket.name) === "Requester") {
    if (auth.kind !== "signed") throw new OssError("AccessDenied", "Anonymous access is forbidden on a pay-by-requester bucket.");
    const payer = (ctx.headers["x-oss-request-payer"] ?? ctx.query.get("x-oss-request-payer") ?? "").toLowerCase();
    if (auth.principal.accountId !== bucket.owner && payer !== "requester") {
      throw new OssError("AccessDenied", "Access denied for requester pay bucket: send x-oss-request-payer: requester.");
    }
  }
}
