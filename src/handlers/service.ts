/**
 * ListBuckets (GetService). Filtering by bucket tags: `tag-key` [+ `tag-value`], or the `tagging`
 * sub-resource as ali-oss sends it (`"k1":"v1","k2":"v2"`, every pair must be on the bucket); when
 * filtering by tags, each bucket's tags are listed with it (ali-oss reads them as `bucket.tag`).
 */
import type { BucketRecord } from "../storage/types.js";
import type { RequestContext } from "../http/context.js";
import { isoDate, sendXml } from "../http/context.js";
import { OssError } from "../errors/oss-error.js";
import { parseMaxKeys } from "./list-params.js";
import { loadBucketTags } from "./tagging.js";
import { hasAllTags, taggingXml, type TagSet } from "../objects/tags.js";

/** `"k1":"v1","k2":"v2"` → pairs; anything else is InvalidArgument. */
export function parseTaggingFilter(value: string): TagSet {
  const pairs: Array<[string, string]> = [];
  const pattern = /"((?:[^"\\]|\\.)*)":"((?:[^"\\]|\\.)*)"(,|$)/y;
  let match: RegExpExecArray | null;
  while (pattern.lastIndex < value.length && (match = pattern.exec(value)) !== null) {
    pairs.push([match[1]!.replace(/\\(.)/g, "$1"), match[2]!.replace(/\\(.)/g, "$1")]);
  }
  if (pattern.lastIndex !== value.length || value === "") {
    throw new OssError("InvalidArgument", 'tagging must be a list of "key":"value" pairs separated by commas.', { extra: { ArgumentName: "tagging", ArgumentValue: value } });
  }
  return pairs;
}

export async function listBuckets(ctx: RequestContext): Promise<void> {
  if (ctx.auth.kind !== "signed") throw new OssError("AccessDenied");
  const prefix = ctx.query.get("prefix") ?? "";
  const marker = ctx.query.get("marker") ?? "";
  const maxKeys = parseMaxKeys(ctx.query.get("max-keys"), 100);
  const owner = ctx.auth.principal.accountId;
  const tagKey = ctx.query.get("tag-key");
  const tagValue = ctx.query.get("tag-value");
  const taggingFilter = ctx.query.has("tagging") ? parseTaggingFilter(ctx.query.get("tagging") ?? "") : undefined;
  const byTags = taggingFilter !== undefined || tagKey !== undefined;
  const tagsOf = async (name: string): Promise<TagSet> => (byTags ? await loadBucketTags(ctx, name) : []);
  const matchesTags = (tags: TagSet): boolean =>
    (taggingFilter === undefined || hasAllTags(tags, taggingFilter)) &&
    (tagKey === undefined || tags.some(([k, v]) => k === tagKey && (tagValue === undefined || v === tagValue)));
  const all: BucketRecord[] = [];
  for (const b of await ctx.services.meta.listBuckets(owner)) {
    if (b.name.startsWith(prefix) && b.name > marker && (!byTags || matchesTags(await tagsOf(b.name)))) all.push(b);
  }
  all.sort((a, b) => (a.name < b.name ? -1 : 1));
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
      Bucket: await Promise.all(page.map(async (b) => ({
        CreationDate: isoDate(b.createdAt),
        ExtranetEndpoint: `oss-${b.region}.aliyuncs.com`,
        IntranetEndpoint: `oss-${b.region}-internal.aliyuncs.com`,
        Location: `oss-${b.region}`,
        Name: b.name,
        Region: b.region,
        StorageClass: b.storageClass,
        Tagging: byTags ? taggingXml(await tagsOf(b.name)) : undefined,
      }))),
    },
  });
}
