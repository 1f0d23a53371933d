import { test } from "node:test";
import assert from "node:assert/strict";
import { createServer, request, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { connect } from "node:net";
import { mkdtempSync, openSync, closeSync, rmSync, writeFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sendFileAvailable, sendFileBody, sendFileSocket } from "./send-file.js";

const skip = sendFileAvailable ? false : "the native addon (sendfile) is not built";
// Larger than loopback socket buffers, so the send has to wait for the socket to drain.
const SIZE = 24 * 1024 * 1024;

async function withServer(handler: (res: ServerResponse, path: string) => Promise<void>, run: (port: number) => Promise<void>): Promise<void> {
  const server: Server = createServer((req, res) => {
    handler(res, req.url ?? "/").catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  try {
    await run((server.address() as AddressInfo).port);
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

function get(port: number, path: string, agent: import("node:http").Agent): Promise<{ status: number; body: Buffer; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    request({ host: "127.0.0.1", port, path, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks), headers: res.headers }));
      res.on("error", reject);
    }).on("error", reject).end();
  });
}

test("sendFileBody sends a file range after node's head, and the connection serves the next request", { skip }, async () => {
  const dir = mkdtempSync(join(tmpdir(), "sendfile-"));
  const data = randomBytes(SIZE);
  writeFileSync(join(dir, "blob"), data);
  const fd = openSync(join(dir, "blob"), "r");
  const counted: number[] = [];
  try {
    await withServer(async (res, path) => {
      const [start, end] = path.slice(1).split("-").map(Number) as [number, number];
      assert.ok(sendFileSocket(res) !== undefined);
      res.writeHead(200, { "content-length": end - start + 1, "x-range": `${start}-${end}` });
      let sent = 0;
      await sendFileBody(res, fd, start, end - start + 1, (n) => { sent += n; });
      counted.push(sent);
    }, async (port) => {
      const agent = new (await import("node:http")).Agent({ keepAlive: true, maxSockets: 1 });
      try {
        const whole = await get(port, `/0-${SIZE - 1}`, agent);
        assert.equal(whole.status, 200);
        assert.equal(whole.headers["x-range"], `0-${SIZE - 1}`);
        assert.ok(whole.body.equals(data), "the whole file, byte for byte");
        const part = await get(port, "/1000-70999", agent); // same keep-alive connection
        assert.ok(part.body.equals(data.subarray(1000, 71000)));
        assert.deepEqual(counted, [SIZE, 70000]);
      } finally {
        agent.destroy();
      }
    });
  } finally {
    closeSync(fd);
    rmSync(dir, { recursive: true, force: true });
  }
});

test("sendFileBody rejects when the client goes away mid-body, having counted only what went out", { skip }, async () => {
  const dir = mkdtempSync(join(tmpdir(), "sendfile-"));
  writeFileSync(join(dir, "blob"), randomBytes(SIZE));
  const fd = openSync(join(dir, "blob"), "r");
  try {
    let outcome: Promise<unknown> | undefined;
    let counted = 0;
    await withServer(async (res) => {
      res.writeHead(200, { "content-length": SIZE });
      outcome = sendFileBody(res, fd, 0, SIZE, (n) => { counted += n; });
      await outcome.catch(() => undefined);
    }, async (port) => {
      // A client that reads nothing, then leaves: the server is left waiting for the socket to drain.
      const socket = connect(port, "127.0.0.1");
      socket.pause();
      await new Promise<void>((resolve) => socket.once("connect", resolve));
      socket.write("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
      while (outcome === undefined || counted === 0) await new Promise((r) => setTimeout(r, 10));
      await new Promise((r) => setTimeout(r, 50));
      socket.destroy();
      await assert.rejects(outcome);
      assert.ok(counted > 0 && counted < SIZE, `sent ${counted} of ${SIZE} before the cut`);
    });
  } finally {
    closeSync(fd);
    rmSync(dir, { recursive: true, force: true });
  }
});
