/**
 * Key material and the credentials a resolved key becomes, shared by every IdentityStore backend
 * (identity-store.ts on SQLite, pg-identity-store.ts on PostgreSQL) so both resolve alike.
 */
import { createHash, randomBytes, randomInt, timingSafeEqual } from "node:crypto";
import type { Credential, Principal } from "../auth/types.js";

export function newAccessKeyId(prefix = "LTAI"): string {
  return `${prefix}${randomBytes(12).toString("base64url").replace(/[-_]/g, "x").slice(0, 20)}`;
}

export function newSecret(): string {
  return randomBytes(22).toString("base64url").replace(/[-_]/g, "z").slice(0, 30);
}

export function newSecurityToken(): string {
  return `CAIS${randomBytes(48).toString("base64url")}`;
}

/** `length` random digits, the first not 0: RAM's numeric ids (accounts and users 16, roles 19). */
export function digitId(length: number): string {
  return String(randomInt(1, 10)) + Array.from({ length: length - 1 }, () => String(randomInt(0, 10))).join("");
}

export function newAccountId(): string {
  return digitId(16);
}

export function tokenHash(token: string): Buffer {
  return createHash("sha256").update(token).digest();
}

/** How long expired STS sessions are kept before a createSession forgets them. */
export const SESSION_RETENTION_MS = 24 * 3600_000;

export function rootPrincipal(accountId: string, accessKeyId: string): Principal {
  return { accountId, kind: "root", arn: `acs:ram::${accountId}:root`, accessKeyId };
}

export function userPrincipal(accountId: string, userName: string, userId: string, accessKeyId: string): Principal {
  return { accountId, kind: "user", name: userName, userId, arn: `acs:ram::${accountId}:user/${userName}`, accessKeyId };
}

export function credential(accessKeyId: string, secret: string, principal: Principal, active: boolean): Credential {
  return { accessKeyId, secret, principal, active };
}

/** A stored STS session, as both backends read it. */
export interface SessionRecord {
  readonly accessKeyId: string;
  readonly secret: string;
  readonly tokenHashHex: string;
  readonly roleName: string;
  readonly sessionName: string;
  readonly sessionPolicy: string | undefined;
  readonly expiresAtMs: number;
}

/** The assumed-role credential of a session; its security token is checked against the stored hash. */
export function sessionCredential(accountId: string, session: SessionRecord): Credential {
  const { accessKeyId, roleName, sessionName, expiresAtMs } = session;
  const principal: Principal = {
    accountId,
    kind: "assumed-role",
    name: sessionName,
    arn: `acs:ram::${accountId}:assumed-role/${roleName.toLowerCase()}/${sessionName}`,
    accessKeyId,
    session: { roleName, sessionPolicy: session.sessionPolicy, expiresAt: new Date(expiresAtMs) },
  };
  const expected = Buffer.from(session.tokenHashHex, "hex");
  return {
    ...credential(accessKeyId, session.secret, principal, true),
    checkSecurityToken: (token, now) => {
      if (token === undefined || token === "") return "InvalidSecurityToken";
      if (!timingSafeEqual(tokenHash(token), expected)) return "AccessKeyIdAndSecurityTokenNotMatch";
      if (now.getTime() >= expiresAtMs) return "SecurityTokenExpired";
      return undefined;
    },
  };
}
