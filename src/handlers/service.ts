/** ListBuckets (GetService). */
import type { RequestContext } from "../http/context.js";
import { isoDate, sendXml } from "../http/context.js";
import { OssError } from "../errors/oss-error.js";
import { parseMaxKeys } from "./list-params.js";

export function listBuckets(ctx: RequestContext): void {
  if (ctx.auth.kind !== "signed") throw new OssError("AccessDenied");
  const prefix = ctx.query.get("prefix") ?? "";
  const marker = ctx.query.get("marker") ?? "";
  const maxKeys = parseMaxKeys(ctx.query.get("max-keys"), 100);
  const owner = ctx.auth.principal.accountId;
  const all = ctx.services.meta
    .listBuckets(owner)
    .filter((b) => b.name.startsWith(prefix) && b.name > marker)
    .sort((a, b) => (a.name < b.name ? -1 : 1));
  const page = all.slice(0, maxKeys);
  const truncated = all.length > page.length;
  const paged = ctx.query.has("max-keys") || ctx.query.has("marker") || ctx.query.has("prefix");
  sendXml(ctx, 200, "ListAllMyBucketsResult", {
    Prefix: paged ? prefix : undefined,
    Marker: paged ? marker : undefined,
    MaxKeys: paged ? maxKeys : undefined,
    IsTruncated: paged ? truncated : undefined,
    NextMarker: truncated ? page[page.length - 1]?.name : undefined,
    Owner: { ID: owner, DisplayName: owner },
    Buckets: {
      Bucket: page.map((b) => ({
        CreationDate: isoDate(b.createdAt),
        ExtranetEndpoint: `oss-${b.region}.aliyuncs.com`,
        IntranetEndpoint: `oss-${b.region}-internal.aliyuncs.com`,
        Location: `oss-${b.region}`,
        Name: b.name,
        Region: b.region,
        StorageClass: b.storageClass,
      })),
    },
  });
}
