/**
 * Typed KMS failures. The RPC actions map them to the codes Alibaba Cloud KMS returns (its public
 * error table); the object layer maps them to OSS codes. `rpcCode`/`httpStatus` are the KMS ones.
 */
export abstract class KmsError extends Error {
  abstract readonly rpcCode: string;
  abstract readonly httpStatus: number;
}

/** Unknown key id (or a key of another account): KMS `Forbidden.KeyNotFound` 404. */
export class KmsKeyNotFoundError extends KmsError {
  readonly rpcCode = "Forbidden.KeyNotFound";
  readonly httpStatus = 404;
  constructor(readonly keyId: string) {
    super("The specified Key is not found.");
    this.name = "KmsKeyNotFoundError";
  }
}

/** The key exists but is not Enabled: KMS `Rejected.Disabled` / `Rejected.PendingDeletion` 409. */
export class KmsKeyDisabledError extends KmsError {
  readonly httpStatus = 409;
  constructor(readonly keyId: string, readonly keyState: string) {
    super(`The request was rejected because the key state is ${keyState}.`);
    this.name = "KmsKeyDisabledError";
  }
  get rpcCode(): string {
    return this.keyState === "PendingDeletion" ? "Rejected.PendingDeletion" : "Rejected.Disabled";
  }
}

/**
 * A CiphertextBlob that is malformed, tampered with, or given with another EncryptionContext.
 * KMS documents no dedicated code in its public table; it answers `InvalidParameter` 400.
 */
export class KmsCiphertextError extends KmsError {
  readonly rpcCode = "InvalidParameter";
  readonly httpStatus = 400;
  constructor(detail: string) {
    super(`The specified parameter "CiphertextBlob" is not valid: ${detail}`);
    this.name = "KmsCiphertextError";
  }
}
