/**
 * The identity and access data of an installation: account, keys, users, policies, roles, STS
 * sessions, bucket policies and RPC nonces, behind the asynchronous stores of `stores.ts` (one
 * SQLite file, or PostgreSQL under BARBUCKET_DATABASE_URL). Built once by the composition root.
 */
import { join } from "node:path";
import type { NonceMemory } from "../rpc/signature.js";
import { RpcError } from "../rpc/errors.js";
import { SecretBox } from "./secret-box.js";
import type { ConfiguredKey } from "../crypto/master-key.js";
import { openSqliteIamStores } from "./sqlite-iam.js";
import { openPgIamStores } from "./pg-iam.js";
import type { BucketPolicyStore, IamStores, IdentityStore, PolicyStore, RoleStore, UserStore } from "./stores.js";
import { SYSTEM_POLICY_DOCUMENTS, IMM_SERVICE_ROLE } from "./builtins.js";

export class Iam {
  readonly identities: IdentityStore;
  readonly users: UserStore;
  readonly policies: PolicyStore;
  readonly roles: RoleStore;
  readonly bucketPolicies: BucketPolicyStore;
  /** RPC SignatureNonce replay memory, shared by every process. */
  readonly nonces: NonceMemory;

  private constructor(private readonly stores: IamStores, readonly box: SecretBox) {
    this.identities = stores.identities;
    this.users = stores.users;
    this.policies = stores.policies;
    this.roles = stores.roles;
    this.bucketPolicies = stores.bucketPolicies;
    this.nonces = stores.nonces;
  }

  /**
   * The PostgreSQL stores under `databaseUrl` (BARBUCKET_DATABASE_URL, shared by every node), else
   * `<dataDir>/iam.sqlite`; sealed with the master key (configured, or the data dir's); seeded (see `seed`).
   */
  static async open(dataDir: string, masterKey?: ConfiguredKey, databaseUrl?: string): Promise<Iam> {
    const box = SecretBox.open(dataDir, masterKey);
    if (!databaseUrl) return await Iam.over(openSqliteIamStores(join(dataDir, "iam.sqlite"), box), box);
    const stores = await openPgIamStores(databaseUrl, box, { importSqlite: join(dataDir, "iam.sqlite") }).catch((error: unknown) => {
      throw new Error(`BARBUCKET_DATABASE_URL: cannot open the identity stores: ${(error as Error).message}`, { cause: error });
    });
    return await Iam.over(stores, box);
  }

  /** The Iam of already opened stores (any backend), seeded. */
  static async over(stores: IamStores, box: SecretBox): Promise<Iam> {
    const iam = new Iam(stores, box);
    try {
      await iam.seed();
    } catch (error) {
      await stores.close();
      throw error;
    }
    return iam;
  }

  /** The system policies (refreshed every start) and the IMM service role. */
  private async seed(): Promise<void> {
    await this.policies.seedSystemPolicies(SYSTEM_POLICY_DOCUMENTS);
    const role = await this.roles.ensure(IMM_SERVICE_ROLE);
    if ((await this.policies.listFor({ type: "role", name: role.RoleName })).length === 0 && (await this.identities.getSetting("imm-role-seeded")) === undefined) {
      // First start only: give the IMM service role read access to OSS, as the console's quick
      // authorisation does. An operator may detach it later; we never re-attach it.
      try {
        await this.policies.attach("AliyunOSSReadOnlyAccess", "System", { type: "role", name: role.RoleName });
      } catch (error) {
        // Another process starting at the same time attached it first: seeded all the same.
        if (!(error instanceof RpcError && error.code === "EntityAlreadyExists.Role.Policy")) throw error;
      }
    }
    await this.identities.setSetting("imm-role-seeded", "1");
  }

  async close(): Promise<void> {
    await this.stores.close();
  }
}
