/**
 * Where the embedded KMS keeps its customer master keys. Asynchronous (issue 19: a PostgreSQL
 * backend's client is); the SQLite implementation is `store.ts`, and every backend must pass
 * `conformance-keys.ts`. Material goes in and out unsealed: a backend seals it at rest with the
 * server master key and binds it to its key id and version.
 */
export type KeyState = "Enabled" | "Disabled" | "PendingDeletion";

export interface KeyRecord {
  readonly keyId: string;
  readonly accountId: string;
  readonly description: string;
  readonly keyState: KeyState;
  readonly keyUsage: string;
  readonly keySpec: string;
  readonly creator: string;
  /** ISO 8601 without milliseconds, as KMS prints it: `2024-01-01T00:00:00Z`. */
  readonly creationDate: string;
  readonly keyVersionId: string;
  readonly isDefault: boolean;
}

export interface KmsKeyStore {
  /** Inserts a key with its material. A second default key for an account → "default-exists" (atomic: one wins a race). */
  insert(key: KeyRecord, material: Buffer): Promise<"created" | "default-exists">;
  get(keyId: string): Promise<KeyRecord | undefined>;
  /** The account's default key (SSE-KMS without a key id), if created yet. */
  defaultKey(accountId: string): Promise<KeyRecord | undefined>;
  /** The account's keys in creation order, a page of them, and how many there are. */
  list(accountId: string, offset: number, limit: number): Promise<{ keys: KeyRecord[]; total: number }>;
  /** Sets the state unless the key is missing or PendingDeletion (then false): one atomic update. */
  setState(keyId: string, state: KeyState): Promise<boolean>;
  /** The unsealed 256-bit material of a key (throws if missing or tampered with). */
  material(key: KeyRecord): Promise<Buffer>;
  close(): Promise<void>;
}
