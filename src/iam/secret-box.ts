/**
 * Encrypts secrets at rest (access key secrets, STS secrets; KMS master keys later) with
 * AES-256-GCM under the server master key: BARBUCKET_MASTER_KEY, or a random 32-byte key kept in
 * `<dataDir>/master.key` (mode 0600, created once). Signature checks need the plaintext secret, so hashing is not an option.
 */
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { loadMasterKey, type ConfiguredKey } from "../crypto/master-key.js";

const VERSION = "v1";

export class SecretBox {
  private constructor(private readonly key: Buffer) {}

  /** The configured master key (BARBUCKET_MASTER_KEY), else the data dir's, created on first start (crypto/master-key.ts). */
  static open(dataDir: string, configured?: ConfiguredKey): SecretBox {
    return new SecretBox(loadMasterKey(dataDir, configured));
  }

  static fromKey(key: Buffer): SecretBox {
    if (key.length !== 32) throw new Error("master key must be 32 bytes");
    return new SecretBox(key);
  }

  /** `v1.<iv>.<tag>.<ciphertext>` (base64url parts); `context` is bound as associated data. */
  seal(plaintext: string, context: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", this.key, iv);
    cipher.setAAD(Buffer.from(context));
    const data = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
    return [VERSION, iv.toString("base64url"), cipher.getAuthTag().toString("base64url"), data.toString("base64url")].join(".");
  }

  open(sealed: string, context: string): string {
    const [version, iv, tag, data] = sealed.split(".");
    if (version !== VERSION || !iv || !tag || data === undefined) throw new Error("sealed secret has an unknown format");
    const decipher = createDecipheriv("aes-256-gcm", this.key, Buffer.from(iv, "base64url"));
    decipher.setAAD(Buffer.from(context));
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    return Buffer.concat([decipher.update(Buffer.from(data, "base64url")), decipher.final()]).toString("utf8");
  }
}
