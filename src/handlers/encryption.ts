/** Server-side encryption headers: validated now, implemented with the KMS work (issue: encryption). */
import { OssError } from "../errors/oss-error.js";

export function rejectUnsupportedEncryption(headers: Readonly<Record<string, string>>): void {
  const algorithm = headers["x-oss-server-side-encryption"];
  if (algorithm === undefined) {
    if (headers["x-oss-server-side-encryption-key-id"] !== undefined) {
      throw new OssError("InvalidArgument", "x-oss-server-side-encryption-key-id is only valid with x-oss-server-side-encryption: KMS.");
    }
    return;
  }
  if (algorithm !== "AES256" && algorithm !== "KMS" && algorithm !== "SM4") {
    throw new OssError("InvalidEncryptionAlgorithmError", `The encryption algorithm ${algorithm} is not supported.`);
  }
  throw new OssError("NotImplemented", `Server-side encryption (${algorithm}) is not implemented by this server yet.`);
}
