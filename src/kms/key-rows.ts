/** A KMS key's row as both backends store it (store.ts on SQLite, pg-store.ts on PostgreSQL). */
import type { KeyRecord, KeyState } from "./key-store.js";

export interface KeyRow {
  key_id: string;
  account_id: string;
  description: string;
  key_state: KeyState;
  key_usage: string;
  key_spec: string;
  creator: string;
  creation_date: string;
  key_version_id: string;
  /** 0/1 in SQLite, a boolean in PostgreSQL. */
  is_default: number | boolean;
}

export const KEY_COLUMNS = "key_id, account_id, description, key_state, key_usage, key_spec, creator, creation_date, key_version_id, is_default";

export function keyRecordOf(row: KeyRow): KeyRecord {
  return {
    keyId: row.key_id,
    accountId: row.account_id,
    description: row.description,
    keyState: row.key_state,
    keyUsage: row.key_usage,
    keySpec: row.key_spec,
    creator: row.creator,
    creationDate: row.creation_date,
    keyVersionId: row.key_version_id,
    isDefault: row.is_default === 1 || row.is_default === true,
  };
}

/**
 * The associated data sealed material is bound to: its key id and version, so material copied to
 * another key's row won't open. Both backends use it, so the sealed text is the same in either.
 */
export function materialContext(keyId: string, keyVersionId: string): string {
  return `kms/key-material/${keyId}/${keyVersionId}`;
}
