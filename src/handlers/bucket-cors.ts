/**
 * PutBucketCors / GetBucketCors / DeleteBucketCors (`/?cors`), the OPTIONS preflight, and the CORS
 * headers every other response gets when its Origin matches a rule (`applyCorsHeaders`, called by
 * the server before routing so error responses carry them too).
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { RequestContext } from "../http/context.js";
import { sendEmpty, sendXml } from "../http/context.js";
import { OssError } from "../errors/oss-error.js";
import type { BucketRecord, MetadataStore } from "../storage/types.js";
import { readSmallBody } from "../objects/write.js";
import { CORS_SETTING, corsHeaders, corsXml, matchRule, parseCorsConfiguration, requestedHeaders, type CorsConfiguration } from "../cors/rules.js";
import { requireBucket } from "./types.js";

const MAX_CORS_BODY = 64 * 1024;

export async function loadCors(meta: MetadataStore, bucket: string): Promise<CorsConfiguration | undefined> {
  const stored = await meta.getBucketSetting(bucket, CORS_SETTING);
  return stored === undefined ? undefined : (JSON.parse(stored) as CorsConfiguration);
}

export async function putBucketCors(ctx: RequestContext, bucket: BucketRecord | undefined): Promise<void> {
  const b = requireBucket(bucket);
  const config = parseCorsConfiguration(await readSmallBody(ctx.req, MAX_CORS_BODY));
  await ctx.services.meta.setBucketSetting(b.name, CORS_SETTING, JSON.stringify(config));
  sendEmpty(ctx, 200);
}

export async function getBucketCors(ctx: RequestContext, bucket: BucketRecord | undefined): Promise<void> {
  const b = requireBucket(bucket);
  const config = await loadCors(ctx.services.meta, b.name);
  if (!config) throw new OssError("NoSuchCORSConfiguration", undefined, { extra: { BucketName: b.name } });
  sendXml(ctx, 200, "CORSConfiguration", corsXml(config));
}

export async function deleteBucketCors(ctx: RequestContext, bucket: BucketRecord | undefined): Promise<void> {
  const b = requireBucket(bucket);
  await ctx.services.meta.setBucketSetting(b.name, CORS_SETTING, undefined);
  sendEmpty(ctx, 204);
}

/** The preflight: needs Origin and Access-Control-Request-Method; 403 AccessForbidden when no rule allows it. */
export async function optionsObject(ctx: RequestContext, bucket: BucketRecord | undefined): Promise<void> {
  const b = requireBucket(bucket);
  const origin = ctx.headers["origin"];
  const method = ctx.headers["access-control-request-method"];
  if (origin === undefined || method === undefined) {
    throw new OssError("BadRequest", "Insufficient information. Origin and Access-Control-Request-Method headers are needed for a CORS preflight.");
  }
  const config = await loadCors(ctx.services.meta, b.name);
  if (!config) throw new OssError("AccessForbidden", "CORSResponse: CORS is not enabled for this bucket.");
  const headers = requestedHeaders(ctx.headers["access-control-request-headers"]);
  const rule = matchRule(config, origin, method, headers);
  if (!rule) throw new OssError("AccessForbidden");
  sendEmpty(ctx, 200, {
    ...corsHeaders(rule, origin, headers),
    ...(config.responseVary ? { vary: "Origin" } : {}),
  });
}

/**
 * For an ordinary request from a browser (an Origin header) to an existing bucket with CORS rules:
 * sets the matching rule's Access-Control-* headers on the response before anything is written, so
 * success and error answers both carry them, as OSS does.
 */
export async function applyCorsHeaders(meta: MetadataStore, req: IncomingMessage, res: ServerResponse, bucket: string | undefined): Promise<void> {
  const origin = req.headers.origin;
  if (bucket === undefined || typeof origin !== "string" || req.method === "OPTIONS") return;
  const config = await meta.getBucket(bucket) ? await loadCors(meta, bucket) : undefined;
  if (!config) return;
  if (config.responseVary) res.setHeader("vary", "Origin");
  const rule = matchRule(config, origin, req.method ?? "GET");
  if (!rule) return;
  for (const [name, value] of Object.entries(corsHeaders(rule, origin))) res.setHeader(name, value);
}
