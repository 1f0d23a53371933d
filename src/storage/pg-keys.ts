/**
 * Key ranges on PostgreSQL. Keys are TEXT COLLATE "C" (UTF-8 byte order), but a listing cursor is
 * a byte string that may end in 0xFF (list-page.ts's `pastPrefix`: "after every key starting with
 * this prefix"), which no TEXT value can hold. Here such bounds become valid strings: the smallest
 * string above every string starting with `s` is `s` with its last code point incremented.
 */
import { utf8 } from "./list-page.js";

/**
 * The smallest string greater than every string that starts with `prefix`; undefined when there
 * is none (a prefix of U+10FFFF only) or the prefix is empty (every string starts with it).
 */
export function successor(prefix: string): string | undefined {
  const points = Array.from(prefix, (ch) => ch.codePointAt(0)!);
  while (points.length > 0) {
    const last = points.pop()!;
    if (last < 0x10ffff) {
      // UTF-8 byte order is code point order; surrogates (D800–DFFF) are not characters.
      points.push(last + 1 === 0xd800 ? 0xe000 : last + 1);
      return String.fromCodePoint(...points);
    }
  }
  return undefined;
}

/** A lower bound on keys: `key > value` (exclusive) or `key >= value`. */
export interface KeyBound {
  readonly value: string;
  readonly inclusive: boolean;
}

/**
 * Keys strictly after `afterKey` (bytes, as list-page.ts's cursors): an exclusive bound, or, for a
 * cursor that jumps past a common prefix (ends in 0xFF), an inclusive bound at the prefix's
 * successor. Undefined when no key can follow.
 */
export function afterBound(afterKey: Buffer): KeyBound | undefined {
  if (afterKey.length > 0 && afterKey[afterKey.length - 1] === 0xff) {
    const next = successor(afterKey.subarray(0, -1).toString("utf8"));
    return next === undefined ? undefined : { value: next, inclusive: true };
  }
  return { value: afterKey.toString("utf8"), inclusive: false };
}

/** The tighter of "after the cursor" and "at or after the prefix". */
export function lowerBound(afterKey: Buffer, prefix: string): KeyBound | undefined {
  const after = afterBound(afterKey);
  if (after === undefined) return undefined;
  return Buffer.compare(utf8(after.value), utf8(prefix)) >= 0 ? after : { value: prefix, inclusive: true };
}
