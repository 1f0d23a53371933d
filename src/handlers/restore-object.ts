/**
 * RestoreObject: `POST /key?restore` with an optional
 * `<RestoreRequest><Days>N</Days><JobParameters><Tier>Expedited|Standard|Bulk</Tier></JobParameters></RestoreRequest>`.
 *
 * As OSS: 202 on a first (or post-expiry) request; 200 when the restored copy is already readable
 * (its expiry is pushed to now + Days, never earlier); 409 RestoreAlreadyInProgress while ongoing;
 * 400 OperationNotSupported for Standard/IA objects; MalformedXML for JobParameters on an Archive object;
 * `x-oss-object-restore-priority: <Tier>` on Cold Archive / Deep Cold Archive answers. Completion is computed from timestamps
 * (readyAt = now + the class/tier delay; expiresAt = readyAt + Days), so no job polls restores.
 * Days: Archive 1–7, ColdArchive/DeepColdArchive 1–365 (default 1). DeepColdArchive has no Bulk tier.
 */
import type { RequestContext } from "../http/context.js";
import { sendEmpty } from "../http/context.js";
import { OssError } from "../errors/oss-error.js";
import { parseXmlBody, textOf } from "../http/xml.js";
import type { BucketRecord, ObjectRecord, StorageClass } from "../storage/types.js";
import { readSmallBody } from "../objects/write.js";
import { DAY_MS, isArchiveClass, restorePhase } from "../objects/storage-class.js";
import { RESTORE_TIERS, restoreDelayMs, type RestoreTier } from "../objects/restore-delays.js";
import { endpointKey, requireBucket } from "./types.js";
import { missingTarget, updateTargetVersion } from "./object-version.js";
import { announceVersion } from "./version-headers.js";
import { NULL_VERSION } from "../storage/types.js";

interface RestoreRequest {
  readonly days: number | undefined;
  readonly tier: RestoreTier | undefined;
}

const MAX_DAYS: Readonly<Record<StorageClass, number>> = { Standard: 0, IA: 0, Archive: 7, ColdArchive: 365, DeepColdArchive: 365 };

export function parseRestoreRequest(body: Buffer): RestoreRequest {
  if (body.length === 0) return { days: undefined, tier: undefined };
  const root = parseXmlBody(body, "RestoreRequest");
  for (const name of Object.keys(root)) {
    // OSS answers MalformedXML for nodes it does not know (GlacierJobParameters, OutputLocation, Type…).
    if (name !== "Days" && name !== "JobParameters") throw new OssError("MalformedXML", `RestoreRequest does not support the ${name} node.`);
  }
  const daysText = textOf(root.Days);
  if (daysText !== undefined && !/^[1-9][0-9]{0,3}$/.test(daysText)) {
    throw new OssError("InvalidArgument", "Days must be a positive integer.", { extra: { ArgumentName: "Days", ArgumentValue: daysText } });
  }
  const job = root.JobParameters;
  const tierText = job === undefined ? undefined : textOf((job as Record<string, unknown>).Tier);
  if (job !== undefined && !(RESTORE_TIERS as readonly (string | undefined)[]).includes(tierText)) {
    throw new OssError("InvalidArgument", "Tier must be Expedited, Standard or Bulk.", { extra: { ArgumentName: "Tier", ArgumentValue: tierText ?? "" } });
  }
  return { days: daysText === undefined ? undefined : Number(daysText), tier: tierText as RestoreTier | undefined };
}

function checkRequest(object: ObjectRecord, request: RestoreRequest): void {
  if (object.storageClass === "Archive" && request.tier !== undefined) {
    // Archive restores have no priority: OSS refuses the node (ali-oss "Should not set JobParameters").
    throw new OssError("MalformedXML", "JobParameters applies to ColdArchive and DeepColdArchive objects only.");
  }
  const max = MAX_DAYS[object.storageClass];
  if (request.days !== undefined && request.days > max) {
    throw new OssError("InvalidArgument", `Days must be between 1 and ${max} for ${object.storageClass} objects.`, {
      extra: { ArgumentName: "Days", ArgumentValue: String(request.days) },
    });
  }
  if (object.storageClass === "DeepColdArchive" && request.tier === "Bulk") {
    throw new OssError("InvalidArgument", "DeepColdArchive objects support the Expedited and Standard tiers only.", {
      extra: { ArgumentName: "Tier", ArgumentValue: "Bulk" },
    });
  }
}

export async function restoreObject(ctx: RequestContext, bucket: BucketRecord | undefined): Promise<void> {
  const b = requireBucket(bucket);
  const key = endpointKey(ctx);
  const request = parseRestoreRequest(await readSmallBody(ctx.req, 64 * 1024));
  const { config, clock } = ctx.services;
  const now = clock.now();
  let status: 200 | 202 = 202;
  let refusal: OssError | undefined;
  // One transaction: two concurrent first requests cannot both get 202.
  const updated = await updateTargetVersion(ctx, b.name, key, (current) => {
    try {
      if (!current) throw missingTarget(ctx, key);
      if (!isArchiveClass(current.storageClass)) {
        throw new OssError("OperationNotSupported", `RestoreObject applies to Archive, ColdArchive and DeepColdArchive objects; this one is ${current.storageClass}.`);
      }
      checkRequest(current, request);
    } catch (error) {
      refusal = error as OssError;
      return undefined;
    }
    const days = request.days ?? 1;
    const phase = restorePhase(current, now);
    if (phase === "ongoing") {
      refusal = new OssError("RestoreAlreadyInProgress");
      return undefined;
    }
    if (phase === "restored") {
      status = 200;
      const restore = current.restore!;
      const expiresAt = new Date(Math.max(restore.expiresAt.getTime(), now.getTime() + days * DAY_MS));
      return { ...current, restore: { ...restore, expiresAt } };
    }
    const tier = request.tier ?? "Standard";
    const readyAt = new Date(now.getTime() + restoreDelayMs(config, current.storageClass, tier));
    return { ...current, restore: { requestedAt: now, readyAt, expiresAt: new Date(readyAt.getTime() + days * DAY_MS), tier } };
  });
  if (refusal) throw refusal;
  if (!updated) throw new OssError("InternalError");
  ctx.usage.storageClass = updated.storageClass;
  ctx.usage.restoreRequest = status === 202; // an extension retrieves nothing again
  // OSS names the restore priority for Cold Archive and Deep Cold Archive objects.
  if (ctx.query.has("versionId")) announceVersion(ctx, updated.versionId ?? NULL_VERSION);
  const priority = updated.storageClass === "Archive" ? undefined : updated.restore?.tier;
  sendEmpty(ctx, status, priority ? { "x-oss-object-restore-priority": priority } : {});
}
