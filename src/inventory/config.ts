/**
 * Bucket inventory configurations (PutBucketInventory / GetBucketInventory / ListBucketInventory /
 * DeleteBucketInventory, `/?inventory[&inventoryId=]`): parse and validate the OSS XML, serialize it back.
 * Stored as JSON in the bucket setting "inventory" (id → configuration).
 *
 * Validation, as OSS documents it: the body's Id equals `inventoryId` (1–64 characters of letters,
 * digits, `-`, `_`, `.`); IsEnabled true|false; Format CSV; AccountId the bucket owner's account
 * (EC 0020-00000028); RoleArn `acs:ram::<account>:role/<name>`; Bucket `acs:oss:::<name>` naming a
 * bucket of the same account (EC 0020-00000032 malformed, 0020-00000033 not the account's);
 * Encryption empty, SSE-OSS or SSE-KMS/KeyId; Frequency Daily|Weekly; IncludedObjectVersions
 * All|Current; OptionalFields from OSS's list. At most 1000 configurations a bucket; an Id already
 * configured is 409 InventoryAlreadyExist (EC 0020-00000042).
 */
import { OssError } from "../errors/oss-error.js";
import { asArray, parseXmlBody, textOf, type XmlNode } from "../http/xml.js";

export const INVENTORY_SETTING = "inventory";
export const MAX_INVENTORIES = 1000;
export const OPTIONAL_FIELDS = [
  "Size", "LastModifiedDate", "ETag", "StorageClass", "IsMultipartUploaded", "EncryptionStatus",
  "ObjectAcl", "TaggingCount", "ObjectType", "Crc64",
] as const;

export interface InventoryConfig {
  readonly id: string;
  readonly isEnabled: boolean;
  readonly prefix: string;
  readonly format: "CSV";
  readonly accountId: string;
  readonly roleArn: string;
  /** The destination bucket's name. */
  readonly bucket: string;
  readonly destinationPrefix: string;
  readonly encryption?: { readonly kind: "SSE-OSS" } | { readonly kind: "SSE-KMS"; readonly keyId: string };
  readonly frequency: "Daily" | "Weekly";
  readonly includedObjectVersions: "All" | "Current";
  readonly optionalFields: readonly string[];
}

function invalid(message: string, name: string, value: string | undefined, ec?: string): OssError {
  return new OssError("InvalidArgument", message, { ...(ec && { ec }), extra: { ArgumentName: name, ArgumentValue: value ?? "" } });
}

function node(value: unknown, where: string): Record<string, unknown> {
  if (value === "" || value === undefined) return {};
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new OssError("MalformedXML", `${where} must be an element.`);
  return value as Record<string, unknown>;
}

function oneOf<T extends string>(value: string | undefined, allowed: readonly T[], name: string): T {
  const match = allowed.find((a) => a === value);
  if (!match) throw invalid(`${name} must be ${allowed.join(" or ")}.`, name, value);
  return match;
}

export interface InventoryContext {
  /** The inventoryId of the request's query. */
  readonly inventoryId: string;
  /** The bucket owner's account id. */
  readonly accountId: string;
  /** Whether a bucket of that name exists and belongs to the account. */
  readonly ownsBucket: (name: string) => boolean;
}

