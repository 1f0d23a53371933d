/**
 * PutBucketRequestPayment / GetBucketRequestPayment (`/?requestPayment`): Payer BucketOwner (default)
 * or Requester. With Requester, authz/bucket-guards.ts refuses anonymous requests and requests by
 * others than the owner that do not accept the charge (`x-oss-request-payer: requester`).
 */
import type { RequestContext } from "../http/context.js";
import { sendEmpty, sendXml } from "../http/context.js";
import { OssError } from "../errors/oss-error.js";
import type { BucketRecord, MetadataStore } from "../storage/types.js";
import { readSmallBody } from "../objects/write.js";
import { parseXmlBody, textOf } from "../http/xml.js";
import { requireBucket } from "./types.js";

export const REQUEST_PAYMENT_SETTING = "requestPayment";
export type Payer = "BucketOwner" | "Requester";

export async function loadPayer(meta: MetadataStore, bucket: string): Promise<Payer> {
  return await meta.getBucketSetting(bucket, REQUEST_PAYMENT_SETTING) === "Requester" ? "Requester" : "BucketOwner";
}

export async function putBucketRequestPayment(ctx: RequestContext, bucket: BucketRecord | undefined): Promise<void> {
  const b = requireBucket(bucket);
  const root = parseXmlBody(await readSmallBody(ctx.req, 64 * 1024), "RequestPaymentConfiguration");
  const payer = textOf(root.Payer);
  if (payer !== "BucketOwner" && payer !== "Requester") {
    throw new OssError("InvalidArgument", "Payer must be BucketOwner or Requester.", { extra: { ArgumentName: "Payer", ArgumentValue: payer ?? "" } });
  }
  await ctx.services.meta.setBucketSetting(b.name, REQUEST_PAYMENT_SETTING, payer === "Requester" ? payer : undefined);
  sendEmpty(ctx, 200);
}

export async function getBucketRequestPayment(ctx: RequestContext, bucket: BucketRecord | undefined): Promise<void> {
  const b = requireBucket(bucket);
  sendXml(ctx, 200, "RequestPaymentConfiguration", { Payer: await loadPayer(ctx.services.meta, b.name) });
}
