/**
 * A response body sent by the kernel from a file (sendfile(2), native/sendfile.c), as nginx does:
 * no byte of it passes through JS. Node 20 has no sendfile; its streams read every byte into a
 * buffer and write it out again, which made a 16 MiB GET cost ~12× nginx's CPU.
 *
 * Used only for a plain (not TLS) socket whose descriptor node exposes, with the addon built;
 * `sendFileUsable` says so and callers fall back to streaming otherwise. The status line and
 * headers go out through node first (flushed and written before the first file byte); then the
 * body goes straight to the socket, and `res.end()` finishes the response with nothing more to
 * write, so keep-alive and the next request work as usual.
 */
import type { ServerResponse } from "node:http";
import type { Socket } from "node:net";
import { nativeAddon } from "../codes/native-addon.js";

interface SendFileNative {
  sendFileSome(socketFd: number, fileFd: number, offset: number, length: number): number;
  waitWritable(socketFd: number, callback: (errorCode: string | null) => void): unknown;
  cancelWait(handle: unknown): void;
}

const native: SendFileNative | undefined = process.env.BARBUCKET_SENDFILE === "0"
  ? undefined
  : (nativeAddon as Partial<SendFileNative> | undefined)?.sendFileSome ? (nativeAddon as unknown as SendFileNative) : undefined;

/** Whether sendfile is there at all (the addon built and not switched off). */
export const sendFileAvailable = native !== undefined;

type HandleSocket = Socket & { _handle?: { fd?: number; writeQueueSize?: number } | null; encrypted?: boolean };

/** The socket's descriptor when this response may be sent with sendfile, else undefined. */
export function sendFileSocket(res: ServerResponse): number | undefined {
  if (!native) return undefined;
  const socket = res.socket as HandleSocket | null;
  if (!socket || socket.encrypted || socket.destroyed) return undefined;
  const fd = socket._handle?.fd;
  return typeof fd === "number" && fd >= 0 ? fd : undefined;
}

/**
 * Sends the head of `res` (set with writeHead, not yet sent) and waits until it is on the wire, so
 * file bytes sent next follow it.
 */
export async function sendHead(res: ServerResponse): Promise<void> {
  res.flushHeaders();
  const socket = res.socket as HandleSocket | null;
  if (!socket) throw closedError();
  if (socket.writableLength > 0 || (socket._handle?.writeQueueSize ?? 0) > 0 || socket.writableCorked) {
    await new Promise<void>((resolve, reject) => socket.write(Buffer.alloc(0), (error) => (error ? reject(error) : resolve())));
  }
}

/**
 * Sends `length` bytes of `fileFd` from `offset` as (part of) the body of `res`, after `sendHead`.
 * `onSent` counts bytes as they go out (metering sees a cut transfer as far as it got). Rejects if
 * the socket fails or the response is closed first (a client gone): the caller then destroys it.
 */
export async function sendFileRange(res: ServerResponse, fileFd: number, offset: number, length: number, onSent: (bytes: number) => void): Promise<void> {
  const nat = native;
  if (!nat) throw new Error("sendfile is not available");
  let sent = 0;
  while (sent < length) {
    const fd = sendFileSocket(res);
    if (fd === undefined) throw closedError();
    const n = nat.sendFileSome(fd, fileFd, offset + sent, length - sent);
    if (n > 0) {
      sent += n;
      onSent(n);
    }
    if (sent < length) await writable(nat, res, fd);
  }
}

/** The whole body from one file: `sendHead`, `sendFileRange`, then `res.end()`. */
export async function sendFileBody(res: ServerResponse, fileFd: number, offset: number, length: number, onSent: (bytes: number) => void): Promise<void> {
  await sendHead(res);
  await sendFileRange(res, fileFd, offset, length, onSent);
  res.end();
}

/** Resolves when the socket takes more bytes; rejects if it fails or the response closes first. */
function writable(nat: SendFileNative, res: ServerResponse, fd: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const onClose = (): void => {
      nat.cancelWait(handle);
      reject(closedError());
    };
    const handle = nat.waitWritable(fd, (errorCode) => {
      res.off("close", onClose);
      if (errorCode) reject(Object.assign(new Error(`socket: ${errorCode}`), { code: errorCode }));
      else resolve();
    });
    res.once("close", onClose);
  });
}

function closedError(): Error {
  return Object.assign(new Error("the response was closed before its body was sent"), { code: "ERR_STREAM_PREMATURE_CLOSE" });
}
