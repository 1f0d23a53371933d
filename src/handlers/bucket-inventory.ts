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

async function load(meta: MetadataStore, bucket: string): Promise<Record<string, InventoryConfig>> {
  return parse(await meta.getBucketSetting(bucket, INVENTORY_SETTING));
}

function parse(stored: string | undefined): Record<string, InventoryConfig> {
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
  const body = await readSmallBody(ctx.req, MAX_BODY);
  const owned = new Set((await meta.listBuckets(b.owner)).map((x) => x.name));
  const config = parseInventory(body, {
    inventoryId: id,
    accountId: b.owner,
    ownsBucket: (name) => owned.has(name),
  });
  // One read-modify-write transaction: concurrent puts cannot both add past the limit or drop each other.
  await meta.updateBucketSetting(b.name, INVENTORY_SETTING, (stored) => {
    const all = parse(stored);
    if (all[id] !== undefined) throw new OssError("InventoryAlreadyExist", undefined, { extra: { InventoryId: id } });
    if (Object.keys(all).length >= MAX_INVENTORIES) {
      throw new OssError("InvalidArgument", `A bucket has at most ${MAX_INVENTORIES} inventory configurations.`, { extra: { ArgumentName: "inventoryId", ArgumentValue: id } });
    }
    return JSON.stringify({ ...all, [id]: config });
  });
  sendEmpty(ctx, 200);
}

export async function getBucketInventory(ctx: RequestContext, bucket: BucketRecord | undefined): Promise<void> {
  const b = requireBucket(bucket);
  const id = inventoryId(ctx);
  const config = (await load(ctx.services.meta, b.name))[id];
  if (!config) throw new OssError("NoSuchInventory", undefined, { extra: { InventoryId: id } });
  sendXml(ctx, 200, "InventoryConfiguration", inventoryXml(config));
}

/** Configurations in id order, 100 a page; the continuation token is the last id returned. */
export async function listBucketInventory(ctx: RequestContext, bucket: BucketRecord | undefined): Promise<void> {
  const b = requireBucket(bucket);
  const after = ctx.query.get("continuation-token") ?? "";
  const ids = Object.keys(await load(ctx.services.meta, b.name)).sort().filter((id) => id > after);
  const all = await load(ctx.services.meta, b.name);
  const page = ids.slice(0, LIST_PAGE);
  const truncated = ids.length > page.length;
  sendXml(ctx, 200, "ListInventoryConfigurationsResult", {
    InventoryConfiguration: page.map((id) => inventoryXml(all[id]!)),
    IsTruncated: String(truncated),
    NextContinuationToken: truncated ? page[page.length - 1] : undefined,
  });
}

export async function deleteBucketInventory(ctx: RequestContext, bucket: BucketRecord | undefined): Promise<void> {
  const b = requireBucket(bucket);
  const id = inventoryId(ctx);
  await ctx.services.meta.updateBucketSetting(b.name, INVENTORY_SETTING, (stored) => {
    const { [id]: _removed, ...rest } = parse(stored);
    return Object.keys(rest).length > 0 ? JSON.stringify(rest) : undefined;
  });
  sendEmpty(ctx, 204);
}
