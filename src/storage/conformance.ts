/**
 * The one conformance suite every storage backend runs (architecture.md §8.5): call
 * `runBlobStoreConformance` / `runMetadataStoreConformance` from a backend's test file with a
 * factory that makes a fresh, empty store plus its cleanup. The cases live in:
 *  - conformance-blobs.ts: write/read/range/delete/list, digests, limits, abort, no leftovers;
 *  - conformance-metadata.ts: buckets, objects, replacement and blob release, uploads and parts;
 *  - conformance-listing.ts: UTF-8 byte order, prefix/delimiter/marker/maxKeys paging against a
 *    brute-force oracle, ListMultipartUploads markers.
 */
export { runBlobStoreConformance, type BlobStoreFixture } from "./conformance-blobs.js";
export { runMetadataStoreConformance } from "./conformance-metadata.js";
export type { MetadataStoreFixture } from "./conformance-records.js";
