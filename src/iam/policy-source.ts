/** The identity policies of a principal, read from the IAM store for the Authorizer. */
import type { PolicySource } from "../authz/authorize.js";
import type { Iam } from "./iam.js";

export function iamPolicySource(iam: Iam): PolicySource {
  return {
    async identityPolicies(principal) {
      if (principal.kind === "user" && principal.name) return await iam.policies.documentsFor({ type: "user", name: principal.name });
      if (principal.kind === "assumed-role" && principal.session) return await iam.policies.documentsFor({ type: "role", name: principal.session.roleName });
      return [];
    },
  };
}
