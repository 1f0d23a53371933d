/**
 * IMM's optional `CredentialConfig` (a JSON string in the query, SDK "shrink" style): a chain of
 * roles to assume and/or a session policy for IMM's access to OSS. On Alibaba Cloud it decides
 * which identity IMM uses instead of the project's service role; here it can only narrow: the
 * caller's own rights and the project's service role are always required (`source-access.ts`),
 * and `Policy` narrows the service role like an STS session policy. The role chain and
 * `ServiceRole` are validated and otherwise unused: they grant nothing, so cannot widen.
 */
import { invalid } from "./params.js";
import { tryParsePolicy } from "../policy/evaluate.js";

export interface AssumeRoleNode {
  readonly Role: string;
  readonly RoleType: "user" | "service";
  readonly AssumeRoleFor?: string;
}

export interface CredentialConfig {
  readonly Chain?: readonly AssumeRoleNode[];
  readonly Policy?: string;
  readonly ServiceRole?: string;
}

const ROLE_NAME = /^[A-Za-z0-9._-]{1,64}$/;
const MAX_CHAIN = 3;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function chainNode(value: unknown, index: number): AssumeRoleNode {
  const where = `CredentialConfig.Chain[${index}]`;
  if (!isObject(value)) throw invalid(`${where} must be an object.`);
  const { Role, RoleType = "user", AssumeRoleFor } = value;
  if (typeof Role !== "string" || !ROLE_NAME.test(Role)) throw invalid(`${where}.Role must be a RAM role name.`);
  if (RoleType !== "user" && RoleType !== "service") throw invalid(`${where}.RoleType must be "user" or "service".`);
  if (AssumeRoleFor !== undefined && (typeof AssumeRoleFor !== "string" || !/^\d{1,32}$/.test(AssumeRoleFor))) {
    throw invalid(`${where}.AssumeRoleFor must be an account id (digits).`);
  }
  return { Role, RoleType, ...(AssumeRoleFor !== undefined ? { AssumeRoleFor } : {}) };
}

/** Parses and validates; undefined when absent. Unknown members are ignored (newer SDK fields). */
export function parseCredentialConfig(raw: string | undefined): CredentialConfig | undefined {
  if (raw === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw invalid("The CredentialConfig is not valid JSON.");
  }
  if (!isObject(value)) throw invalid("The CredentialConfig must be a JSON object.");
  const config: { Chain?: AssumeRoleNode[]; Policy?: string; ServiceRole?: string } = {};
  if (value.Chain !== undefined) {
    if (!Array.isArray(value.Chain) || value.Chain.length === 0 || value.Chain.length > MAX_CHAIN) {
      throw invalid(`The CredentialConfig.Chain must be an array of 1 to ${MAX_CHAIN} roles.`);
    }
    config.Chain = value.Chain.map(chainNode);
  }
  if (value.Policy !== undefined) {
    if (typeof value.Policy !== "string") throw invalid("The CredentialConfig.Policy must be a policy document as a JSON string.");
    let policy: unknown;
    try {
      policy = JSON.parse(value.Policy);
    } catch {
      throw invalid("The CredentialConfig.Policy is not valid JSON.");
    }
    if (!isObject(policy) || !Array.isArray(policy.Statement)) throw invalid("The CredentialConfig.Policy must be a policy document with a Statement array.");
    // It is applied as a session policy: it must be one the policy evaluator accepts.
    const parsed = tryParsePolicy(value.Policy, "identity");
    if (!parsed.ok) throw invalid(`The CredentialConfig.Policy is not a valid policy document: ${parsed.error.message}`);
    config.Policy = value.Policy;
  }
  if (value.ServiceRole !== undefined) {
    if (typeof value.ServiceRole !== "string" || !ROLE_NAME.test(value.ServiceRole)) throw invalid("The CredentialConfig.ServiceRole must be a RAM role name.");
    config.ServiceRole = value.ServiceRole;
  }
  return config;
}
