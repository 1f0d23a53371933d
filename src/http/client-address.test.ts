import { test } from "node:test";
import assert from "node:assert/strict";
import type { IncomingMessage } from "node:http";
import { clientAddress, relayHeaders, RELAY_TOKEN_HEADER, trustProxies } from "./client-address.js";

const req = (remoteAddress: string, headers: Record<string, string>): IncomingMessage => ({ socket: { remoteAddress }, headers }) as unknown as IncomingMessage;

test("clientAddress believes the console's relayed address only from loopback with the process's token", () => {
  const relay = relayHeaders("203.0.113.9");
  assert.equal(clientAddress(req("127.0.0.1", relay)), "203.0.113.9");
  assert.equal(clientAddress(req("::1", relay)), "203.0.113.9");
  assert.equal(clientAddress(req("198.51.100.1", relay)), "198.51.100.1", "not from loopback");
  assert.equal(clientAddress(req("127.0.0.1", { ...relay, [RELAY_TOKEN_HEADER]: "forged" })), "127.0.0.1");
  assert.equal(clientAddress(req("127.0.0.1", {})), "127.0.0.1");
});

test("X-Forwarded-For is believed only as far as trusted proxies wrote it", (t) => {
  t.after(() => trustProxies([]));
  const xff = (value: string) => ({ "x-forwarded-for": value });
  assert.equal(clientAddress(req("10.0.0.5", xff("203.0.113.9"))), "10.0.0.5", "no proxy trusted: the header is ignored");
  trustProxies(["10.0.0.0/8"]);
  assert.equal(clientAddress(req("10.0.0.5", xff("203.0.113.9"))), "203.0.113.9");
  assert.equal(clientAddress(req("198.51.100.7", xff("203.0.113.9"))), "198.51.100.7", "a client that is no trusted proxy cannot name another address");
  // A client's own forged entries sit left of the address the trusted proxy appended: the rightmost untrusted wins.
  assert.equal(clientAddress(req("10.0.0.5", xff("1.2.3.4, 203.0.113.9"))), "203.0.113.9");
  assert.equal(clientAddress(req("10.0.0.5", xff("203.0.113.9, 10.0.0.9"))), "203.0.113.9", "through two trusted hops");
  assert.equal(clientAddress(req("10.0.0.5", xff("garbage, 10.0.0.9"))), "10.0.0.9", "a malformed hop stops the walk");
  assert.equal(clientAddress(req("10.0.0.5", xff("[2001:db8::1]:4711"))), "2001:db8::1");
  assert.equal(clientAddress(req("10.0.0.5", {})), "10.0.0.5", "no header: the proxy itself");
});
