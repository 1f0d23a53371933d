/**
 * PutBucketInventory / GetBucketInventory / ListBucketInventory / DeleteBucketInventory
 * (`/?inventory[&inventoryId=]`). Configurations are validated and stored (src/inventory/config.ts);
 * this server does not generate the scheduled inventory files yet.
 */
import type { RequestContext } from "../http/context.js";
import { sendEmpty, sendXml } from "../http/context.js";
import { OssError } from "../errors/oss-error.js";
import type { BucketRecord, MetadataStore } from "../storage/types.js";
import { readSmallBody } from "../objects/write.js";
import { INVENTORY_SETTING, MAX_INVENTORIES, inventoryXml, parseInventory, type InventoryConfig } from "../inventory/config.js";
import { requireBucket } from "./types.js";

const MAX_BODY = 64 * 1024;
const LIST_PAGE = 100;

function load(meta: MetadataStore, bucket: string): Record<string, InventoryConfig> {
  const stored = meta.getBucketSetting(bucket, INVENTORY_SETTING);
  return stored === undefined ? {} : (JSON.parse(stored) as Record<string, InventoryConfig>);
}

function inventoryId(ctx: RequestContext): string {
  const id = ctx.query.get("inventoryId");
  if (!id) throw new OssError("MissingArgument", "inventoryId is required.", { extra: { ArgumentName: "inventoryId", ArgumentValue: "" } });
  return id;
}

export async function putBucketInventory(ctx: RequestContext, bucket: BucketRecord | undefined): Promise<void> {
  const b = requireBucket(bucket);
  const id = inventoryId(ctx);
  const { meta } = ctx.services;
  const config = parseInventory(await readSmallBody(ctx.req, MAX_BODY), {
    inventoryId: id,
    accountId: b.owner,
    ownsBucket: (name) => meta.getBucket(name)?.owner === b.owner,
  });
  const all = load(meta, b.name);
  if (all[id] !== undefined) throw new OssError("InventoryAlreadyExist", undefined, { extra: { InventoryId: id } });
  if (Object.keys(all).length >= MAX_INVENTORIES) {
    throw new OssError("InvalidArgument", `A bucket has at most ${MAX_INVENTORIES} inventory configurations.`, { extra: { ArgumentName: "inventoryId", ArgumentValue: id } });
  }
  meta.setBucketSetting(b.name, INVENTORY_SETTING, JSON.stringify({ ...all, [id]: config }));
  sendEmpty(ctx, 200);
}

export function getBucketInventory(ctx: RequestContext, bucket: BucketRecord | undefined): void {
  const b = requireBucket(bucket);
  const id = inventoryId(ctx);
  const config = load(ctx.services.meta, b.name)[id];
  if (!config) throw new OssError("NoSuchInventory", undefined, { extra: { InventoryId: id } });
  sendXml(ctx, 200, "InventoryConfiguration", inventoryXml(config));
}

/** Configurations in id order, 100 a page; the continuation token is the last id returned. */
export function listBucketInventory(ctx: RequestContext, bucket: BucketRecord | undefined): void {
  const b = requireBucket(bucket);
  const after = ctx.query.get("continuation-token") ?? "";
  const ids = Object.keys(load(ctx.services.meta, b.name)).sort().filter((id) => id > after);
  const all = load(ctx.services.meta, b.name);
  const page = ids.slice(0, LIST_PAGE);
  const truncated = ids.length > page.length;
  sendXml(ctx, 200, "ListInventoryConfigurationsResult", {
    InventoryConfiguration: page.map((id) => inventoryXml(all[id]!)),
    IsTruncated: String(truncated),
    NextContinuationToken: truncated ? page[page.length - 1] : undefined,
  });
}

export function deleteBucketInventory(ctx: RequestContext, bucket: BucketRecord | undefined): void {
  const b = requireBucket(bucket);
  const id = inventoryId(ctx);
  const { [id]: _removed, ...rest } = load(ctx.services.meta, b.name);
  ctx.services.meta.setBucketSetting(b.name, INVENTORY_SETTING, Object.keys(rest).length > 0 ? JSON.stringify(rest) : undefined);
  sendEmpty(ctx, 204);
}
