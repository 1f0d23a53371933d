import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { hasVersionIdShape, newVersionId } from "./version-id.js";

describe("version ids", () => {
  it("every id newVersionId makes has the shape, whatever the sequence", () => {
    for (const seq of [0, 1, 255, 2 ** 31, 2 ** 52]) {
      const id = newVersionId(seq);
      assert.ok(hasVersionIdShape(id), id);
    }
    assert.notEqual(newVersionId(7), newVersionId(7), "the random half differs");
  });

  it("the null version's id has the shape; other text does not", () => {
    assert.ok(hasVersionIdShape("null"));
    const id = newVersionId(42);
    for (const other of ["", "NULL", "CAEQ", `${id}x`, id.slice(0, -1), `caeq${id.slice(4)}`, `${id.slice(0, -1)}=`, `${id.slice(0, -1)}/`, "123", "v1"]) {
      assert.ok(!hasVersionIdShape(other), other);
    }
  });
});
