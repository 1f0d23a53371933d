/**
 * Console sign-in sessions, held in memory only: a random id (the httpOnly cookie) maps to the
 * AccessKey pair the person signed in with, a CSRF token and the last time it was used. The keys
 * never leave the server; a restart signs everyone out. Idle sessions expire; the store is bounded.
 */
import { randomBytes, timingSafeEqual } from "node:crypto";

export interface ConsoleCredentials {
  readonly accessKeyId: string;
  readonly accessKeySecret: string;
  /** STS security token, for temporary credentials. */
  readonly securityToken?: string;
}

export interface Session {
  readonly id: string;
  readonly csrf: string;
  readonly credentials: ConsoleCredentials;
  /** From STS GetCallerIdentity at sign-in: ARN and identity type, for display. */
  readonly identity: { readonly arn: string; readonly type: string; readonly accountId: string };
  lastUsed: number;
}

export interface SessionStoreOptions {
  /** A session unused for this long is gone. */
  readonly idleMs: number;
  /** Most live sessions; the least recently used goes first beyond it. */
  readonly maxSessions: number;
  readonly now?: () => number;
}

export class SessionStore {
  private readonly sessions = new Map<string, Session>();
  private readonly now: () => number;

  constructor(private readonly options: SessionStoreOptions) {
    this.now = options.now ?? Date.now;
  }

  create(credentials: ConsoleCredentials, identity: Session["identity"]): Session {
    this.sweep();
    while (this.sessions.size >= this.options.maxSessions) {
      const oldest = this.sessions.keys().next().value;
      if (oldest === undefined) break;
      this.sessions.delete(oldest);
    }
    const session: Session = { id: randomBytes(32).toString("base64url"), csrf: randomBytes(32).toString("base64url"), credentials, identity, lastUsed: this.now() };
    this.sessions.set(session.id, session);
    return session;
  }

  /** The live session for a cookie value, touched (moved to most recently used); undefined if unknown or idle too long. */
  get(id: string | undefined): Session | undefined {
    if (!id) return undefined;
    const session = this.sessions.get(id);
    if (!session) return undefined;
    const now = this.now();
    if (now - session.lastUsed > this.options.idleMs) {
      this.sessions.delete(id);
      return undefined;
    }
    session.lastUsed = now;
    this.sessions.delete(id);
    this.sessions.set(id, session);
    return session;
  }

  delete(id: string): void {
    this.sessions.delete(id);
  }

  get size(): number {
    return this.sessions.size;
  }

  /** Drops idle sessions (oldest first, so it stops at the first live one). */
  sweep(): void {
    const now = this.now();
    for (const [id, session] of this.sessions) {
      if (now - session.lastUsed <= this.options.idleMs) break;
      this.sessions.delete(id);
    }
  }
}

/** Constant-time comparison of the request's CSRF header with the session's token. */
export function csrfMatches(session: Session, header: string | undefined): boolean {
  if (!header) return false;
  const a = Buffer.from(session.csrf);
  const b = Buffer.from(header);
  return a.length === b.length && timingSafeEqual(a, b);
}
