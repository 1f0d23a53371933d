/**
 * One inventory report, as OSS lays it out in the destination bucket:
 *
 *   <Prefix>/<src_bucket>/<inventory_id>/data/<uuid>.csv.gz           the listing (gzip CSV; uuid-1, uuid-2… past 1M rows)
 *   <Prefix>/<src_bucket>/<inventory_id>/YYYY-MM-DDTHH-MMZ/manifest.json
 *   <Prefix>/<src_bucket>/<inventory_id>/YYYY-MM-DDTHH-MMZ/manifest.checksum   (MD5 of manifest.json, hex)
 *
 * CSV columns: Bucket, Key (URL-encoded), then with IncludedObjectVersions=All VersionId, IsLatest,
 * IsDeleteMarker, then the configured OptionalFields in OSS's order (Size, LastModifiedDate, ETag,
 * StorageClass, IsMultipartUploaded, EncryptionStatus, ObjectAcl, TaggingCount, ObjectType, Crc64);
 * every value in double quotes. manifest.json names the files with their size and MD5 and the
 * column list (`fileSchema`); it is written last, so a report without one is incomplete (a run
 * that crashed) and never a partial listing passed off as whole.
 */
import { createHash, randomUUID } from "node:crypto";
import { gzipSync } from "node:zlib";
import type { Services } from "../services.js";
import type { BucketRecord, ObjectRecord, VersionEntry } from "../storage/types.js";
import { writeObjectIfAbsent } from "../objects/internal-write.js";
import { OPTIONAL_FIELDS, type InventoryConfig } from "./config.js";

/** Rows per data file (OSS splits large listings into uuid.csv.gz, uuid-1.csv.gz, …). */
export const ROWS_PER_FILE = 1_000_000;
const PAGE = 1000;

export interface InventoryReport {
  readonly manifestKey: string;
  readonly files: readonly { readonly key: string; readonly size: number; readonly rows: number }[];
  readonly rows: number;
}

/** `2020-05-17T16-00Z`: the scan's start, GMT, to the minute. */
export function reportStamp(at: Date): string {
  return at.toISOString().slice(0, 16).replace(":", "-") + "Z";
}

function csvValue(value: string): string {
  return `"${value.replaceAll('"', '""')}"`;
}

function columns(config: InventoryConfig): string[] {
  const versions = config.includedObjectVersions === "All" ? ["VersionId", "IsLatest", "IsDeleteMarker"] : [];
  return ["Bucket", "Key", ...versions, ...OPTIONAL_FIELDS.filter((f) => config.optionalFields.includes(f))];
}

function field(name: string, object: ObjectRecord): string {
  switch (name) {
    case "Size": return String(object.size);
    case "LastModifiedDate": return object.lastModified.toISOString().replace(/\.\d{3}Z$/, "Z");
    case "ETag": return object.etag.toUpperCase();
    case "StorageClass": return object.storageClass;
    case "IsMultipartUploaded": return String(object.type === "Multipart");
    case "EncryptionStatus": return String(object.serverSideEncryption !== undefined);
    case "ObjectAcl": return object.acl;
    case "TaggingCount": return String(object.tags?.length ?? 0);
    case "ObjectType": return object.type;
    case "Crc64": return object.crc64;
    default: return "";
  }
}

function row(config: InventoryConfig, entry: VersionEntry): string {
  const key = entry.kind === "version" ? entry.record.key : entry.marker.key;
  const bucket = entry.kind === "version" ? entry.record.bucket : entry.marker.bucket;
  const values = [bucket, encodeURIComponent(key)];
  if (config.includedObjectVersions === "All") {
    const versionId = entry.kind === "version" ? entry.record.versionId : entry.marker.versionId;
    values.push(versionId ?? "null", String(entry.isLatest), String(entry.kind === "marker"));
  }
  for (const name of OPTIONAL_FIELDS.filter((f) => config.optionalFields.includes(f))) {
    values.push(entry.kind === "version" ? field(name, entry.record) : "");
  }
  return values.map(csvValue).join(",");
}

/** The source's entries in key order: current objects, or every version and delete marker. */
async function* entries(services: Services, source: string, config: InventoryConfig): AsyncGenerator<VersionEntry> {
  if (config.includedObjectVersions === "All") {
    let keyMarker = "";
    let versionIdMarker = "";
    for (;;) {
      const page = await services.meta.listObjectVersions({ bucket: source, prefix: config.prefix, delimiter: "", keyMarker, versionIdMarker, maxKeys: PAGE });
      yield* page.entries;
      if (!page.isTruncated || page.nextKeyMarker === undefined) return;
      keyMarker = page.nextKeyMarker;
      versionIdMarker = page.nextVersionIdMarker ?? "";
    }
  }
  let after = "";
  for (;;) {
    const page = await services.meta.listObjects({ bucket: source, prefix: config.prefix, delimiter: "", after, maxKeys: PAGE });
    for (const record of page.objects) yield { kind: "version", record, isLatest: true };
    if (!page.isTruncated || page.nextMarker === undefined) return;
    after = page.nextMarker;
  }
}

/** Lists `source` for `config` and writes the report into `destination`. */
export async function writeInventoryReport(services: Services, source: BucketRecord, destination: BucketRecord, config: InventoryConfig, at: Date): Promise<InventoryReport> {
  const base = `${config.destinationPrefix === "" ? "" : `${config.destinationPrefix.replace(/\/+$/, "")}/`}${source.name}/${config.id}/`;
  const uuid = randomUUID();
  const files: Array<{ key: string; size: number; rows: number; md5: string }> = [];
  let lines: string[] = [];
  let rows = 0;
  const flush = async (): Promise<void> => {
    const key = `${base}data/${uuid}${files.length === 0 ? "" : `-${files.length}`}.csv.gz`;
    const body = gzipSync(Buffer.from(lines.map((l) => `${l}\n`).join(""), "utf8"));
    await writeObjectIfAbsent(services, destination, key, body, "application/x-gzip");
    files.push({ key, size: body.length, rows: lines.length, md5: createHash("md5").update(body).digest("hex").toUpperCase() });
    lines = [];
  };
  for await (const entry of entries(services, source.name, config)) {
    lines.push(row(config, entry));
    rows++;
    if (lines.length >= ROWS_PER_FILE) await flush();
  }
  if (lines.length > 0 || files.length === 0) await flush();
  const manifest = {
    creationTimestamp: String(Math.floor(at.getTime() / 1000)),
    destinationBucket: destination.name,
    fileFormat: "CSV",
    fileSchema: columns(config).join(", "),
    files: files.map((f) => ({ MD5checksum: f.md5, key: f.key, size: f.size })),
    sourceBucket: source.name,
    version: "2019-09-01",
  };
  const manifestBody = Buffer.from(JSON.stringify(manifest, null, 2), "utf8");
  const folder = `${base}${reportStamp(at)}/`;
  await writeObjectIfAbsent(services, destination, `${folder}manifest.checksum`, Buffer.from(createHash("md5").update(manifestBody).digest("hex").toUpperCase(), "utf8"), "text/plain");
  await writeObjectIfAbsent(services, destination, `${folder}manifest.json`, manifestBody, "application/json");
  return { manifestKey: `${folder}manifest.json`, files: files.map(({ key, size, rows: r }) => ({ key, size, rows: r })), rows };
}
