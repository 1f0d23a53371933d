import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, it } from "node:test";
import { randomBytes } from "node:crypto";
import { Authorizer } from "../authz/authorize.js";
import type { Principal } from "../auth/types.js";
import { SecretBox } from "../iam/secret-box.js";
import { KmsService } from "./service.js";
import { kmsKeyAllowed } from "./access.js";

const dir = mkdtempSync(join(tmpdir(), "kms-access-"));
after(() => rmSync(dir, { recursive: true, force: true }));
const ACC = "1000000000000001";

it("kmsKeyAllowed: root yes; a user only with kms:Decrypt on the key; anonymous and other accounts never", async () => {
  const kms = KmsService.open(dir, SecretBox.fromKey(randomBytes(32)), "cn-hangzhou");
  const key = await kms.createKey(ACC);
  const other = await kms.createKey(ACC);
  const doc = JSON.stringify({ Version: "1", Statement: [{ Effect: "Allow", Action: "kms:Decrypt", Resource: `acs:kms:*:*:key/${key.keyId}` }] });
  const authorizer = new Authorizer({ identityPolicies: async (p) => (p.name === "reader" ? [{ name: "p", document: doc }] : []) });
  const services = { authorizer, kms };
  const root: Principal = { accountId: ACC, kind: "root", arn: `acs:ram::${ACC}:root`, accessKeyId: "AK1" };
  const reader: Principal = { accountId: ACC, kind: "user", name: "reader", userId: "2001", arn: `acs:ram::${ACC}:user/reader`, accessKeyId: "AK2" };
  const stranger: Principal = { accountId: "2000000000000002", kind: "root", arn: "acs:ram::2000000000000002:root", accessKeyId: "AK3" };
  const check = (principal: Principal | undefined, keyId: string, action: "kms:Decrypt" | "kms:GenerateDataKey" = "kms:Decrypt") =>
    kmsKeyAllowed(services, { principal, action, ownerAccountId: ACC, keyId });
  assert.equal(await check(root, key.keyId), true);
  assert.equal(await check(reader, key.keyId), true);
  assert.equal(await check(reader, other.keyId), false);
  assert.equal(await check(reader, key.keyId, "kms:GenerateDataKey"), false);
  assert.equal(await check(undefined, key.keyId), false);
  assert.equal(await check(stranger, key.keyId), false);
  await kms.close();
});
