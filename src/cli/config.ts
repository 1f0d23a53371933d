/**
 * Where the CLI's connection comes from: flags, then environment, then the config file
 * `$XDG_CONFIG_HOME/barbucket/credentials.json` (default `~/.config/barbucket/credentials.json`),
 * then the defaults (endpoint http://127.0.0.1:9000, region oss-cn-hangzhou). Each field is resolved
 * on its own, so a flag can override only the endpoint of a config file.
 */
import { readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { UsageError } from "./exit-codes.js";

export interface Connection {
  accessKeyId: string;
  accessKeySecret: string;
  stsToken?: string;
  endpoint: string;
  region: string;
}

export const DEFAULT_ENDPOINT = "http://127.0.0.1:9000";
export const DEFAULT_REGION = "oss-cn-hangzhou";

/** The folder of the CLI's own files: credentials.json and checkpoints/. */
export function configDir(env: NodeJS.ProcessEnv = process.env): string {
  const xdg = env.XDG_CONFIG_HOME;
  return join(xdg && xdg.startsWith("/") ? xdg : join(env.HOME || homedir(), ".config"), "barbucket");
}

export function credentialsFile(env: NodeJS.ProcessEnv = process.env): string {
  return join(configDir(env), "credentials.json");
}

type Fields = Partial<Record<keyof Connection, string>>;

const FILE_KEYS: Record<keyof Connection, string[]> = {
  accessKeyId: ["accessKeyId", "access_key_id"],
  accessKeySecret: ["accessKeySecret", "access_key_secret"],
  stsToken: ["stsToken", "sts_token", "securityToken"],
  endpoint: ["endpoint"],
  region: ["region"],
};

function readConfigFile(file: string, required: boolean): Fields {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    if (!required && (error as NodeJS.ErrnoException).code === "ENOENT") return {};
    throw new UsageError(`cannot read the config file ${file}: ${(error as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`the config file ${file} is not JSON: ${(error as Error).message}`);
  }
  if (typeof json !== "object" || json === null || Array.isArray(json)) throw new UsageError(`the config file ${file} must hold a JSON object`);
  const out: Fields = {};
  for (const [field, names] of Object.entries(FILE_KEYS) as [keyof Connection, string[]][]) {
    for (const name of names) {
      const v = (json as Record<string, unknown>)[name];
      if (typeof v === "string" && v !== "") { out[field] = v; break; }
    }
  }
  return out;
}

export interface ConnectionFlags {
  "access-key-id"?: string | undefined;
  "access-key-secret"?: string | undefined;
  "sts-token"?: string | undefined;
  endpoint?: string | undefined;
  region?: string | undefined;
  config?: string | undefined;
}

export function resolveConnection(flags: ConnectionFlags, env: NodeJS.ProcessEnv = process.env): Connection {
  const fromFlags: Fields = {
    accessKeyId: flags["access-key-id"],
    accessKeySecret: flags["access-key-secret"],
    stsToken: flags["sts-token"],
    endpoint: flags.endpoint,
    region: flags.region,
  };
  const fromEnv: Fields = {
    accessKeyId: env.OSS_ACCESS_KEY_ID,
    accessKeySecret: env.OSS_ACCESS_KEY_SECRET,
    stsToken: env.OSS_SESSION_TOKEN,
    endpoint: env.OSS_ENDPOINT,
    region: env.OSS_REGION,
  };
  const fromFile = readConfigFile(flags.config ?? credentialsFile(env), flags.config !== undefined);
  const pick = (k: keyof Connection): string | undefined => fromFlags[k] || fromEnv[k] || fromFile[k] || undefined;
  const accessKeyId = pick("accessKeyId");
  const accessKeySecret = pick("accessKeySecret");
  if (!accessKeyId || !accessKeySecret) {
    throw new UsageError(`no credentials: give --access-key-id and --access-key-secret, set OSS_ACCESS_KEY_ID and OSS_ACCESS_KEY_SECRET, or write them to ${credentialsFile(env)}`);
  }
  let endpoint = pick("endpoint") ?? DEFAULT_ENDPOINT;
  if (!/^https?:\/\//i.test(endpoint)) endpoint = `http://${endpoint}`;
  try {
    new URL(endpoint);
  } catch {
    throw new UsageError(`bad endpoint ${endpoint}`);
  }
  const stsToken = pick("stsToken");
  return { accessKeyId, accessKeySecret, ...(stsToken ? { stsToken } : {}), endpoint, region: pick("region") ?? DEFAULT_REGION };
}
