/** Actions written `name,<value>` (rotate,90 · bright,50 · format,png): the plan parser sees the value as a key. */
import { missingParam, badParam, type Params } from "../params.js";

export function bareValue(action: string, params: Params, ec?: { missing?: string }): string {
  const entries = [...params];
  if (entries.length === 0) throw missingParam(action, "a value", ec?.missing);
  const [first] = entries;
  const [k, v] = first!;
  if (entries.length > 1 || v !== "") throw badParam(action, k, v, `image/${action} takes one value, written image/${action},<value>`);
  return k;
}

export function bareInt(action: string, params: Params, min: number, max: number): number {
  const raw = bareValue(action, params);
  if (!/^-?\d{1,9}$/.test(raw)) throw badParam(action, "value", raw, "not an integer");
  const value = Number(raw);
  if (value < min || value > max) throw badParam(action, "value", raw, `must be in [${min}, ${max}]`);
  return value;
}
