/** Which RAM actions an x-oss-process needs beyond oss:GetObject: IMM-backed actions need oss:ProcessImm. */
import { IMAGE_ACTIONS } from "./registry.js";

/** Read from the raw value, so a process that fails to parse is still judged by the actions it names. */
export function namesImmAction(value: string): boolean {
  const [process = ""] = value.split("|");
  if (!process.startsWith("image/")) return false;
  return process.slice("image/".length).split("/").some((segment) => IMAGE_ACTIONS[segment.split(",")[0] ?? ""]?.imm === true);
}
