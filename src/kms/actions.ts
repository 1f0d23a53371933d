/**
 * KMS 2016-01-20 RPC actions on the embedded KMS: CreateKey, DescribeKey, ListKeys, EnableKey,
 * DisableKey, GenerateDataKey, Encrypt, Decrypt. Response fields as the `@alicloud/kms20160120`
 * models name them; the RPC server adds `RequestId`.
 *
 * Every action is authorized with `kms:<Action>` on the key's ARN
 * (`acs:kms:{region}:{account}:key/{keyId}`), or on `acs:kms:{region}:{account}:key` for the
 * key-less CreateKey and ListKeys. The ARN is built before the key is looked up, so a caller
 * without permission learns nothing about which keys exist.
 */
import type { RpcCall, RpcHandler } from "../rpc/registry.js";
import { RpcError } from "../rpc/errors.js";
import { authorizeRpc } from "../authz/rpc-authorize.js";
import type { KeyRecord } from "./key-store.js";
import { KmsService } from "./service.js";
import { KmsError } from "./errors.js";
import type { EncryptionContext } from "./ciphertext-blob.js";

const MAX_PLAINTEXT = 6 * 1024;

function invalid(name: string, detail = ""): RpcError {
  return new RpcError(400, "InvalidParameter", `The specified parameter "${name}" is not valid.${detail ? ` ${detail}` : ""}`);
}

function required(call: RpcCall, name: string): string {
  const value = call.params[name];
  if (value === undefined || value === "") throw new RpcError(400, "MissingParameter", `The parameter "${name}" is needed but not provided.`);
  return value;
}

function optional(call: RpcCall, name: string): string | undefined {
  const value = call.params[name];
  return value === undefined || value === "" ? undefined : value;
}

function integer(call: RpcCall, name: string, fallback: number, min: number, max: number): number {
  const raw = optional(call, name);
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < min || n > max) throw invalid(name, `It must be an integer from ${min} to ${max}.`);
  return n;
}

function base64(call: RpcCall, name: string): Buffer {
  const raw = required(call, name);
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(raw) || raw.length % 4 !== 0) throw invalid(name, "It must be Base64-encoded.");
  return Buffer.from(raw, "base64");
}

/** `EncryptionContext`: a JSON object of string values (bound to the ciphertext as AAD). */
function encryptionContext(call: RpcCall): EncryptionContext | undefined {
  const raw = optional(call, "EncryptionContext");
  if (raw === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw invalid("EncryptionContext", "It must be a JSON object.");
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed) || Object.values(parsed).some((v) => typeof v !== "string")) {
    throw invalid("EncryptionContext", "It must be a JSON object of string values.");
  }
  return parsed as EncryptionContext;
}

function kms(call: RpcCall): KmsService {
  return call.services.kms;
}

/** The KeyId parameter, authorized for `action` on its ARN. Aliases are not supported here. */
async function authorizedKeyId(call: RpcCall, action: string): Promise<string> {
  const raw = required(call, "KeyId");
  if (raw.startsWith("alias/")) throw new RpcError(404, "Forbidden.AliasNotFound", "The specified Alias is not found.");
  const keyId = KmsService.parseKeyId(raw) ?? raw;
  await authorizeRpc(call, `kms:${action}`, kms(call).keyArn(call.principal.accountId, keyId));
  return keyId;
}

function accountResource(call: RpcCall): string {
  return `acs:kms:${kms(call).region}:${call.principal.accountId}:key`;
}

/** The `KeyMetadata` model. */
function keyMetadata(call: RpcCall, key: KeyRecord): Record<string, unknown> {
  return {
    KeyId: key.keyId,
    Arn: kms(call).keyArn(key.accountId, key.keyId),
    Description: key.description,
    KeyState: key.keyState,
    KeyUsage: key.keyUsage,
    KeySpec: key.keySpec,
    Origin: "Aliyun_KMS",
    ProtectionLevel: "SOFTWARE",
    CreationDate: key.creationDate,
    Creator: key.creator,
    PrimaryKeyVersion: key.keyVersionId,
    LastRotationDate: key.creationDate,
    AutomaticRotation: "Disabled",
    DeletionProtection: "Disabled",
    DeleteDate: "",
    MaterialExpireTime: "",
  };
}

async function createKey(call: RpcCall): Promise<Record<string, unknown>> {
  const usage = optional(call, "KeyUsage") ?? "ENCRYPT/DECRYPT";
  if (usage !== "ENCRYPT/DECRYPT") throw invalid("KeyUsage", "Only ENCRYPT/DECRYPT is supported.");
  const spec = optional(call, "KeySpec") ?? "Aliyun_AES_256";
  if (spec !== "Aliyun_AES_256") throw invalid("KeySpec", "Only Aliyun_AES_256 is supported.");
  if ((optional(call, "Origin") ?? "Aliyun_KMS") !== "Aliyun_KMS") throw new RpcError(400, "Unsupported.Origin", "This key origin is not valid for this api.");
  if ((optional(call, "ProtectionLevel") ?? "SOFTWARE") !== "SOFTWARE") throw new RpcError(400, "Unsupported.ProtectionLevel", "This protection level is not valid for this region");
  const description = optional(call, "Description") ?? "";
  if (description.length > 8192) throw invalid("Description", "It must be at most 8192 characters.");
  await authorizeRpc(call, "kms:CreateKey", accountResource(call));
  const key = await kms(call).createKey(call.principal.accountId, { description, creator: call.principal.accountId });
  return { KeyMetadata: keyMetadata(call, key) };
}

