/**
 * Objects the server writes on its own behalf (access-log objects, inventory files), outside any
 * request: the target bucket's default storage class and encryption, no caller. Written only when the
 * key does not exist yet, so a job that re-runs after a crash between "object written" and "work
 * marked done" finds its object and does not write it twice (not even as a second version).
 *
 * A bucket default of SSE-KMS is applied as SSE-OSS (AES256): the KMS key policy is judged for a
 * caller, and these writes have none.
 */
import { Readable } from "node:stream";
import type { Services } from "../services.js";
import type { BucketRecord, ObjectRecord } from "../storage/types.js";
import { md5Etag } from "./etag.js";
import { crc64ToString } from "../storage/crc64.js";
import { bucketDefaultEncryption, prepareEncryption, writeSegment, type PreparedEncryption } from "./sse.js";

export async function writeObjectIfAbsent(services: Services, target: BucketRecord, key: string, body: Buffer, contentType: string): Promise<"created" | "exists"> {
  if (await services.meta.getObject(target.name, key)) return "exists";
  const configured = await bucketDefaultEncryption(services, target.name);
  const encryption = await prepareEncryption(services, target.owner, { principal: undefined }, configured && { algorithm: "AES256" });
  const { record, blobId } = await writeBufferObject(services, target, key, body, contentType, encryption);
  const outcome = await services.meta.putObjectIfAbsent(record);
  if (outcome === "exists") {
    // Another writer got there first: this copy's bytes are nobody's.
    services.blobs.delete(blobId).catch((err: unknown) => services.log.warn({ err, blob: blobId }, "could not delete an unused blob"));
  }
  return outcome;
}

/**
 * A buffer written as a Normal object's bytes (encrypted as `encryption` says) and the record that would make it
 * visible, in the target bucket's storage class with default ACL and no metadata; not committed (the caller chooses
 * putObject or putObjectIfAbsent). Also sys/saveas's write.
 */
export async function writeBufferObject(
  services: Services, target: BucketRecord, key: string, body: Buffer, contentType: string, encryption: PreparedEncryption | undefined,
): Promise<{ record: ObjectRecord; blobId: string }> {
  const { blob, segment } = await writeSegment(services, Readable.from([body]), encryption, { expectedSize: body.length });
  const now = services.clock.now();
  const record: ObjectRecord = {
    bucket: target.name,
    key,
    size: blob.size,
    etag: md5Etag(blob.md5),
    crc64: crc64ToString(blob.crc64),
    lastModified: now,
    contentType,
    headers: {},
    userMeta: {},
    acl: "default",
    storageClass: target.storageClass,
    classSince: now,
    type: "Normal",
    segments: [segment],
    owner: target.owner,
    ...(encryption ? { serverSideEncryption: encryption.encryption } : {}),
  };
  return { record, blobId: blob.id };
}
