/** Listing part of the metadata conformance suite: byte order, prefixes, delimiters, paging. */
import assert from "node:assert/strict";
import { it } from "node:test";
import { bucketRecord, byBytes, expectedEntries, generatedKeys, objectRecord, uploadRecord, type Entry } from "./conformance-records.js";
import type { ListObjectsPage, ListUploadsPage, MetadataStore } from "./types.js";

type WithStore = (body: (store: MetadataStore) => Promise<void> | void) => () => Promise<void>;

function objectEntries(page: ListObjectsPage): Entry[] {
  return [
    ...page.objects.map((o) => ({ key: o.key, isPrefix: false })),
    ...page.commonPrefixes.map((p) => ({ key: p, isPrefix: true })),
  ].sort((a, b) => byBytes(a.key, b.key));
}

function uploadEntries(page: ListUploadsPage): Entry[] {
  return [
    ...page.uploads.map((u): Entry => ({ key: u.key, id: u.uploadId, isPrefix: false })),
    ...page.commonPrefixes.map((p): Entry => ({ key: p, isPrefix: true })),
  ].sort((a, b) => byBytes(a.key, b.key) || byBytes(a.id ?? "", b.id ?? ""));
}
async function keysOf(store: MetadataStore, bucket: string, prefix = "", delimiter = ""): Promise<Entry[]> {
  return objectEntries(await store.listObjects({ bucket, prefix, delimiter, after: "", maxKeys: 100_000 }));
}

