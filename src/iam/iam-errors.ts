/** The RAM errors every identity store backend raises the same way (stores.ts). */
import { RpcError } from "../rpc/errors.js";

export function notFoundUser(name: string): RpcError {
  return new RpcError(404, "EntityNotExist.User", `The user does not exist: ${name}.`);
}

export function notFoundRole(name: string): RpcError {
  return new RpcError(404, "EntityNotExist.Role", `The role does not exist: ${name}.`);
}

export function notFoundPolicy(name: string): RpcError {
  return new RpcError(404, "EntityNotExist.Policy", `The policy does not exist: ${name}.`);
}
