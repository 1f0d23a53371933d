/**
 * OSS range semantics: one `bytes=a-b`, `a-` or `-n` range. By default an invalid or
 * unsatisfiable range is ignored (200 with the whole object); with `x-oss-range-behavior: standard`
 * an end past EOF is clamped and a start past EOF is 416.
 */
export interface ByteRange {
  readonly start: number;
  readonly end: number;
}

export function parseRange(header: string | undefined, size: number, standard: boolean): ByteRange | "unsatisfiable" | undefined {
  if (header === undefined) return undefined;
  const match = /^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$/i.exec(header);
  if (!match) return undefined; // multiple or malformed ranges: whole object
  const [, first = "", last = ""] = match;
  if (first === "" && last === "") return undefined;
  let start: number;
  let end: number;
  if (first === "") {
    const suffix = Number(last);
    if (suffix === 0) return standard ? "unsatisfiable" : undefined;
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(first);
    end = last === "" ? size - 1 : Number(last);
    if (last !== "" && end < start) return undefined;
    if (start >= size) return standard ? "unsatisfiable" : undefined;
    if (end >= size) {
      if (!standard && last !== "") return undefined;
      end = size - 1;
    }
  }
  if (size === 0) return standard ? "unsatisfiable" : undefined;
  return { start, end };
}