async function describeKey(call: RpcCall): Promise<Record<string, unknown>> {
  const keyId = await authorizedKeyId(call, "DescribeKey");
  return { KeyMetadata: keyMetadata(call, await kms(call).describe(call.principal.accountId, keyId)) };
}

async function listKeys(call: RpcCall): Promise<Record<string, unknown>> {
  const pageNumber = integer(call, "PageNumber", 1, 1, 1_000_000);
  const pageSize = integer(call, "PageSize", 10, 1, 100);
  await authorizeRpc(call, "kms:ListKeys", accountResource(call));
  const { keys, total } = await kms(call).list(call.principal.accountId, pageNumber, pageSize);
  return {
    Keys: { Key: keys.map((k) => ({ KeyId: k.keyId, KeyArn: kms(call).keyArn(k.accountId, k.keyId) })) },
    TotalCount: total,
    PageNumber: pageNumber,
    PageSize: pageSize,
  };
}

async function enableKey(call: RpcCall): Promise<Record<string, unknown>> {
  await kms(call).enable(call.principal.accountId, await authorizedKeyId(call, "EnableKey"));
  return {};
}

async function disableKey(call: RpcCall): Promise<Record<string, unknown>> {
  await kms(call).disable(call.principal.accountId, await authorizedKeyId(call, "DisableKey"));
  return {};
}

async function generateDataKey(call: RpcCall): Promise<Record<string, unknown>> {
  const spec = optional(call, "KeySpec");
  if (spec !== undefined && spec !== "AES_256" && spec !== "AES_128") throw invalid("KeySpec", "It must be AES_256 or AES_128.");
  // NumberOfBytes wins over KeySpec; neither → 32 bytes (AES_256).
  const bytes = integer(call, "NumberOfBytes", spec === "AES_128" ? 16 : 32, 1, 1024);
  const context = encryptionContext(call);
  const keyId = await authorizedKeyId(call, "GenerateDataKey");
  const dk = await kms(call).generateDataKey(call.principal.accountId, keyId, bytes, context);
  return { KeyId: dk.keyId, KeyVersionId: dk.keyVersionId, CiphertextBlob: dk.ciphertextBlob, Plaintext: dk.plaintext.toString("base64") };
}

async function encrypt(call: RpcCall): Promise<Record<string, unknown>> {
  const plaintext = base64(call, "Plaintext");
  if (plaintext.length > MAX_PLAINTEXT) throw invalid("Plaintext", `It must decode to at most ${MAX_PLAINTEXT} bytes.`);
  const context = encryptionContext(call);
  const keyId = await authorizedKeyId(call, "Encrypt");
  const out = await kms(call).encrypt(call.principal.accountId, keyId, plaintext, context);
  return { KeyId: out.keyId, KeyVersionId: out.keyVersionId, CiphertextBlob: out.ciphertextBlob };
}

async function decrypt(call: RpcCall): Promise<Record<string, unknown>> {
  const blob = required(call, "CiphertextBlob");
  const context = encryptionContext(call);
  const service = kms(call);
  await authorizeRpc(call, "kms:Decrypt", service.keyArn(call.principal.accountId, service.keyIdOf(blob)));
  const out = await service.decrypt(call.principal.accountId, blob, context);
  return { KeyId: out.keyId, KeyVersionId: out.keyVersionId, Plaintext: out.plaintext.toString("base64") };
}

/** Turns typed KMS failures into the RPC errors KMS returns. */
function withKmsErrors(handler: (call: RpcCall) => Promise<Record<string, unknown>>): RpcHandler {
  return async (call) => {
    try {
      return await handler(call);
    } catch (error) {
      if (error instanceof KmsError) throw new RpcError(error.httpStatus, error.rpcCode, error.message);
      // KMS's own code for a RAM denial (its public error table), rather than RAM's `NoPermission`.
      if (error instanceof RpcError && error.code === "NoPermission") {
        throw new RpcError(403, "Forbidden.NoPermission", `This operation is forbidden by permission system. ${error.message}`);
      }
      throw error;
    }
  };
}

const KMS_2016_01_20: Readonly<Record<string, (call: RpcCall) => Promise<Record<string, unknown>>>> = {
  CreateKey: createKey,
  DescribeKey: describeKey,
  ListKeys: listKeys,
  EnableKey: enableKey,
  DisableKey: disableKey,
  GenerateDataKey: generateDataKey,
  Encrypt: encrypt,
  Decrypt: decrypt,
};

export const KMS_ACTIONS: Readonly<Record<string, RpcHandler>> = Object.fromEntries(
  Object.entries(KMS_2016_01_20).map(([action, handler]) => [`2016-01-20/${action}`, withKmsErrors(handler)]),
);
