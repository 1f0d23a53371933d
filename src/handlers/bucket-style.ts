/**
 * PutStyle / GetStyle / ListStyle / DeleteStyle (`?style[&styleName=]`): `<Style><Content>…</Content></Style>`
 * in, `<Style><Name/><Content/><Category/><CreateTime/><LastModifyTime/></Style>` out.
 */
import type { RequestContext } from "../http/context.js";
import { sendEmpty, sendXml } from "../http/context.js";
import { OssError } from "../errors/oss-error.js";
import { parseXmlBody, textOf } from "../http/xml.js";
import type { BucketRecord } from "../storage/types.js";
import { readSmallBody } from "../objects/write.js";
import { checkStyleName, deleteStyle, getStyle, listStyles, putStyle, type StyleRecord } from "../image/styles.js";
import { requireBucket } from "./types.js";

const xmlOf = (s: StyleRecord) => ({ Name: s.name, Content: s.content, Category: s.category, CreateTime: s.createTime, LastModifyTime: s.lastModifyTime });

export async function putBucketStyle(ctx: RequestContext, bucket: BucketRecord | undefined): Promise<void> {
  const b = requireBucket(bucket);
  const name = checkStyleName(ctx.query.get("styleName"));
  const content = textOf(parseXmlBody(await readSmallBody(ctx.req, 16 * 1024), "Style").Content);
  if (!content) throw new OssError("MalformedXML", "The style needs a Content.");
  await putStyle(ctx.services.meta, b.name, name, content, ctx.query.get("category") || "image", ctx.services.clock.now());
  sendEmpty(ctx, 200);
}

export async function getBucketStyle(ctx: RequestContext, bucket: BucketRecord | undefined): Promise<void> {
  const b = requireBucket(bucket);
  const name = ctx.query.get("styleName");
  if (name === undefined) {
    sendXml(ctx, 200, "StyleList", { Style: (await listStyles(ctx.services.meta, b.name)).map(xmlOf) });
    return;
  }
  sendXml(ctx, 200, "Style", xmlOf(await getStyle(ctx.services.meta, b.name, checkStyleName(name))));
}

export async function deleteBucketStyle(ctx: RequestContext, bucket: BucketRecord | undefined): Promise<void> {
  const b = requireBucket(bucket);
  await deleteStyle(ctx.services.meta, b.name, checkStyleName(ctx.query.get("styleName")));
  sendEmpty(ctx, 204);
}
