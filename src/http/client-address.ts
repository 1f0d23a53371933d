/**
 * The address a request comes from, for acs:SourceIp conditions and metering (internal or internet
 * traffic). The web console relays the browser's requests from loopback; it names the browser's
 * address in a header that is believed only on a loopback connection carrying this process's
 * random relay token, which nothing outside the server's processes knows. Behind a load balancer
 * (BARBUCKET_TRUSTED_PROXIES), X-Forwarded-For is believed only as far as it was written by a
 * trusted proxy: read from the right, the first address no trusted proxy owns is the client.
 */
import cluster from "node:cluster";
import { randomBytes, timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { isIP } from "node:net";
import { parseNetworks, type NetworkSet } from "../metering/networks.js";

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

let trusted: NetworkSet | undefined;

/** The load balancers whose X-Forwarded-For is believed (CIDR blocks or addresses); empty: none (the default). */
export function trustProxies(cidrs: readonly string[]): void {
  trusted = cidrs.length > 0 ? parseNetworks(cidrs) : undefined;
}

/** The socket's address (or the client's, as trusted proxies forwarded it), or the console's relayed browser address
 * when the relay is genuine. */
export function clientAddress(req: IncomingMessage): string {
  const socket = forwardedClient(req, req.socket.remoteAddress ?? "");
  const relayed = req.headers[RELAY_CLIENT_HEADER];
  const token = req.headers[RELAY_TOKEN_HEADER];
  if (typeof relayed !== "string" || typeof token !== "string" || !isLoopback(socket)) return socket;
  const a = Buffer.from(token);
  const b = Buffer.from(RELAY_TOKEN);
  return a.length === b.length && timingSafeEqual(a, b) ? relayed : socket;
}

/** Walks X-Forwarded-For from the right while each hop is a trusted proxy; a malformed entry stops the walk there
 * (the last trusted hop is then the best address known). */
function forwardedClient(req: IncomingMessage, peer: string): string {
  if (!trusted || !trusted.contains(peer)) return peer;
  const header = req.headers["x-forwarded-for"];
  const hops = (Array.isArray(header) ? header.join(",") : header ?? "").split(",").map((h) => h.trim()).filter(Boolean);
  let client = peer;
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = hops[i]!.replace(/^\[(.*)\](?::\d+)?$/, "$1");
    if (isIP(hop) === 0) break;
    client = hop;
    if (!trusted.contains(hop)) break;
  }
  return client;
}
