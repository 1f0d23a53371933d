/**
 * Per-request authentication + authorization cost, in-process (issue 19; not a test): a signed
 * (V1 header) GET of an object in a bucket that has a bucket policy, through the real identity
 * stores on a fresh iam.sqlite — the access key lookup, its secret's unsealing, the signature,
 * the bucket policy (cached), the caller's identity policies and the evaluation. Once as a RAM
 * user (identity policies read), once as the root. Prints CPU µs per request (median and best
 * of the rounds): CPU time, not wall time, since the machine is shared.
 *
 *   node dist/bench/auth.js [--requests 10000] [--rounds 5]
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { Iam } from "../src/iam/iam.js";
import { iamPolicySource } from "../src/iam/policy-source.js";
import { Authorizer } from "../src/authz/authorize.js";
import { authenticate } from "../src/auth/authenticate.js";
import { decideBucketAccess } from "../src/authz/bucket-access.js";
import { buildV1StringToSign, signV1 } from "../src/auth/v1.js";
import { newReadEpoch } from "../src/storage/change-seq.js";
import type { SignableRequest } from "../src/auth/types.js";
import type { BucketRecord } from "../src/storage/types.js";

const { values } = parseArgs({ options: { requests: { type: "string", default: "10000" }, rounds: { type: "string", default: "5" } } });
const requests = Number(values.requests);
const rounds = Number(values.rounds);
if (!Number.isInteger(requests) || requests < 1 || !Number.isInteger(rounds) || rounds < 1) throw new Error("--requests and --rounds must be positive integers");

const dir = mkdtempSync(join(tmpdir(), "barbucket-bench-auth-"));
const iam = await Iam.open(dir);
try {
  const accountId = await iam.identities.accountId();
  await iam.users.create({ name: "alice" });
  await iam.policies.attach("AliyunOSSReadOnlyAccess", "System", { type: "user", name: "alice" });
  const userKey = await iam.identities.createUserKey("alice");
  const rootKey = await iam.identities.ensureRootKey();
  await iam.bucketPolicies.put("b", JSON.stringify({ Version: "1", Statement: [{ Effect: "Deny", Action: "oss:DeleteObject", Principal: ["*"], Resource: `acs:oss:*:${accountId}:b/*` }] }));
  const deps = { authorizer: new Authorizer(iamPolicySource(iam)), meta: { getObject: async () => undefined }, iam };
  const bucket: BucketRecord = { name: "b", owner: accountId, acl: "private", storageClass: "Standard", createdAt: new Date(0), region: "oss-cn-hangzhou" };

  const signedGet = (key: { accessKeyId: string; secret: string }): SignableRequest => {
    const date = new Date().toUTCString();
    const base = { method: "GET", bucket: "b", key: "k.png", query: [], headers: { date, host: "b.localhost" } };
    const signature = signV1(key.secret, buildV1StringToSign({ ...base, dateLine: date }));
    return { ...base, headers: { ...base.headers, authorization: `OSS ${key.accessKeyId}:${signature}` } };
  };

  const measure = async (who: string, req: SignableRequest): Promise<void> => {
    const one = async (): Promise<void> => {
      newReadEpoch(); // as every server request does
      const auth = await authenticate(req, iam.identities, { now: new Date(), region: "cn-hangzhou" });
      if (auth.kind !== "signed") throw new Error("not signed");
      const decision = await decideBucketAccess(deps, { principal: auth.principal, actions: ["oss:GetObject"], bucket, key: "k.png", context: {} });
      if (!decision.allowed) throw new Error(`denied: ${decision.reason}`);
    };
    for (let i = 0; i < Math.min(2000, requests); i++) await one(); // warm-up
    const perRequest: number[] = [];
    for (let r = 0; r < rounds; r++) {
      const start = process.cpuUsage();
      for (let i = 0; i < requests; i++) await one();
      const used = process.cpuUsage(start);
      perRequest.push((used.user + used.system) / requests);
    }
    perRequest.sort((x, y) => x - y);
    console.log(`${who}: ${perRequest[Math.floor(perRequest.length / 2)]!.toFixed(1)} µs CPU per request (best ${perRequest[0]!.toFixed(1)}; ${rounds} rounds of ${requests})`);
  };

  await measure("RAM user (identity policies read)", signedGet(userKey));
  await measure("root", signedGet(rootKey));
} finally {
  await iam.close();
  rmSync(dir, { recursive: true, force: true });
}
