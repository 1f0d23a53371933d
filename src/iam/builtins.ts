/** Built-in system policies and the IMM service role, as Alibaba Cloud defines them. */

function policy(statements: Array<{ Action: string | string[]; Resource?: string }>): string {
  return JSON.stringify({ Version: "1", Statement: statements.map((s) => ({ Effect: "Allow", Resource: "*", ...s })) });
}

export const SYSTEM_POLICY_DOCUMENTS: Readonly<Record<string, { description: string; document: string }>> = {
  AliyunOSSFullAccess: { description: "Permission to manage Object Storage Service (OSS)", document: policy([{ Action: "oss:*" }]) },
  AliyunOSSReadOnlyAccess: { description: "Read-only access to Object Storage Service (OSS)", document: policy([{ Action: ["oss:Get*", "oss:List*"] }]) },
  AliyunIMMFullAccess: { description: "Permission to manage Intelligent Media Management (IMM)", document: policy([{ Action: "imm:*" }]) },
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
