/**
 * Where the static-website behaviour (plan.ts) meets the request pipeline: which requests it applies
 * to (anonymous GET/HEAD of an object, anonymous GET of the root without parameters, on a bucket with
 * a website configuration) and the one response detail GetObject cannot know (an error document's
 * status). The served key then goes through the ordinary route, authorization (the documents must be
 * readable anonymously, as on OSS) and GetObject/HeadObject handlers, so it is metered as they are.
 */
import type { ServerResponse } from "node:http";
import type { AuthResult } from "../auth/types.js";
import type { Endpoint } from "../http/router.js";
import type { Services } from "../services.js";
import { WEBSITE_SETTING, type WebsiteConfig } from "./config.js";
import { planWebsite, type WebsitePlan } from "./plan.js";

export interface WebsiteCandidate {
  readonly method: string;
  readonly auth: AuthResult;
  readonly endpoint: Endpoint;
  readonly bucket: string | undefined;
  readonly key: string | undefined;
  readonly virtualHost: boolean;
  readonly headers: Readonly<Record<string, string>>;
  readonly query: ReadonlyMap<string, string>;
  /** The request target as sent (path and query). */
  readonly rawUrl: string;
}

function applies(c: WebsiteCandidate): c is WebsiteCandidate & { bucket: string } {
  if (c.auth.kind !== "anonymous" || c.bucket === undefined) return false;
  if (c.endpoint.kind === "GetObject" || c.endpoint.kind === "HeadObject") return !c.query.has("versionId");
  return c.endpoint.kind === "ListObjects" && c.method === "GET" && c.key === undefined && c.query.size === 0;
}

/** The website plan for this request, or undefined when the website behaviour does not apply. */
export async function websitePlanFor(services: Services, c: WebsiteCandidate): Promise<WebsitePlan | undefined> {
  if (!applies(c)) return undefined;
  const stored = await services.meta.getBucketSetting(c.bucket, WEBSITE_SETTING);
  if (stored === undefined) return undefined;
  const config = JSON.parse(stored) as WebsiteConfig;
  const key = c.key ?? "";
  if (key === "" && !config.index) return undefined; // the root without an index page stays ListObjects
  const queryAt = c.rawUrl.indexOf("?");
  const bucket = c.bucket;
  return await planWebsite(
    config,
    {
      key,
      headers: c.headers,
      rawQuery: queryAt < 0 ? "" : c.rawUrl.slice(queryAt + 1),
      rootPath: c.virtualHost ? "/" : `/${encodeURIComponent(bucket)}/`,
    },
    async (k) => (await services.meta.getObject(bucket, k)) !== undefined,
  );
}

/** Error documents are served with their configured status: the handler's 200 becomes `status`. */
export function replaceOkStatus(res: ServerResponse, status: number): void {
  const writeHead = res.writeHead.bind(res) as (code: number, ...rest: unknown[]) => ServerResponse;
  res.writeHead = ((code: number, ...rest: unknown[]) => writeHead(code === 200 ? status : code, ...rest)) as typeof res.writeHead;
}
