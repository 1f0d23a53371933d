import { test } from "node:test";
import assert from "node:assert/strict";
import { SessionStore, csrfMatches } from "./sessions.js";

const creds = { accessKeyId: "AK", accessKeySecret: "SK" };
const identity = { arn: "acs:ram::1:root", type: "Account", accountId: "1" };

test("console sessions expire when idle and are touched by use", () => {
  let now = 1000;
  const store = new SessionStore({ idleMs: 100, maxSessions: 10, now: () => now });
  const s = store.create(creds, identity);
  assert.notEqual(s.id, s.csrf);
  now += 90;
  assert.equal(store.get(s.id)?.id, s.id);
  now += 90;
  assert.equal(store.get(s.id)?.id, s.id, "use within the idle window keeps it");
  now += 101;
  assert.equal(store.get(s.id), undefined);
  assert.equal(store.get(undefined), undefined);
});

test("console sessions are bounded, least recently used first, and sign-out deletes", () => {
  const store = new SessionStore({ idleMs: 1000, maxSessions: 2 });
  const a = store.create(creds, identity);
  const b = store.create(creds, identity);
  store.get(a.id);
  const c = store.create(creds, identity);
  assert.equal(store.size, 2);
  assert.equal(store.get(b.id), undefined);
  assert.ok(store.get(a.id));
  store.delete(c.id);
  assert.equal(store.get(c.id), undefined);
});

test("csrfMatches compares the header with the session token", () => {
  const store = new SessionStore({ idleMs: 1000, maxSessions: 2 });
  const s = store.create(creds, identity);
  assert.equal(csrfMatches(s, s.csrf), true);
  assert.equal(csrfMatches(s, undefined), false);
  assert.equal(csrfMatches(s, `${s.csrf}x`), false);
  assert.equal(csrfMatches(s, "x".repeat(s.csrf.length)), false);
});
