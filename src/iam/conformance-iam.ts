/**
 * IAM store conformance: what every backend of the identity stores (stores.ts) must do, run with two
 * store sets on the same data standing for two server processes. SQLite runs it in sqlite-iam.test.ts.
 */
import { describe } from "node:test";
import type { SharedStoreFactory } from "../storage/conformance-fixture.js";
import type { IamStores } from "./stores.js";
import { identityCases } from "./conformance-iam-identities.js";
import { policyCases } from "./conformance-iam-policies.js";

export function runIamStoreConformance(name: string, make: SharedStoreFactory<IamStores>): void {
  describe(`IAM store conformance: ${name}`, () => {
    identityCases(make);
    policyCases(make);
  });
}
