/**
 * PostObject: a browser form upload (`POST /` on the bucket, multipart/form-data). The form carries
 * its own authentication (a signed policy, V1 or V4) and is authorized for oss:PutObject once the
 * fields before the file are read; the file part then streams into the blob store like PutObject's
 * body (crash safety as there). Answers: 204 by default, `success_action_status` 200/201 (201 with
 * a PostResponse XML), or 303 to `success_action_redirect` with bucket, key and etag appended.
 */
import type { RequestContext } from "../http/context.js";
import { sendEmpty, sendXml } from "../http/context.js";
import { OssError } from "../errors/oss-error.js";
import type { BucketRecord } from "../storage/types.js";
import { formBoundary, readForm, type FormFile } from "../http/multipart-form.js";
import { validateKey } from "../http/addressing.js";
import { authenticatePostForm } from "../auth/post-signature.js";
import { checkPolicy, decodePolicy, type SizeRange } from "../objects/post-policy.js";
import { authorizeBucketAccess } from "../authz/bucket-access.js";
import { requestContext } from "../authz/context.js";
import { BlobTooLargeError } from "../storage/types.js";
import { quoted } from "../objects/etag.js";
import { encryptionHeaders } from "../objects/sse.js";
import { prepareWriteEncryption, segmentWriter } from "./encryption.js";
import { commitObject, fileExists, forbidOverwrite, objectFromHeaders } from "./put-object.js";
import { requireBucket } from "./types.js";

const FORM_LIMITS = { maxFieldBytes: 64 * 1024, maxFieldsBytes: 1024 * 1024 };

export async function postObject(ctx: RequestContext, bucket: BucketRecord | undefined): Promise<void> {
  const b = requireBucket(bucket);
  const { services } = ctx;
  const boundary = formBoundary(ctx.headers["content-type"]);
  if (boundary === undefined) throw new OssError("MalformedPOSTRequest", "PostObject needs a multipart/form-data body with a boundary.");
  const { fields, file } = await readForm(ctx.req.iterator({ destroyOnReturn: false }), boundary, FORM_LIMITS);

  let prepared: Awaited<ReturnType<typeof prepare>>;
  try {
    prepared = await prepare(ctx, b, fields, file);
  } catch (error) {
    // Read the (bounded) rest of a refused form before answering, so the browser sees the error
    // instead of a connection reset on unread data.
    if (file) await drain(file.stream, MAX_DRAIN_BYTES).catch(() => undefined);
    throw error;
  }
  const { formCtx, fromForm, encryption, noOverwrite, range, key, stream } = prepared;
  ctx.req.setTimeout(services.config.bodyIdleTimeoutMs, () => ctx.req.destroy(new OssError("RequestTimeout")));
  const written = await writeFile(formCtx, stream, encryption, range).finally(() => ctx.req.setTimeout(0));
  ctx.bytesIn += written.blob.size;
  const record = await commitObject(formCtx, fromForm(written.blob, written.segment, encryption), noOverwrite);
  respond(ctx, fields, b, key, quoted(record.etag), {
    etag: quoted(record.etag),
    "x-oss-hash-crc64ecma": record.crc64,
    "content-md5": written.blob.md5.toString("base64"),
    ...encryptionHeaders(record.serverSideEncryption),
  });
}

const MAX_DRAIN_BYTES = 8 * 1024 * 1024;

async function drain(stream: AsyncIterable<Buffer>, max: number): Promise<void> {
  let read = 0;
  for await (const chunk of stream) {
    read += chunk.length;
    if (read > max) return;
  }
}

/** Authentication, policy, key, authorization and the stored metadata: everything checked before the file is read. */
async function prepare(ctx: RequestContext, b: BucketRecord, fields: ReadonlyMap<string, string>, file: FormFile | undefined) {
  const { services } = ctx;
  const now = services.clock.now();
  const auth = await authenticatePostForm(fields, services.credentials, { now, region: services.config.region });
  const policyText = fields.get("policy");
  if (auth.kind === "signed" && policyText === undefined) throw new OssError("InvalidArgument", "A signed PostObject needs a policy.", { extra: { ArgumentName: "policy" } });
  const range = policyText === undefined ? undefined : checkPolicy(decodePolicy(policyText), fields, b.name, now);

  const rawKey = fields.get("key");
  if (!rawKey) throw new OssError("InvalidArgument", "The form field key is required.", { extra: { ArgumentName: "key" } });
  if (!file) throw new OssError("InvalidArgument", "The form has no file field (it must be the last field).", { extra: { ArgumentName: "file" } });
  const key = rawKey.replaceAll("${filename}", file.filename);
  validateKey(key);
  const redirect = fields.get("success_action_redirect");
  if (redirect && !URL.canParse(redirect)) {
    throw new OssError("InvalidArgument", "success_action_redirect is not a valid URL.", { extra: { ArgumentName: "success_action_redirect", ArgumentValue: redirect } });
  }
  const principal = auth.kind === "signed" ? auth.principal : undefined;
  await authorizeBucketAccess(services, { principal, actions: ["oss:PutObject"], bucket: b, key, context: requestContext(ctx.req, principal?.accessKeyId) });

  // From here the form fields play the request headers' part (metadata, ACL, class, SSE, tags).
  const formCtx: RequestContext = { ...ctx, auth, headers: Object.fromEntries(fields) };
  const fromForm = objectFromHeaders(formCtx, b, key);
  const encryption = await prepareWriteEncryption(formCtx, b);
  const noOverwrite = forbidOverwrite(formCtx);
  if (noOverwrite && await services.meta.getObject(b.name, key)) throw fileExists(key);

  return { formCtx, fromForm, encryption, noOverwrite, range, key, stream: file.stream };
}

async function writeFile(ctx: RequestContext, stream: AsyncIterable<Buffer>, encryption: Parameters<typeof segmentWriter>[1], range: SizeRange | undefined) {
  const maxSize = Math.min(ctx.services.config.maxObjectSize, range?.max ?? Infinity);
  let written: Awaited<ReturnType<ReturnType<typeof segmentWriter>>>;
  try {
    written = await segmentWriter(ctx, encryption)(stream, { maxSize });
  } catch (error) {
    if (error instanceof BlobTooLargeError) {
      await drain(stream, MAX_DRAIN_BYTES).catch(() => undefined);
      throw new OssError("EntityTooLarge", "Your proposed upload exceeds the maximum allowed size.", { cause: error });
    }
    throw error;
  }
  if (range && written.blob.size < range.min) {
    await ctx.services.blobs.delete(written.blob.id);
    throw new OssError("EntityTooSmall", "Your proposed upload is smaller than the minimum allowed size.");
  }
  return written;
}

function respond(ctx: RequestContext, fields: ReadonlyMap<string, string>, b: BucketRecord, key: string, etag: string, headers: Record<string, string>): void {
  const redirect = fields.get("success_action_redirect");
  if (redirect) {
    const url = new URL(redirect);
    url.searchParams.set("bucket", b.name);
    url.searchParams.set("key", key);
    url.searchParams.set("etag", etag);
    sendEmpty(ctx, 303, { ...headers, location: url.toString() });
    return;
  }
  const status = fields.get("success_action_status");
  if (status === "200") return sendEmpty(ctx, 200, headers);
  if (status === "201") {
    const host = ctx.headers.host ?? "";
    sendXml(ctx, 201, "PostResponse", { Bucket: b.name, Location: `http://${host}/${key}`, Key: key, ETag: etag }, { headers });
    return;
  }
  sendEmpty(ctx, 204, headers);
}
