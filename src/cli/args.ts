/**
 * Argument parsing of the OSS verbs: node's util.parseArgs (strict) with the connection options every
 * verb takes. Bad usage comes back as a UsageError (exit 2).
 */
import { parseArgs } from "node:util";
import { UsageError } from "./exit-codes.js";
import type { ConnectionFlags } from "./config.js";

export type OptionSpec = Record<string, { type: "string" | "boolean"; short?: string; multiple?: boolean }>;

export const CONNECTION_OPTIONS = {
  "access-key-id": { type: "string" },
  "access-key-secret": { type: "string" },
  "sts-token": { type: "string" },
  endpoint: { type: "string" },
  region: { type: "string" },
  config: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const satisfies OptionSpec;

export const CONNECTION_HELP = `Connection (each: flag, else environment, else the config file, else the default):
  --access-key-id ID        OSS_ACCESS_KEY_ID
  --access-key-secret S     OSS_ACCESS_KEY_SECRET
  --sts-token T             OSS_SESSION_TOKEN
  --endpoint URL            OSS_ENDPOINT (default http://127.0.0.1:9000; buckets go in the path)
  --region R                OSS_REGION (default oss-cn-hangzhou)
  --config FILE             config file (default $XDG_CONFIG_HOME/barbucket/credentials.json,
                            else ~/.config/barbucket/credentials.json)`;

export interface Parsed {
  values: Record<string, string | boolean | string[] | undefined> & ConnectionFlags;
  positionals: string[];
}

export function parseCommandArgs(argv: string[], options: OptionSpec, positionals: { min: number; max: number }): Parsed {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: { ...CONNECTION_OPTIONS, ...options }, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message.replace(/\. To specify a positional argument.*$/s, ""));
  }
  const values = parsed.values as Parsed["values"];
  if (values.help) return { values, positionals: parsed.positionals };
  const n = parsed.positionals.length;
  if (n < positionals.min) throw new UsageError(n === 0 ? "missing argument" : `needs at least ${positionals.min} arguments, got ${n}`);
  if (n > positionals.max) throw new UsageError(`too many arguments (at most ${positionals.max}): ${parsed.positionals.slice(positionals.max).join(" ")}`);
  return { values, positionals: parsed.positionals };
}

/** A positive integer option, or the default. */
export function intOption(values: Parsed["values"], name: string, fallback: number, min: number, max: number): number {
  const raw = values[name];
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (typeof raw !== "string" || !Number.isInteger(n) || n < min || n > max) throw new UsageError(`--${name} needs an integer ${min}..${max}, got ${String(raw)}`);
  return n;
}

export function listOption(values: Parsed["values"], name: string): string[] {
  const v = values[name];
  return Array.isArray(v) ? v : typeof v === "string" ? [v] : [];
}
