/**
 * The Alibaba Cloud RPC ("POP") endpoint: IMM, RAM, STS and KMS APIs, dispatched by
 * Version + Action after the request's signature (POP V2 HMAC-SHA1 or ACS3-HMAC-SHA256) is verified.
 * Responses are JSON; errors are `{RequestId, HostId, Code, Message, Recommend}` as the SDKs expect.
 */
import { createServer, type IncomingMessage, type Server } from "node:http";
import { randomUUID } from "node:crypto";
import type { Services } from "../services.js";
import { verifyRpcSignature, RpcAuthError } from "./signature.js";
import { parseUrl, flattenHeaders } from "../http/parse.js";
import { decodePath } from "../http/addressing.js";
import { RPC_ACTIONS } from "./registry.js";
import { RpcError } from "./errors.js";
import { DatabaseUnavailableError } from "../db/errors.js";
import { requestContext } from "../authz/context.js";
import { rpcUsage } from "../metering/rpc-usage.js";
import { newReadEpoch } from "../storage/change-seq.js";
import { clientAddress } from "../http/client-address.js";

const MAX_BODY = 1024 * 1024;

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new RpcError(400, "InvalidParameter", "The request body is too large.");
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

export function createRpcServer(services: Services): Server {
  return createServer((req, res) => {
    newReadEpoch();
    const requestId = randomUUID().toUpperCase();
    const host = req.headers.host ?? "";
    // Billing facts, reported to the meter once the response is out (see metering/rpc-usage.ts).
    const call = { action: "", params: {} as Record<string, string>, bytesIn: 0, bytesOut: 0 };
    res.once("close", () => services.metering.recordRequest(rpcUsage({ ...call, method: req.method ?? "GET", status: res.statusCode, remoteAddress: clientAddress(req), host })));
    const send = (status: number, body: Record<string, unknown>): void => {
      const payload = JSON.stringify(body);
      call.bytesOut = Buffer.byteLength(payload);
      res.writeHead(status, { "content-type": "application/json;charset=utf-8", "content-length": Buffer.byteLength(payload), "x-acs-request-id": requestId });
      res.end(payload);
    };
    void (async () => {
      try {
        const body = await readBody(req);
        call.bytesIn = body.length;
        const url = parseUrl(req.url ?? "/");
        const verified = await verifyRpcSignature(
          { method: req.method ?? "GET", path: decodePath(url.rawPath), query: url.queryList, headers: flattenHeaders(req.headers), body },
          services.credentials,
          new Date(),
          services.iam.nonces,
        );
        const version = verified.params.Version ?? "";
        const action = verified.params.Action ?? "";
        Object.assign(call, { action, params: verified.params });
        const handler = RPC_ACTIONS[`${version}/${action}`];
        if (!handler) throw new RpcError(404, "InvalidAction.NotFound", `Specified api is not found, please check your url and method. (${action} ${version})`);
        const context = requestContext(req, verified.principal.accessKeyId);
        const result = await handler({ services, principal: verified.principal, params: verified.params, requestId, context });
        send(200, { RequestId: requestId, ...result });
      } catch (error) {
        if (error instanceof RpcError || error instanceof RpcAuthError) {
          send(error.httpStatus, { RequestId: requestId, HostId: host, Code: error.code, Message: error.message, Recommend: `https://next.api.aliyun.com/troubleshoot?q=${error.code}` });
          return;
        }
        // PostgreSQL (BARBUCKET_DATABASE_URL: identities, nonces, IMM projects) unreachable: retryable, not a fault.
        if (error instanceof DatabaseUnavailableError) {
          res.setHeader("retry-after", "1");
          send(503, { RequestId: requestId, HostId: host, Code: "ServiceUnavailable", Message: "The metadata store is unavailable; retry the request." });
          return;
        }
        services.log.error({ err: error, reqId: requestId }, "rpc handler failed");
        send(500, { RequestId: requestId, HostId: host, Code: "InternalError", Message: "The request processing has failed due to some unknown error." });
      }
    })();
  });
}
