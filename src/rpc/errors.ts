/** An RPC (POP) API error: HTTP status, code and message as Alibaba Cloud APIs return them. */
export class RpcError extends Error {
  constructor(readonly httpStatus: number, readonly code: string, message: string) {
    super(message);
    this.name = "RpcError";
  }
}
