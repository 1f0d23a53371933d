/**
 * A streaming `multipart/form-data` reader for PostObject (RFC 7578). Text fields before the file
 * are collected (bounded); the `file` part is handed over as a stream that is read straight into
 * the blob store, never buffered whole. Fields after the file are ignored, as OSS does. A body that
 * ends before the file part's closing boundary makes the file stream fail, so nothing is stored.
 */
import { OssError } from "../errors/oss-error.js";

export interface FormFile {
  readonly filename: string;
  readonly contentType: string | undefined;
  /** The file's bytes; throws (MalformedPOSTRequest) if the body is cut short. */
  readonly stream: AsyncGenerator<Buffer, void, undefined>;
}

export interface FormLimits {
  /** Largest text field. */
  readonly maxFieldBytes: number;
  /** All text fields together (names and values). */
  readonly maxFieldsBytes: number;
}

function malformed(message: string): OssError {
  return new OssError("MalformedPOSTRequest", message);
}

/** The boundary of a `multipart/form-data` Content-Type; undefined when it is not one. */
export function formBoundary(contentType: string | undefined): string | undefined {
  if (contentType === undefined || !/^\s*multipart\/form-data\s*(;|$)/i.test(contentType)) return undefined;
  const match = /;\s*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  return match?.[1] ?? match?.[2];
}

/** Byte-level reader over the request chunks with look-ahead for delimiters. */
class Reader {
  private buffer = Buffer.alloc(0);
  private ended = false;

  constructor(private readonly source: AsyncIterator<Buffer>) {}

  private async fill(): Promise<boolean> {
    if (this.ended) return false;
    const next = await this.source.next();
    if (next.done) {
      this.ended = true;
      return false;
    }
    this.buffer = this.buffer.length === 0 ? Buffer.from(next.value) : Buffer.concat([this.buffer, next.value]);
    return true;
  }

  /** Bytes before `delimiter` (consumed with it); at most `max` bytes may precede it. */
  async readUntil(delimiter: Buffer, max: number, what: string): Promise<Buffer> {
    let from = 0;
    for (;;) {
      const at = this.buffer.indexOf(delimiter, from);
      if (at >= 0) {
        if (at > max) throw malformed(`${what} is too large.`);
        const out = this.buffer.subarray(0, at);
        this.buffer = this.buffer.subarray(at + delimiter.length);
        return out;
      }
      if (this.buffer.length > max + delimiter.length) throw malformed(`${what} is too large.`);
      from = Math.max(0, this.buffer.length - delimiter.length + 1);
      if (!(await this.fill())) throw malformed(`The form ended inside ${what}.`);
    }
  }

  /** Streams the bytes before `delimiter` (consumed with it), keeping a tail that may start it. */
  async *streamUntil(delimiter: Buffer): AsyncGenerator<Buffer, void, undefined> {
    for (;;) {
      const at = this.buffer.indexOf(delimiter);
      if (at >= 0) {
        if (at > 0) yield this.buffer.subarray(0, at);
        this.buffer = this.buffer.subarray(at + delimiter.length);
        return;
      }
      const safe = this.buffer.length - delimiter.length + 1;
      if (safe > 0) {
        yield this.buffer.subarray(0, safe);
        this.buffer = this.buffer.subarray(safe);
      }
      if (!(await this.fill())) throw malformed("The form ended before the file part's closing boundary.");
    }
  }

  /** Reads and drops the rest of the body (at most `max` bytes). */
  async skipRest(max: number): Promise<void> {
    let skipped = this.buffer.length;
    this.buffer = Buffer.alloc(0);
    while (await this.fill()) {
      skipped += this.buffer.length;
      this.buffer = Buffer.alloc(0);
      if (skipped > max) throw malformed("Too much data follows the file part.");
    }
  }

  async take(n: number): Promise<Buffer> {
    while (this.buffer.length < n) if (!(await this.fill())) throw malformed("The form ended unexpectedly.");
    const out = this.buffer.subarray(0, n);
    this.buffer = this.buffer.subarray(n);
    return out;
  }
}

interface PartHead {
  readonly name: string;
  readonly filename: string | undefined;
  readonly contentType: string | undefined;
}

function parsePartHead(raw: Buffer): PartHead {
  let disposition: string | undefined;
  let contentType: string | undefined;
  for (const line of raw.toString("utf8").split("\r\n")) {
    const colon = line.indexOf(":");
    if (colon < 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (name === "content-disposition") disposition = value;
    if (name === "content-type") contentType = value;
  }
  if (disposition === undefined || !/^form-data\b/i.test(disposition)) throw malformed("A form part has no Content-Disposition: form-data.");
  const param = (key: string): string | undefined => {
    const match = new RegExp(`;\\s*${key}="((?:[^"\\\\]|\\\\.)*)"`, "i").exec(disposition!) ?? new RegExp(`;\\s*${key}=([^;\\s]*)`, "i").exec(disposition!);
    return match?.[1]?.replace(/\\(.)/g, "$1");
  };
  const name = param("name");
  if (name === undefined) throw malformed("A form part has no name.");
  return { name, filename: param("filename"), contentType };
}

/**
 * Reads the fields up to the `file` part. Field names are returned lower-cased (OSS matches form
 * field names case-insensitively); the first occurrence of a name wins.
 */
export async function readForm(
  source: AsyncIterable<Buffer>,
  boundary: string,
  limits: FormLimits,
): Promise<{ fields: Map<string, string>; file: FormFile | undefined }> {
  const reader = new Reader(source[Symbol.asyncIterator]());
  const dashBoundary = Buffer.from(`--${boundary}`);
  const delimiter = Buffer.from(`\r\n--${boundary}`);
  await reader.readUntil(dashBoundary, 64 * 1024, "the form preamble");
  const fields = new Map<string, string>();
  let fieldBytes = 0;
  for (;;) {
    const after = (await reader.take(2)).toString("latin1");
    if (after === "--") return { fields, file: undefined };
    if (after !== "\r\n") throw malformed("A form boundary is not followed by CRLF.");
    const head = parsePartHead(await reader.readUntil(Buffer.from("\r\n\r\n"), 16 * 1024, "a part's headers"));
    const name = head.name.toLowerCase();
    if (name === "file") {
      const stream = (async function* () {
        yield* reader.streamUntil(delimiter);
        // What follows (more parts, the closing "--") is read and ignored, as OSS ignores fields after
        // the file; reading it keeps the connection usable for the next request.
        await reader.skipRest(limits.maxFieldsBytes);
      })();
      return { fields, file: { filename: head.filename ?? "", contentType: head.contentType, stream } };
    }
    const value = (await reader.readUntil(delimiter, limits.maxFieldBytes, `the form field "${head.name}"`)).toString("utf8");
    fieldBytes += name.length + value.length;
    if (fieldBytes > limits.maxFieldsBytes) throw malformed("The form fields are too large.");
    if (!fields.has(name)) fields.set(name, value);
  }
}
