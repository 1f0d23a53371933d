import { test } from "node:test";
import assert from "node:assert/strict";
import { plaintextPieces } from "./get-object-files.js";

const seg = (blobId: string, size: number, encrypted = false) => ({ blobId, size, ...(encrypted ? { encryption: { algorithm: "AES256" } } : {}) });

test("plaintextPieces maps a byte range onto the segments it covers", () => {
  const object = { segments: [seg("a", 10), seg("b", 0), seg("c", 5), seg("d", 20)] };
  assert.deepEqual(plaintextPieces(object, 0, 34), [
    { blobId: "a", offset: 0, length: 10 }, { blobId: "c", offset: 0, length: 5 }, { blobId: "d", offset: 0, length: 20 },
  ]);
  assert.deepEqual(plaintextPieces(object, 8, 16), [
    { blobId: "a", offset: 8, length: 2 }, { blobId: "c", offset: 0, length: 5 }, { blobId: "d", offset: 0, length: 2 },
  ]);
  assert.deepEqual(plaintextPieces(object, 12, 12), [{ blobId: "c", offset: 2, length: 1 }]);
  assert.deepEqual(plaintextPieces(object, 30, 34), [{ blobId: "d", offset: 15, length: 5 }]);
});

test("plaintextPieces refuses a range that touches an encrypted segment, not one that skips it", () => {
  const object = { segments: [seg("a", 10), seg("b", 10, true), seg("c", 10)] };
  assert.equal(plaintextPieces(object, 5, 15), undefined);
  assert.deepEqual(plaintextPieces(object, 20, 29), [{ blobId: "c", offset: 0, length: 10 }]);
});
