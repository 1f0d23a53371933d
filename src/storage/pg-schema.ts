/**
 * The object metadata schema on PostgreSQL (migrations run by src/db/migrate.ts, component
 * "metadata"). The same tables as SQLite's (sqlite-schema.ts) at its current version, so the two
 * stores keep the same invariants; differences:
 *  - keys (and upload ids, which break ties in upload listings) are `COLLATE "C"`: byte order of
 *    their UTF-8, as OSS lists them and as SQLite's BINARY collation compares;
 *  - times are BIGINT milliseconds; JSON stays TEXT (round-tripped byte for byte);
 *  - versions are ordered by a SEQUENCE instead of a counter row, so concurrent versioned writes
 *    do not all conflict on one row (gaps are harmless: the sequence only orders).
 * Never edit a shipped step; add one.
 */
export const METADATA_COMPONENT = "metadata";

export const PG_METADATA_MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE buckets (
    name TEXT COLLATE "C" PRIMARY KEY,
    owner TEXT NOT NULL,
    acl TEXT NOT NULL,
    storage_class TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    region TEXT NOT NULL
  );
  CREATE INDEX buckets_by_owner ON buckets (owner, name);

  CREATE TABLE bucket_settings (
    bucket TEXT COLLATE "C" NOT NULL REFERENCES buckets (name) ON DELETE CASCADE,
    name TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (bucket, name)
  );

  CREATE TABLE objects (
    id BIGSERIAL PRIMARY KEY,
    bucket TEXT COLLATE "C" NOT NULL REFERENCES buckets (name),
    key TEXT COLLATE "C" NOT NULL,
    size BIGINT NOT NULL,
    etag TEXT NOT NULL,
    crc64 TEXT NOT NULL,
    last_modified BIGINT NOT NULL,
    content_type TEXT NOT NULL,
    headers TEXT NOT NULL,
    user_meta TEXT NOT NULL,
    acl TEXT NOT NULL,
    storage_class TEXT NOT NULL,
    type TEXT NOT NULL,
    owner TEXT NOT NULL,
    restore_requested_at BIGINT,
    restore_ready_at BIGINT,
    restore_expires_at BIGINT,
    restore_tier TEXT,
    class_since BIGINT,
    sse_algorithm TEXT,
    sse_kms_key_id TEXT,
    tags TEXT,
    symlink_target TEXT,
    version_id TEXT,
    version_seq BIGINT,
    UNIQUE (bucket, key)
  );

  -- One row per segment; indexed by blob so "is this blob still referenced?" is a lookup.
  CREATE TABLE object_segments (
    object_id BIGINT NOT NULL REFERENCES objects (id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    blob_id TEXT NOT NULL,
    size BIGINT NOT NULL,
    encryption TEXT,
    PRIMARY KEY (object_id, seq)
  );
  CREATE INDEX object_segments_by_blob ON object_segments (blob_id);

  CREATE TABLE uploads (
    upload_id TEXT COLLATE "C" PRIMARY KEY,
    bucket TEXT COLLATE "C" NOT NULL REFERENCES buckets (name),
    key TEXT COLLATE "C" NOT NULL,
    initiated BIGINT NOT NULL,
    template TEXT NOT NULL
  );
  CREATE INDEX uploads_by_key ON uploads (bucket, key, upload_id);

  CREATE TABLE parts (
    upload_id TEXT COLLATE "C" NOT NULL REFERENCES uploads (upload_id) ON DELETE CASCADE,
    part_number INTEGER NOT NULL,
    etag TEXT NOT NULL,
    size BIGINT NOT NULL,
    crc64 TEXT NOT NULL,
    last_modified BIGINT NOT NULL,
    blob_id TEXT NOT NULL,
    encryption TEXT,
    PRIMARY KEY (upload_id, part_number)
  );
  CREATE INDEX parts_by_blob ON parts (blob_id);

  -- Versioning: objects holds each key's current readable version; noncurrent versions and
  -- delete markers live here (record as JSON), their blobs in version_blobs.
  CREATE TABLE object_versions (
    id BIGSERIAL PRIMARY KEY,
    bucket TEXT COLLATE "C" NOT NULL REFERENCES buckets (name),
    key TEXT COLLATE "C" NOT NULL,
    version_id TEXT,
    seq BIGINT NOT NULL,
    is_delete_marker BOOLEAN NOT NULL,
    last_modified BIGINT NOT NULL,
    noncurrent_since BIGINT NOT NULL,
    owner TEXT NOT NULL,
    record TEXT
  );
  CREATE INDEX object_versions_by_key ON object_versions (bucket, key, seq DESC);
  CREATE INDEX object_versions_by_id ON object_versions (bucket, key, version_id);

  CREATE TABLE version_blobs (
    version_row BIGINT NOT NULL REFERENCES object_versions (id) ON DELETE CASCADE,
    blob_id TEXT NOT NULL
  );
  CREATE INDEX version_blobs_by_row ON version_blobs (version_row);
  CREATE INDEX version_blobs_by_blob ON version_blobs (blob_id);

  CREATE SEQUENCE version_seq START 1;

  -- Cache coherence across nodes (change-seq.ts) and run-once job leases (leases.ts).
  CREATE TABLE change_seq (scope TEXT PRIMARY KEY, seq BIGINT NOT NULL);
  CREATE TABLE leases (name TEXT PRIMARY KEY, owner TEXT NOT NULL, expires_at BIGINT NOT NULL);
  `,
];
