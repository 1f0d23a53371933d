/**
 * The address a request comes from, for acs:SourceIp conditions and metering (internal or internet
 * traffic). The web console relays the browser's requests from loopback; it names the browser's
 * address in a header that is believed only on a loopback connection carrying this process's
 * random relay token, which nothing outside the server's processes knows.
 */
import cluster from "node:cluster";
import { randomBytes, timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";

export const RELAY_CLIENT_HEADER = "x-barbucket-console-client";
export const RELAY_TOKEN_HEADER = "x-barbucket-console-token";
// Made by the first process and put in its environment, so that the worker processes node:cluster forks (which
// inherit it) believe the console that runs in the primary; a value the operator's environment carried is ignored.
const RELAY_TOKEN = cluster.isWorker && process.env.BARBUCKET_INTERNAL_RELAY_TOKEN
  ? process.env.BARBUCKET_INTERNAL_RELAY_TOKEN
  : (process.env.BARBUCKET_INTERNAL_RELAY_TOKEN = randomBytes(24).toString("base64url"));

/** Headers the console adds to a request it relays for a browser at `clientAddress`. */
export function relayHeaders(clientAddress: string): Record<string, string> {
  return { [RELAY_CLIENT_HEADER]: clientAddress, [RELAY_TOKEN_HEADER]: RELAY_TOKEN };
}

function isLoopback(address: string): boolean {
  return address === "::1" || address.startsWith("127.") || address.startsWith("::ffff:127.");
}

/** The socket's address, or the console's relayed browser address when the relay is genuine. */
export function clientAddress(req: IncomingMessage): string {
  const socket = req.socket.remoteAddress ?? "";
  const relayed = req.headers[RELAY_CLIENT_HEADER];
  const token = req.headers[RELAY_TOKEN_HEADER];
  if (typeof relayed !== "string" || typeof token !== "string" || !isLoopback(socket)) return socket;
  const a = Buffer.from(token);
  const b = Buffer.from(RELAY_TOKEN);
  return a.length === b.length && timingSafeEqual(a, b) ? relayed : socket;
}
