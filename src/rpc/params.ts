/** Reading RPC parameters with the POP error codes for missing or invalid ones. */
import { RpcError } from "./errors.js";

export function required(params: Readonly<Record<string, string>>, name: string): string {
  const value = params[name];
  if (value === undefined || value === "") throw new RpcError(400, `Missing${name}`, `${name} is mandatory for this action.`);
  return value;
}

export function optional(params: Readonly<Record<string, string>>, name: string): string | undefined {
  const value = params[name];
  return value === undefined || value === "" ? undefined : value;
}

export function integer(params: Readonly<Record<string, string>>, name: string, fallback: number, min: number, max: number): number {
  const raw = optional(params, name);
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new RpcError(400, `InvalidParameter.${name}`, `The parameter ${name} must be an integer between ${min} and ${max}.`);
  }
  return n;
}

/** RAM-style names: 1–64 characters of letters, digits, `.`, `_`, `-`. */
export function checkName(kind: string, value: string, max = 64): string {
  if (!new RegExp(`^[A-Za-z0-9._-]{1,${max}}$`).test(value)) {
    throw new RpcError(400, `InvalidParameter.${kind}`, `The parameter ${kind} is invalid: 1-${max} characters of letters, digits, '.', '_' and '-'.`);
  }
  return value;
}
