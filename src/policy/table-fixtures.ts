/**
 * Shared fixtures for the table-driven evaluator tests (evaluate*.test.ts): principals, policy
 * builders and a row runner. Test-only; not imported by production code.
 */
import { it } from "node:test";
import assert from "node:assert/strict";
import { parsePolicy, type PolicyDocument } from "./document.js";
import { evaluate, ossResourceArn, SYSTEM_POLICIES, type DecisionSource, type EvaluationResult, type NamedPolicy, type PolicyPrincipal, type SystemPolicyName } from "./evaluate.js";
import type { ConditionContext } from "./conditions.js";

export const OWNER = "1000";
export const OTHER = "3000";

export const ownerRoot: PolicyPrincipal = { accountId: OWNER, kind: "root", arn: `acs:ram::${OWNER}:root` };
export const alice: PolicyPrincipal = { accountId: OWNER, kind: "user", name: "alice", arn: `acs:ram::${OWNER}:user/alice`, userId: "2001" };
export const bob: PolicyPrincipal = { accountId: OWNER, kind: "user", name: "bob", arn: `acs:ram::${OWNER}:user/bob`, userId: "2002" };
export const uploader: PolicyPrincipal = { accountId: OWNER, kind: "assumed-role", name: "s1", arn: `acs:ram::${OWNER}:assumed-role/uploader/s1` };
export const otherRoot: PolicyPrincipal = { accountId: OTHER, kind: "root", arn: `acs:ram::${OTHER}:root` };
export const carol: PolicyPrincipal = { accountId: OTHER, kind: "user", name: "carol", arn: `acs:ram::${OTHER}:user/carol`, userId: "3002" };

/** Default resource: an object in the owner's bucket `b`. */
export const OBJ = ossResourceArn(OWNER, "b", "k");

export type Stmt = Record<string, unknown>;
export const allow = (Action: unknown, Resource: unknown = "*", extra: Stmt = {}): Stmt => ({ Effect: "Allow", Action, Resource, ...extra });
export const deny = (Action: unknown, Resource: unknown = "*", extra: Stmt = {}): Stmt => ({ Effect: "Deny", Action, Resource, ...extra });

export function identityDoc(...statements: Stmt[]): PolicyDocument {
  return parsePolicy(JSON.stringify({ Version: "1", Statement: statements }), "identity");
}
export function bucketDoc(...statements: Stmt[]): PolicyDocument {
  return parsePolicy(JSON.stringify({ Version: "1", Statement: statements }), "resource");
}

export interface Row {
  readonly name: string;
  /** Default: alice. */
  readonly principal?: PolicyPrincipal | "anonymous";
  readonly action: string;
  readonly resource?: string;
  readonly owner?: string;
  /** Policy name → statements, or the name of a system policy (value "system"). */
  readonly identity?: Readonly<Record<string, readonly Stmt[] | "system">>;
  readonly session?: readonly Stmt[];
  readonly bucket?: readonly Stmt[];
  readonly context?: ConditionContext;
  readonly acl?: boolean;
  readonly expect: EvaluationResult["decision"];
  readonly source?: DecisionSource;
  readonly statementIndex?: number;
  readonly policyName?: string;
}

export function runRow(row: Row): EvaluationResult {
  const identityPolicies: NamedPolicy[] = Object.entries(row.identity ?? {}).map(([name, v]) => ({
    name,
    document: v === "system" ? SYSTEM_POLICIES[name as SystemPolicyName] : identityDoc(...v),
  }));
  return evaluate({
    principal: row.principal === "anonymous" ? undefined : row.principal ?? alice,
    action: row.action,
    resource: row.resource ?? OBJ,
    ownerAccountId: row.owner ?? OWNER,
    identityPolicies,
    ...(row.session ? { sessionPolicy: identityDoc(...row.session) } : {}),
    ...(row.bucket ? { bucketPolicy: bucketDoc(...row.bucket) } : {}),
    ...(row.context ? { context: row.context } : {}),
    aclAllows: row.acl ?? false,
  });
}

/** Registers one node:test case per row. */
export function runTable(rows: readonly Row[]): void {
  for (const row of rows) {
    it(row.name, () => {
      const r = runRow(row);
      const got = `${r.decision}/${r.by.source} (${r.reason})`;
      assert.equal(r.decision, row.expect, got);
      assert.equal(r.allowed, row.expect === "Allow", got);
      if (row.source !== undefined) assert.equal(r.by.source, row.source, got);
      if (row.statementIndex !== undefined) assert.equal(r.by.statementIndex, row.statementIndex, got);
      if (row.policyName !== undefined) assert.equal(r.by.policyName, row.policyName, got);
      assert.ok(r.reason.length > 0);
    });
  }
}
