/** Helpers for the crypto tests: run a Transform over buffers and keep what it emitted before failing. */
import type { Transform } from "node:stream";
import { createDecryptStream, createEncryptStream } from "./streams.js";
import type { ByteRange, EncryptionHeader } from "./format.js";

export interface RunResult {
  readonly output: Buffer;
  readonly error: Error | undefined;
}

/** Writes `input` in pieces of `pieceSize` bytes, respecting backpressure, and collects the output. */
export async function run(stream: Transform, input: Buffer, pieceSize = 7919): Promise<RunResult> {
  const out: Buffer[] = [];
  stream.on("data", (d: Buffer) => out.push(d));
  const done = new Promise<Error | undefined>((resolve) => {
    stream.once("end", () => resolve(undefined));
    stream.once("error", (e: Error) => resolve(e));
  });
  for (let i = 0; i < input.length && !stream.destroyed; i += pieceSize) {
    if (!stream.write(input.subarray(i, i + pieceSize))) {
      await new Promise<void>((resolve) => {
        const go = (): void => {
          stream.off("drain", go);
          stream.off("close", go);
          resolve();
        };
        stream.once("drain", go);
        stream.once("close", go);
      });
    }
  }
  if (!stream.destroyed) stream.end();
  const error = await done;
  return { output: Buffer.concat(out), error };
}

export async function encrypt(key: Buffer, header: EncryptionHeader, plain: Buffer, pieceSize?: number): Promise<Buffer> {
  const { output, error } = await run(createEncryptStream(key, header), plain, pieceSize);
  if (error) throw error;
  return output;
}

export function decrypt(key: Buffer, header: EncryptionHeader, plaintextSize: number, sealed: Buffer, range?: ByteRange, pieceSize?: number): Promise<RunResult> {
  return run(createDecryptStream(key, { ...header, plaintextSize }, range), sealed, pieceSize);
}

/** A recognisable, non-repeating-looking plaintext: "PLAINTEXT-PATTERN-000123|" records. */
export function pattern(size: number): Buffer {
  const out = Buffer.alloc(size);
  let i = 0;
  for (let n = 0; i < size; n++) i += out.write(`PLAINTEXT-PATTERN-${String(n).padStart(6, "0")}|`, i);
  return out;
}