export function listingCases(withStore: WithStore): void {
  it("lists keys in UTF-8 byte order (not UTF-16 order)", withStore(async (store) => {
    await store.createBucket(bucketRecord("b"));
    const keys = ["\uFFFD", "😀", "中", "a", "Z", "a b", "a+b", "a%2F", "a/b", "ab", "é"];
    for (const key of keys) await store.putObject(objectRecord("b", key));
    const expected = ["Z", "a", "a b", "a%2F", "a+b", "a/b", "ab", "é", "中", "\uFFFD", "😀"];
    assert.deepEqual((await keysOf(store, "b")).map((e) => e.key), expected);
  }));

  it("returns full records in listings and nothing for a missing bucket", withStore(async (store) => {
    await store.createBucket(bucketRecord("b"));
    const record = objectRecord("b", "k", ["a".repeat(32), "b".repeat(32)]);
    await store.putObject(record);
    assert.deepEqual((await store.listObjects({ bucket: "b", prefix: "", delimiter: "", after: "", maxKeys: 10 })).objects, [record]);
    assert.deepEqual(await store.listObjects({ bucket: "nope", prefix: "", delimiter: "/", after: "", maxKeys: 10 }), {
      objects: [], commonPrefixes: [], isTruncated: false, nextMarker: undefined,
    });
  }));

  it("handles maxKeys 0, markers inside and equal to a common prefix", withStore(async (store) => {
    await store.createBucket(bucketRecord("b"));
    for (const key of ["a/1", "a/2", "a/3/x", "b", "c/1"]) await store.putObject(objectRecord("b", key));
    const zero = await store.listObjects({ bucket: "b", prefix: "", delimiter: "/", after: "", maxKeys: 0 });
    assert.deepEqual([zero.objects.length, zero.commonPrefixes.length, zero.isTruncated], [0, 0, false]);
    const inside = await store.listObjects({ bucket: "b", prefix: "", delimiter: "/", after: "a/2", maxKeys: 10 });
    assert.deepEqual(objectEntries(inside).map((e) => e.key), ["b", "c/"]);
    const equal = await store.listObjects({ bucket: "b", prefix: "", delimiter: "/", after: "a/", maxKeys: 1 });
    assert.deepEqual(objectEntries(equal).map((e) => e.key), ["b"]);
    assert.equal(equal.isTruncated, true);
    assert.equal(equal.nextMarker, "b");
    const nested = await store.listObjects({ bucket: "b", prefix: "a/", delimiter: "/", after: "", maxKeys: 2 });
    assert.deepEqual(objectEntries(nested).map((e) => e.key), ["a/1", "a/2"]);
    assert.deepEqual([nested.isTruncated, nested.nextMarker], [true, "a/2"]);
    const last = await store.listObjects({ bucket: "b", prefix: "a/", delimiter: "/", after: "a/2", maxKeys: 1 });
    assert.deepEqual(last.commonPrefixes, ["a/3/"]);
    assert.deepEqual([last.isTruncated, last.nextMarker], [false, undefined]);
  }));

  it("pages through a few hundred unicode keys exactly like a brute-force listing", withStore(async (store) => {
    await store.createBucket(bucketRecord("b"));
    await store.createBucket(bucketRecord("other"));
    const keys = generatedKeys();
    for (const key of keys) await store.putObject(objectRecord("b", key, []));
    await store.putObject(objectRecord("other", "a", [])); // must never show up
    const rows = keys.map((key) => ({ key }));
    for (const prefix of ["", "a", "a/", "中文/", "😀", "a b/", "\uFFFD", "missing"]) {
      for (const delimiter of ["", "/", "b", "/a"]) {
        const all = expectedEntries(rows, prefix, delimiter, "");
        for (const maxKeys of [1, 7, 1000]) {
          const label = `prefix=${prefix} delimiter=${delimiter} maxKeys=${maxKeys}`;
          const collected: Entry[] = [];
          let marker = "";
          for (let pages = 0; ; pages++) {
            assert.ok(pages <= all.length + 1, `${label}: paging does not terminate`);
            const page = await store.listObjects({ bucket: "b", prefix, delimiter, after: marker, maxKeys });
            const expected = all.filter((e) => byBytes(e.key, marker) > 0);
            const entries = objectEntries(page);
            assert.deepEqual(entries, expected.slice(0, maxKeys), `${label} marker=${marker}`);
            assert.equal(page.isTruncated, expected.length > maxKeys, `${label} marker=${marker}`);
            collected.push(...entries);
            if (!page.isTruncated) {
              assert.equal(page.nextMarker, undefined);
              break;
            }
            assert.equal(page.nextMarker, entries.at(-1)?.key);
            marker = page.nextMarker!;
          }
          assert.deepEqual(collected, all, label);
        }
      }
    }
    // Arbitrary markers (inside common prefixes, between keys, past the end) against the oracle.
    for (const marker of ["a/", "a/b", "a/😀", "中", "中文/z", "\uFFFD/", "😀/😀", "zzz", keys[17]!, keys[42]!]) {
      for (const delimiter of ["", "/"]) {
        const page = await store.listObjects({ bucket: "b", prefix: "", delimiter, after: marker, maxKeys: 5 });
        const expected = expectedEntries(rows, "", delimiter, marker);
        assert.deepEqual(objectEntries(page), expected.slice(0, 5), `marker=${marker} delimiter=${delimiter}`);
        assert.equal(page.isTruncated, expected.length > 5);
      }
    }
  }));

  it("pages through multipart uploads with key and upload-id markers", withStore(async (store) => {
    await store.createBucket(bucketRecord("b"));
    await store.createBucket(bucketRecord("other"));
    const rows: { key: string; id: string }[] = [];
    const keys = generatedKeys().slice(0, 60);
    for (const [index, key] of keys.entries()) {
      for (let n = 0; n <= index % 3; n++) {
        const upload = uploadRecord("b", key);
        await store.createUpload(upload);
        rows.push({ key, id: upload.uploadId });
      }
    }
    await store.createUpload(uploadRecord("other", keys[0]!));
    for (const prefix of ["", "a/", "😀"]) {
      for (const delimiter of ["", "/"]) {
        for (const maxUploads of [1, 4, 1000]) {
          const label = `prefix=${prefix} delimiter=${delimiter} max=${maxUploads}`;
          const all = expectedEntries(rows, prefix, delimiter, "");
          const collected: Entry[] = [];
          let keyMarker = "";
          let uploadIdMarker = "";
          for (let pages = 0; ; pages++) {
            assert.ok(pages <= all.length + 1, `${label}: paging does not terminate`);
            const page = await store.listUploads({ bucket: "b", prefix, delimiter, keyMarker, uploadIdMarker, maxUploads });
            const expected = expectedEntries(rows, prefix, delimiter, keyMarker, uploadIdMarker || undefined);
            const entries = uploadEntries(page);
            assert.deepEqual(entries, expected.slice(0, maxUploads), `${label} markers=${keyMarker},${uploadIdMarker}`);
            assert.equal(page.isTruncated, expected.length > maxUploads);
            collected.push(...entries);
            if (!page.isTruncated) break;
            const last = entries.at(-1)!;
            assert.equal(page.nextKeyMarker, last.key);
            assert.equal(page.nextUploadIdMarker, last.id);
            keyMarker = page.nextKeyMarker!;
            uploadIdMarker = page.nextUploadIdMarker ?? "";
          }
          assert.deepEqual(collected, all, label);
        }
      }
    }
    // A key marker without an upload-id marker skips every upload of that key.
    const withKeyOnly = await store.listUploads({ bucket: "b", prefix: "", delimiter: "", keyMarker: rows[2]!.key, uploadIdMarker: "", maxUploads: 1000 });
    assert.ok(withKeyOnly.uploads.every((u) => byBytes(u.key, rows[2]!.key) > 0));
  }));
}
