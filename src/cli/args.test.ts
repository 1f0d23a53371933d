import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { intOption, listOption, parseCommandArgs } from "./args.js";
import { UsageError } from "./exit-codes.js";

const OPTIONS = { recursive: { type: "boolean", short: "r" }, include: { type: "string", multiple: true }, expires: { type: "string" } } as const;

describe("command arguments", () => {
  it("parses verb options, connection options and positionals", () => {
    const p = parseCommandArgs(["-r", "--include", "*.txt", "--include=*.md", "--endpoint", "http://h:1", "src", "oss://b/"], OPTIONS, { min: 2, max: 2 });
    assert.deepEqual(p.positionals, ["src", "oss://b/"]);
    assert.equal(p.values.recursive, true);
    assert.deepEqual(listOption(p.values, "include"), ["*.txt", "*.md"]);
    assert.deepEqual(listOption(p.values, "exclude"), []);
    assert.equal(p.values.endpoint, "http://h:1");
  });
  it("refuses unknown options, missing values and wrong argument counts", () => {
    assert.throws(() => parseCommandArgs(["--bogus", "x"], OPTIONS, { min: 1, max: 1 }), UsageError);
    assert.throws(() => parseCommandArgs(["--expires"], OPTIONS, { min: 0, max: 1 }), UsageError);
    assert.throws(() => parseCommandArgs([], OPTIONS, { min: 1, max: 1 }), /missing argument/);
    assert.throws(() => parseCommandArgs(["a", "b"], OPTIONS, { min: 1, max: 1 }), /too many arguments/);
  });
  it("--help needs no positionals; -- ends the options", () => {
    assert.equal(parseCommandArgs(["-h"], OPTIONS, { min: 2, max: 2 }).values.help, true);
    assert.deepEqual(parseCommandArgs(["--", "-r"], OPTIONS, { min: 1, max: 1 }).positionals, ["-r"]);
  });
  it("reads integer options within bounds", () => {
    const v = parseCommandArgs(["--expires", "60", "k"], OPTIONS, { min: 1, max: 1 }).values;
    assert.equal(intOption(v, "expires", 3600, 1, 604800), 60);
    assert.equal(intOption({}, "expires", 3600, 1, 604800), 3600);
    for (const bad of ["0", "1.5", "x", "604801"]) assert.throws(() => intOption({ expires: bad }, "expires", 3600, 1, 604800), UsageError);
  });
});
