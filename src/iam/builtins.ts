/** Built-in system policies and the IMM service role, as Alibaba Cloud defines them. */
import { SYSTEM_POLICIES } from "../policy/evaluate.js";

function policy(statements: Array<{ Action: string | string[]; Resource?: string }>): string {
  return JSON.stringify({ Version: "1", Statement: statements.map((s) => ({ Effect: "Allow", Resource: "*", ...s })) });
}

export const SYSTEM_POLICY_DOCUMENTS: Readonly<Record<string, { description: string; document: string }>> = {
  // The documents the policy module publishes, so evaluation tests and the seeded store agree.
  AliyunOSSFullAccess: { description: "Permission to manage Object Storage Service (OSS)", document: SYSTEM_POLICIES.AliyunOSSFullAccess.text },
  AliyunOSSReadOnlyAccess: { description: "Read-only access to Object Storage Service (OSS)", document: SYSTEM_POLICIES.AliyunOSSReadOnlyAccess.text },
  AliyunIMMFullAccess: { description: "Permission to manage Intelligent Media Management (IMM)", document: SYSTEM_POLICIES.AliyunIMMFullAccess.text },
  AliyunRAMFullAccess: { description: "Permission to manage Resource Access Management (RAM)", document: policy([{ Action: "ram:*" }]) },
  AliyunSTSAssumeRoleAccess: { description: "Permission to call AssumeRole of Security Token Service (STS)", document: policy([{ Action: "sts:AssumeRole" }]) },
};

/** The role IMM projects use to read OSS by default. */
export const IMM_SERVICE_ROLE = {
  name: "AliyunIMMDefaultRole",
  description: "The role IMM assumes to access your OSS buckets.",
  trustPolicy: JSON.stringify({
    Statement: [{ Action: "sts:AssumeRole", Effect: "Allow", Principal: { Service: ["imm.aliyuncs.com"] } }],
    Version: "1",
  }),
};
