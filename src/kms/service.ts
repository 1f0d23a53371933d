/**
 * The embedded KMS as a service: customer master keys (CMKs) of symmetric `Aliyun_AES_256` spec
 * whose material never leaves this process unsealed, and envelope operations on them. Used by the
 * RPC actions (`actions.ts`) and by the object layer for SSE-KMS. Authorization is the caller's job
 * (the RPC actions check `kms:<Action>`; the object layer checks `kms:Decrypt` before reading).
 *
 * Errors: KmsKeyNotFoundError, KmsKeyDisabledError, KmsCiphertextError (see errors.ts).
 */
import { randomBytes, randomUUID } from "node:crypto";
import { join } from "node:path";
import type { SecretBox } from "../iam/secret-box.js";
import { SqliteKmsKeyStore } from "./store.js";
import type { KeyRecord, KeyState, KmsKeyStore } from "./key-store.js";
import { KmsCiphertextError, KmsKeyDisabledError, KmsKeyNotFoundError } from "./errors.js";
import { isKeyUuid, openBlob, readBlobHeader, sealBlob, type EncryptionContext } from "./ciphertext-blob.js";

export const DEFAULT_KEY_DESCRIPTION = "Default master key that protects my OSS objects when no other key is defined";

export interface DataKey {
  readonly plaintext: Buffer;
  readonly ciphertextBlob: string;
  readonly keyId: string;
  readonly keyVersionId: string;
}

export interface CreateKeyOptions {
  readonly description?: string;
  /** The creating account's UID (KMS reports it as `Creator`). */
  readonly creator?: string;
}

function kmsDate(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

export class KmsService {
  constructor(private readonly store: KmsKeyStore, readonly region: string) {}

  /** Opens (creating when needed) `<dataDir>/kms.sqlite`; material is sealed with `box` (the server master key). */
  static open(dataDir: string, box: SecretBox, region: string): KmsService {
    return new KmsService(new SqliteKmsKeyStore(join(dataDir, "kms.sqlite"), box), region);
  }

  /** `acs:kms:{region}:{account}:key/{keyId}` (also for keys that don't exist, so access is checked first). */
  keyArn(accountId: string, keyId: string): string {
    return `acs:kms:${this.region}:${accountId}:key/${keyId}`;
  }

  /** Accepts a key id or its ARN; anything else can't name a key of ours. */
  static parseKeyId(value: string): string | undefined {
    const id = value.startsWith("acs:kms:") ? value.slice(value.lastIndexOf(":key/") + 5) : value;
    return isKeyUuid(id) ? id : undefined;
  }

  async createKey(accountId: string, options: CreateKeyOptions = {}): Promise<KeyRecord> {
    return await this.insertKey(accountId, options, false);
  }

  /** The key, if it exists and belongs to `accountId`, else KmsKeyNotFoundError. */
  async describe(accountId: string, keyIdOrArn: string): Promise<KeyRecord> {
    const keyId = KmsService.parseKeyId(keyIdOrArn);
    const key = keyId === undefined ? undefined : await this.store.get(keyId);
    if (!key || key.accountId !== accountId) throw new KmsKeyNotFoundError(keyIdOrArn);
    return key;
  }

  async list(accountId: string, pageNumber: number, pageSize: number): Promise<{ keys: KeyRecord[]; total: number }> {
    return await this.store.list(accountId, (pageNumber - 1) * pageSize, pageSize);
  }

  async enable(accountId: string, keyId: string): Promise<KeyRecord> {
    return await this.setState(accountId, keyId, "Enabled");
  }

  async disable(accountId: string, keyId: string): Promise<KeyRecord> {
    return await this.setState(accountId, keyId, "Disabled");
  }

  /** A fresh random data key (default 32 bytes) and its CiphertextBlob under the CMK. */
  async generateDataKey(accountId: string, keyId: string, numberOfBytes = 32, context?: EncryptionContext): Promise<DataKey> {
    const key = await this.usable(accountId, keyId);
    const plaintext = randomBytes(numberOfBytes);
    const ciphertextBlob = sealBlob(await this.store.material(key), key, plaintext, context);
    return { plaintext, ciphertextBlob, keyId: key.keyId, keyVersionId: key.keyVersionId };
  }

  async encrypt(accountId: string, keyId: string, plaintext: Buffer, context?: EncryptionContext): Promise<Omit<DataKey, "plaintext">> {
    const key = await this.usable(accountId, keyId);
    return { ciphertextBlob: sealBlob(await this.store.material(key), key, plaintext, context), keyId: key.keyId, keyVersionId: key.keyVersionId };
  }

  /** The CMK a CiphertextBlob names (to authorize `kms:Decrypt` on it before decrypting). */
  keyIdOf(ciphertextBlob: string): string {
    return readBlobHeader(ciphertextBlob).keyId;
  }

  async decrypt(accountId: string, ciphertextBlob: string, context?: EncryptionContext): Promise<Omit<DataKey, "ciphertextBlob">> {
    const header = readBlobHeader(ciphertextBlob);
    const key = await this.usable(accountId, header.keyId);
    if (header.keyVersionId !== key.keyVersionId) throw new KmsCiphertextError("it names an unknown key version.");
    return { plaintext: openBlob(await this.store.material(key), ciphertextBlob, context), keyId: key.keyId, keyVersionId: key.keyVersionId };
  }

  /**
   * The account's default CMK for SSE-KMS without `x-oss-server-side-encryption-key-id`, created
   * on first use (concurrent first uses agree on one key through a unique index).
   */
  async defaultKeyId(accountId: string): Promise<string> {
    const existing = await this.store.defaultKey(accountId);
    if (existing) return existing.keyId;
    try {
      return (await this.insertKey(accountId, { description: DEFAULT_KEY_DESCRIPTION, creator: accountId }, true)).keyId;
    } catch (error) {
      const raced = await this.store.defaultKey(accountId);
      if (raced) return raced.keyId;
      throw error;
    }
  }

  async close(): Promise<void> {
    await this.store.close();
  }

  private async insertKey(accountId: string, options: CreateKeyOptions, isDefault: boolean): Promise<KeyRecord> {
    const key: KeyRecord = {
      keyId: randomUUID(),
      accountId,
      description: options.description ?? "",
      keyState: "Enabled",
      keyUsage: "ENCRYPT/DECRYPT",
      keySpec: "Aliyun_AES_256",
      creator: options.creator ?? accountId,
      creationDate: kmsDate(new Date()),
      keyVersionId: randomUUID(),
      isDefault,
    };
    if ((await this.store.insert(key, randomBytes(32))) === "default-exists") throw new Error("default key created concurrently");
    return key;
  }

  private async setState(accountId: string, keyId: string, state: KeyState): Promise<KeyRecord> {
    const key = await this.describe(accountId, keyId);
    if (key.keyState === "PendingDeletion") throw new KmsKeyDisabledError(key.keyId, key.keyState);
    // The store refuses a key that went PendingDeletion meanwhile (or was removed): same answer as above.
    if (!(await this.store.setState(key.keyId, state))) throw new KmsKeyDisabledError(key.keyId, "PendingDeletion");
    return { ...key, keyState: state };
  }

  private async usable(accountId: string, keyId: string): Promise<KeyRecord> {
    const key = await this.describe(accountId, keyId);
    if (key.keyState !== "Enabled") throw new KmsKeyDisabledError(key.keyId, key.keyState);
    return key;
  }
}
