import { test } from "node:test";
import assert from "node:assert/strict";
import type { IncomingMessage } from "node:http";
import { clientAddress, relayHeaders, RELAY_TOKEN_HEADER } from "./client-address.js";

const req = (remoteAddress: string, headers: Record<string, string>): IncomingMessage => ({ socket: { remoteAddress }, headers }) as unknown as IncomingMessage;

test("clientAddress believes the console's relayed address only from loopback with the process's token", () => {
  const relay = relayHeaders("203.0.113.9");
  assert.equal(clientAddress(req("127.0.0.1", relay)), "203.0.113.9");
  assert.equal(clientAddress(req("::1", relay)), "203.0.113.9");
  assert.equal(clientAddress(req("198.51.100.1", relay)), "198.51.100.1", "not from loopback");
  assert.equal(clientAddress(req("127.0.0.1", { ...relay, [RELAY_TOKEN_HEADER]: "forged" })), "127.0.0.1");
  assert.equal(clientAddress(req("127.0.0.1", {})), "127.0.0.1");
});
