/**
 * Shared parameter readers for image actions: each failure is the OSS error a client sees (400
 * InvalidArgument naming the action and parameter, or MissingArgument), never a crash.
 */
import { OssError } from "../errors/oss-error.js";

export type Params = ReadonlyMap<string, string>;

export function badParam(action: string, name: string, value: string, why: string, ec?: string): OssError {
  return new OssError("InvalidArgument", `The parameter ${name} of image/${action} is invalid: ${why}.`, {
    ...(ec ? { ec } : {}),
    extra: { ArgumentName: `${action}.${name}`, ArgumentValue: value },
  });
}

export function missingParam(action: string, what: string, ec?: string): OssError {
  return new OssError("MissingArgument", `image/${action} needs ${what}.`, { ...(ec ? { ec } : {}), extra: { ArgumentName: action } });
}

/** Refuses parameters the action does not know (OSS answers 400 rather than ignoring them). */
export function onlyKnown(action: string, params: Params, known: readonly string[]): void {
  for (const [k, v] of params) {
    if (!known.includes(k)) throw badParam(action, k, v, `image/${action} has no parameter "${k}"`);
  }
}

/** An integer in [min, max]; undefined when absent. */
export function intParam(action: string, params: Params, name: string, min: number, max: number): number | undefined {
  const raw = params.get(name);
  if (raw === undefined) return undefined;
  if (!/^-?\d{1,9}$/.test(raw)) throw badParam(action, name, raw, "not an integer");
  const value = Number(raw);
  if (value < min || value > max) throw badParam(action, name, raw, `must be in [${min}, ${max}]`);
  return value;
}

export function flagParam(action: string, params: Params, name: string): boolean | undefined {
  const raw = params.get(name);
  if (raw === undefined) return undefined;
  if (raw !== "0" && raw !== "1") throw badParam(action, name, raw, "must be 0 or 1");
  return raw === "1";
}

/** A six-digit hex RGB colour (`FF0000`), as `#rrggbb`. */
export function colorParam(action: string, params: Params, name: string): string | undefined {
  const raw = params.get(name);
  if (raw === undefined) return undefined;
  if (!/^[0-9A-Fa-f]{6}$/.test(raw)) throw badParam(action, name, raw, "must be a six-digit hex RGB colour such as FFFFFF");
  return `#${raw.toLowerCase()}`;
}

export const GRAVITIES = ["nw", "north", "ne", "west", "center", "east", "sw", "south", "se"] as const;
export type Gravity = (typeof GRAVITIES)[number];

export function gravityParam(action: string, params: Params, name = "g"): Gravity | undefined {
  const raw = params.get(name);
  if (raw === undefined) return undefined;
  if (!(GRAVITIES as readonly string[]).includes(raw)) throw badParam(action, name, raw, `must be one of ${GRAVITIES.join(", ")}`);
  return raw as Gravity;
}

/**
 * OSS encodes names and texts in URL-safe Base64 (RFC 4648 §5), padding optional; standard Base64
 * (`+`, `/`) is accepted too, as ali-oss's processObjectSave sends it.
 */
export function decodeBase64Name(raw: string): string | undefined {
  if (raw === "" || !/^[A-Za-z0-9+/_-]+={0,2}$/.test(raw)) return undefined;
  const text = Buffer.from(raw.replace(/-/g, "+").replace(/_/g, "/"), "base64").toString("utf8");
  if (text === "" || !text.isWellFormed() || text.includes("\uFFFD")) return undefined;
  return text;
}

export function base64Param(action: string, params: Params, name: string): string | undefined {
  const raw = params.get(name);
  if (raw === undefined) return undefined;
  const text = decodeBase64Name(raw);
  // OSS's own wording for this (IMG common errors page).
  if (text === undefined) throw new OssError("BadRequest", "Input is not base64 decoding.", { extra: { ArgumentName: `${action}.${name}`, ArgumentValue: raw } });
  return text;
}