export function parseInventory(body: Buffer, ctx: InventoryContext): InventoryConfig {
  const root = parseXmlBody(body, "InventoryConfiguration");
  const id = textOf(root.Id);
  if (!/^[A-Za-z0-9_.-]{1,64}$/.test(ctx.inventoryId)) throw invalid("inventoryId must be 1 to 64 letters, digits, hyphens, underscores or periods.", "inventoryId", ctx.inventoryId);
  if (id !== ctx.inventoryId) throw invalid("The Id in the body must equal the inventoryId of the request.", "Id", id);
  const isEnabled = oneOf(textOf(root.IsEnabled), ["true", "false"], "IsEnabled") === "true";
  const filter = node(root.Filter, "Filter");
  const destination = node(node(root.Destination, "Destination").OSSBucketDestination, "OSSBucketDestination");
  const format = oneOf(textOf(destination.Format), ["CSV"], "Format");
  const accountId = textOf(destination.AccountId);
  if (accountId !== ctx.accountId) throw invalid("AccountId must be the bucket owner's account id.", "AccountId", accountId, "0020-00000028");
  const roleArn = textOf(destination.RoleArn) ?? "";
  if (!/^acs:ram::\d+:role\/[A-Za-z0-9._-]{1,64}$/.test(roleArn)) throw invalid("RoleArn must be acs:ram::<account id>:role/<role name>.", "RoleArn", roleArn);
  const bucketArn = textOf(destination.Bucket) ?? "";
  const bucket = /^acs:oss:::([a-z0-9][a-z0-9-]{1,61}[a-z0-9])$/.exec(bucketArn)?.[1];
  if (bucket === undefined) throw invalid("Bucket must be acs:oss:::<bucket name>.", "Bucket", bucketArn, "0020-00000032");
  if (!ctx.ownsBucket(bucket)) throw invalid("The destination bucket does not exist in this account.", "Bucket", bucketArn, "0020-00000033");
  const schedule = node(root.Schedule, "Schedule");
  const optional = node(root.OptionalFields, "OptionalFields");
  const optionalFields = asArray(optional.Field).map((f) => oneOf(textOf(f), OPTIONAL_FIELDS, "Field"));
  if (new Set(optionalFields).size !== optionalFields.length) throw invalid("An optional field is listed twice.", "Field", optionalFields.join(","));
  const encryption = parseEncryption(destination.Encryption);
  return {
    id,
    isEnabled,
    prefix: textOf(filter.Prefix) ?? "",
    format,
    accountId,
    roleArn,
    bucket,
    destinationPrefix: textOf(destination.Prefix) ?? "",
    ...(encryption && { encryption }),
    frequency: oneOf(textOf(schedule.Frequency), ["Daily", "Weekly"], "Frequency"),
    includedObjectVersions: oneOf(textOf(root.IncludedObjectVersions), ["All", "Current"], "IncludedObjectVersions"),
    optionalFields,
  };
}

function parseEncryption(value: unknown): InventoryConfig["encryption"] {
  const element = node(value, "Encryption");
  const names = Object.keys(element);
  if (names.length === 0) return undefined;
  if (names.length > 1) throw invalid("Encryption takes one of SSE-OSS and SSE-KMS.", "Encryption", names.join(","));
  if (names[0] === "SSE-OSS") return { kind: "SSE-OSS" };
  if (names[0] === "SSE-KMS") {
    const keyId = textOf(node(element["SSE-KMS"], "SSE-KMS").KeyId);
    if (!keyId) throw invalid("SSE-KMS needs a KeyId.", "KeyId", keyId);
    return { kind: "SSE-KMS", keyId };
  }
  throw invalid("Encryption takes one of SSE-OSS and SSE-KMS.", "Encryption", names[0]);
}

export function inventoryXml(config: InventoryConfig): XmlNode {
  return {
    Id: config.id,
    IsEnabled: String(config.isEnabled),
    Filter: { Prefix: config.prefix },
    Destination: {
      OSSBucketDestination: {
        Format: config.format,
        AccountId: config.accountId,
        RoleArn: config.roleArn,
        Bucket: `acs:oss:::${config.bucket}`,
        Prefix: config.destinationPrefix,
        Encryption: config.encryption === undefined ? undefined
          : config.encryption.kind === "SSE-OSS" ? { "SSE-OSS": "" } : { "SSE-KMS": { KeyId: config.encryption.keyId } },
      },
    },
    Schedule: { Frequency: config.frequency },
    IncludedObjectVersions: config.includedObjectVersions,
    OptionalFields: { Field: [...config.optionalFields] },
  };
}
