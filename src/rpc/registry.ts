/** RPC actions keyed by `Version/Action` (e.g. `2020-09-30/DetectImageCodes`). */
import type { Services } from "../services.js";
import type { Principal } from "../auth/types.js";

export interface RpcCall {
  readonly services: Services;
  readonly principal: Principal;
  readonly params: Readonly<Record<string, string>>;
  readonly requestId: string;
}

export type RpcHandler = (call: RpcCall) => Promise<Record<string, unknown>> | Record<string, unknown>;

export const RPC_ACTIONS: Readonly<Record<string, RpcHandler>> = {};
