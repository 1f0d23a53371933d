/**
 * Bucket lifecycle rules (PutBucketLifecycle / GetBucketLifecycle): parse the OSS XML, validate it
 * the way OSS does, serialize it back. Rules are stored as JSON in the bucket setting "lifecycle".
 *
 * Validation (OSS PutBucketLifecycle; where OSS is unclear the choice is noted):
 * - 1..1000 rules; IDs ≤ 255 bytes and unique (a missing ID gets one generated, as OSS does);
 * - Status Enabled|Disabled; at least one of Transition, Expiration, AbortMultipartUpload;
 * - Days a positive integer, or CreatedBeforeDate an ISO 8601 date at midnight UTC; one rule uses one
 *   of the two kinds for Transition and Expiration;
 * - Transition classes IA/Archive/ColdArchive/DeepColdArchive, each at most once per rule, and a
 *   colder class must come later (more Days / earlier CreatedBeforeDate); Expiration after all of them;
 * - two rules whose prefixes overlap (one is a prefix of the other) may not both carry the same action
 *   type → 400 InvalidArgument (OSS rejects overlapping prefixes; S3 words it "same action type");
 * - Rule-level Tag elements filter by object tags (all must match; not with AbortMultipartUpload, as
 *   OSS says); two overlapping rules conflict only when their tag sets are the same;
 * - ali-oss's older form puts `<Days>` / `<Date>` directly under Rule (next to the Expiration it
 *   derives from them): they mean Expiration Days / CreatedBeforeDate and must agree with it;
 * - versioning actions: NoncurrentVersionExpiration / NoncurrentVersionTransition (NoncurrentDays, a
 *   positive integer, counted from when a version stopped being current; transitions colder with more
 *   days, expiration after them) and Expiration/ExpiredObjectDeleteMarker `true` (alone in its
 *   Expiration: not with Days or CreatedBeforeDate);
 * - Filter/Not/Tag → 501 NotImplemented here;
 *   Expiration in a versioned bucket writes a delete marker (the runner deletes without a versionId).
 */
import { randomUUID } from "node:crypto";
import { OssError } from "../errors/oss-error.js";
import { asArray, parseXmlBody, textOf, type XmlNode } from "../http/xml.js";
import type { StorageClass } from "../storage/types.js";
import { CLASS_RANK } from "../objects/storage-class.js";
import { hasAllTags, validateObjectTags, type TagSet } from "../objects/tags.js";

export const LIFECYCLE_SETTING = "lifecycle";
export const MAX_RULES = 1000;

/** When an action is due: `days` after last modification/initiation, or for anything older than a date. */
export type Due = { readonly days: number } | { readonly createdBeforeDate: string };

export interface LifecycleRule {
  readonly id: string;
  readonly prefix: string;
  readonly status: "Enabled" | "Disabled";
  /** Filter/Not/Prefix: keys under this (longer) prefix are excluded. */
  readonly notPrefix?: string;
  /** Object tags the rule applies to (all of them); absent = every object under the prefix. */
  readonly tags?: TagSet;
  readonly transitions: ReadonlyArray<Due & { readonly storageClass: StorageClass }>;
  readonly expiration?: Due;
  /** Expiration/ExpiredObjectDeleteMarker: remove a delete marker once it is a key's only version. */
  readonly expiredObjectDeleteMarker?: boolean;
  readonly abortMultipartUpload?: Due;
  /** Versions that stopped being current this many days ago move to the class (each class once). */
  readonly noncurrentTransitions?: ReadonlyArray<{ readonly noncurrentDays: number; readonly storageClass: StorageClass }>;
  readonly noncurrentExpiration?: { readonly noncurrentDays: number };
}

const TRANSITION_CLASSES: readonly StorageClass[] = ["IA", "Archive", "ColdArchive", "DeepColdArchive"];
const RULE_CHILDREN = new Set([
  "ID", "Prefix", "Status", "Filter", "Tag", "Transition", "Expiration", "AbortMultipartUpload", "Days", "Date",
  "NoncurrentVersionTransition", "NoncurrentVersionExpiration",
]);
const UNSUPPORTED = new Set(["AtimeBase"]);
const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}T00:00:00(\.000)?Z$/;

function invalid(message: string, name?: string, value?: string): OssError {
  return new OssError("InvalidArgument", message, name === undefined ? {} : { extra: { ArgumentName: name, ArgumentValue: value ?? "" } });
}

function node(value: unknown): Record<string, unknown> {
  if (value === "" || value === undefined) return {};
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new OssError("MalformedXML");
  return value as Record<string, unknown>;
}

function parseDue(value: unknown, where: string): Due {
  const element = node(value);
  const days = textOf(element.Days);
  const date = textOf(element.CreatedBeforeDate);
  if ((days === undefined) === (date === undefined)) throw invalid(`${where} needs exactly one of Days and CreatedBeforeDate.`, where);
  if (days !== undefined) {
    if (!/^[1-9][0-9]{0,5}$/.test(days)) throw invalid(`${where} Days must be a positive integer.`, `${where}.Days`, days);
    return { days: Number(days) };
  }
  if (!DATE_PATTERN.test(date!) || Number.isNaN(Date.parse(date!))) {
    throw invalid(`${where} CreatedBeforeDate must be an ISO 8601 date at midnight UTC (2024-01-01T00:00:00.000Z).`, `${where}.CreatedBeforeDate`, date);
  }
  return { createdBeforeDate: new Date(date!).toISOString() };
}

function parseRule(raw: unknown): LifecycleRule {
  const r = node(raw);
  for (const name of Object.keys(r)) {
    if (UNSUPPORTED.has(name)) throw new OssError("NotImplemented", `Lifecycle ${name} is not implemented by this server.`);
    if (!RULE_CHILDREN.has(name)) throw new OssError("MalformedXML", `Unknown lifecycle rule element ${name}.`);
  }
  const status = textOf(r.Status);
  if (status !== "Enabled" && status !== "Disabled") throw invalid("Status must be Enabled or Disabled.", "Status", status);
  const filter = node(r.Filter);
  for (const name of Object.keys(filter)) {
    if (name !== "Not") throw new OssError("NotImplemented", `Lifecycle Filter/${name} is not implemented by this server.`);
  }
  const not = node(filter.Not);
  if (not.Tag !== undefined) throw new OssError("NotImplemented", "Lifecycle tag filters are not implemented by this server.");
  const prefix = textOf(r.Prefix) ?? "";
  const notPrefix = textOf(not.Prefix);
  if (r.Filter !== undefined && notPrefix === undefined) throw new OssError("MalformedXML", "Filter/Not needs a Prefix.");
  if (notPrefix !== undefined && (!notPrefix.startsWith(prefix) || notPrefix === prefix)) {
    throw invalid("Filter/Not/Prefix must be a longer prefix under the rule's Prefix.", "Not.Prefix", notPrefix);
  }
  const transitions = asArray(r.Transition).map((t) => {
    const storageClass = textOf(node(t).StorageClass);
    const match = TRANSITION_CLASSES.find((c) => c === storageClass);
    if (!match) throw invalid("Transition StorageClass must be IA, Archive, ColdArchive or DeepColdArchive.", "StorageClass", storageClass);
    return { ...parseDue(t, "Transition"), storageClass: match };
  });
  const tags = parseRuleTags(r.Tag);
  if (tags && r.AbortMultipartUpload !== undefined) {
    throw invalid("A rule with Tag filters cannot carry AbortMultipartUpload.", "Tag", tags[0]?.[0]);
  }
  const { expiration, expiredObjectDeleteMarker } = parseExpiration(r.Expiration);
  const noncurrentTransitions = asArray(r.NoncurrentVersionTransition).map((t) => {
    const storageClass = textOf(node(t).StorageClass);
    const match = TRANSITION_CLASSES.find((c) => c === storageClass);
    if (!match) throw invalid("NoncurrentVersionTransition StorageClass must be IA, Archive, ColdArchive or DeepColdArchive.", "StorageClass", storageClass);
    return { noncurrentDays: parseNoncurrentDays(t, "NoncurrentVersionTransition"), storageClass: match };
  });
  const noncurrentExpiration = r.NoncurrentVersionExpiration === undefined
    ? undefined : { noncurrentDays: parseNoncurrentDays(r.NoncurrentVersionExpiration, "NoncurrentVersionExpiration") };
  const legacy = legacyExpiration(r);
  if (legacy && expiration && JSON.stringify(legacy) !== JSON.stringify(expiration)) {
    throw invalid("Rule Days/Date disagree with its Expiration.", "Expiration");
  }
  const id = textOf(r.ID) || randomUUID();
  if (Buffer.byteLength(id) > 255) throw invalid("Rule ID must be at most 255 bytes.", "ID", id);
  const rule: LifecycleRule = {
    id,
    prefix,
    status,
    ...(notPrefix !== undefined && { notPrefix }),
    ...(tags && { tags }),
    transitions,
    ...((expiration ?? legacy) !== undefined && { expiration: (expiration ?? legacy)! }),
    ...(expiredObjectDeleteMarker && { expiredObjectDeleteMarker }),
    ...(r.AbortMultipartUpload !== undefined && { abortMultipartUpload: parseDue(r.AbortMultipartUpload, "AbortMultipartUpload") }),
    ...(noncurrentTransitions.length > 0 && { noncurrentTransitions }),
    ...(noncurrentExpiration && { noncurrentExpiration }),
  };
  checkRule(rule);
  return rule;
}

/** `<Expiration>`: Days or CreatedBeforeDate, or ExpiredObjectDeleteMarker alone. */
function parseExpiration(value: unknown): { expiration?: Due; expiredObjectDeleteMarker?: boolean } {
  if (value === undefined) return {};
  const element = node(value);
  const marker = textOf(element.ExpiredObjectDeleteMarker);
  if (marker === undefined) return { expiration: parseDue(value, "Expiration") };
  if (marker !== "true" && marker !== "false") throw invalid("ExpiredObjectDeleteMarker must be true or false.", "ExpiredObjectDeleteMarker", marker);
  if (element.Days !== undefined || element.CreatedBeforeDate !== undefined) {
    throw invalid("ExpiredObjectDeleteMarker cannot be used with Days or CreatedBeforeDate.", "ExpiredObjectDeleteMarker", marker);
  }
  return { expiredObjectDeleteMarker: marker === "true" };
}

function parseNoncurrentDays(value: unknown, where: string): number {
  const days = textOf(node(value).NoncurrentDays);
  if (days === undefined || !/^[1-9][0-9]{0,5}$/.test(days)) throw invalid(`${where} NoncurrentDays must be a positive integer.`, `${where}.NoncurrentDays`, days);
  return Number(days);
}

/** Rule-level `<Tag><Key/><Value/></Tag>` elements; undefined when there are none. */
function parseRuleTags(value: unknown): TagSet | undefined {
  const tags = asArray(value).map((t) => {
    const tag = node(t);
    const key = textOf(tag.Key);
    if (key === undefined) throw new OssError("MalformedXML", "A lifecycle Tag needs a Key.");
    return [key, textOf(tag.Value) ?? ""] as const;
  });
  return tags.length === 0 ? undefined : validateObjectTags(tags);
}

/** The older Rule-level `<Days>` / `<Date>` (expiration) that ali-oss still sends. */
function legacyExpiration(r: Record<string, unknown>): Due | undefined {
  if (r.Days === undefined && r.Date === undefined) return undefined;
  const element: Record<string, unknown> = {};
  if (r.Days !== undefined) element.Days = r.Days;
  if (r.Date !== undefined) element.CreatedBeforeDate = r.Date;
  return parseDue(element, "Expiration");
}

/** How late an action is: bigger = later (more days, or an earlier cut-off date). */
function lateness(due: Due): number {
  return "days" in due ? due.days : -Date.parse(due.createdBeforeDate);
}

function checkRule(rule: LifecycleRule): void {
  if (actionTypes(rule).length === 0) {
    throw invalid(`Rule ${rule.id} needs at least one of Transition, Expiration, AbortMultipartUpload, NoncurrentVersionTransition, NoncurrentVersionExpiration.`, "Rule", rule.id);
  }
  const noncurrent = [...(rule.noncurrentTransitions ?? [])].sort((a, b) => CLASS_RANK[a.storageClass] - CLASS_RANK[b.storageClass]);
  for (let i = 1; i < noncurrent.length; i++) {
    const [warmer, colder] = [noncurrent[i - 1]!, noncurrent[i]!];
    if (warmer.storageClass === colder.storageClass) throw invalid(`Rule ${rule.id} has two noncurrent transitions to ${colder.storageClass}.`, "StorageClass", colder.storageClass);
    if (colder.noncurrentDays <= warmer.noncurrentDays) {
      throw invalid(`Rule ${rule.id}: the noncurrent transition to ${colder.storageClass} must come after the one to ${warmer.storageClass}.`, "NoncurrentVersionTransition", colder.storageClass);
    }
  }
  const lastNoncurrent = noncurrent[noncurrent.length - 1];
  if (rule.noncurrentExpiration && lastNoncurrent && rule.noncurrentExpiration.noncurrentDays <= lastNoncurrent.noncurrentDays) {
    throw invalid(`Rule ${rule.id}: NoncurrentVersionExpiration must come after every NoncurrentVersionTransition.`, "NoncurrentVersionExpiration", rule.id);
  }
  const kinds = new Set([...rule.transitions, ...(rule.expiration ? [rule.expiration] : [])].map((d) => ("days" in d ? "days" : "date")));
  if (kinds.size > 1) throw invalid(`Rule ${rule.id} mixes Days and CreatedBeforeDate.`, "Rule", rule.id);
  const sorted = [...rule.transitions].sort((a, b) => CLASS_RANK[a.storageClass] - CLASS_RANK[b.storageClass]);
  for (let i = 1; i < sorted.length; i++) {
    const [warmer, colder] = [sorted[i - 1]!, sorted[i]!];
    if (warmer.storageClass === colder.storageClass) throw invalid(`Rule ${rule.id} has two transitions to ${colder.storageClass}.`, "StorageClass", colder.storageClass);
    if (lateness(colder) <= lateness(warmer)) {
      throw invalid(`Rule ${rule.id}: the transition to ${colder.storageClass} must come after the one to ${warmer.storageClass}.`, "Transition", colder.storageClass);
    }
  }
  const last = sorted[sorted.length - 1];
  if (rule.expiration && last && lateness(rule.expiration) <= lateness(last)) {
    throw invalid(`Rule ${rule.id}: Expiration must come after every Transition.`, "Expiration", rule.id);
  }
}

const overlaps = (a: string, b: string): boolean => a.startsWith(b) || b.startsWith(a);
const sameTags = (a: TagSet | undefined, b: TagSet | undefined): boolean =>
  (a ?? []).length === (b ?? []).length && hasAllTags(a, b ?? []);

function actionTypes(rule: LifecycleRule): string[] {
  return [
    ...(rule.transitions.length > 0 ? ["Transition"] : []),
    ...(rule.expiration || rule.expiredObjectDeleteMarker !== undefined ? ["Expiration"] : []),
    ...(rule.abortMultipartUpload ? ["AbortMultipartUpload"] : []),
    ...(rule.noncurrentTransitions ? ["NoncurrentVersionTransition"] : []),
    ...(rule.noncurrentExpiration ? ["NoncurrentVersionExpiration"] : []),
  ];
}

/** Rejects duplicate IDs and overlapping prefixes that share an action type. */
export function checkConflicts(rules: readonly LifecycleRule[]): void {
  const ids = new Set<string>();
  for (const rule of rules) {
    if (ids.has(rule.id)) throw invalid(`Rule ID ${rule.id} is used twice.`, "ID", rule.id);
    ids.add(rule.id);
  }
  for (let i = 0; i < rules.length; i++) {
    for (let j = i + 1; j < rules.length; j++) {
      const [a, b] = [rules[i]!, rules[j]!];
      if (!overlaps(a.prefix, b.prefix) || !sameTags(a.tags, b.tags)) continue;
      const shared = actionTypes(a).find((t) => actionTypes(b).includes(t));
      if (shared) throw invalid(`Rules ${a.id} and ${b.id} have overlapping prefixes ("${a.prefix}", "${b.prefix}") with the same action ${shared}.`, "Prefix", b.prefix);
    }
  }
}

export function parseLifecycle(body: Buffer): LifecycleRule[] {
  const root = parseXmlBody(body, "LifecycleConfiguration");
  const raw = asArray(root.Rule);
  if (raw.length === 0) throw new OssError("MalformedXML", "A lifecycle configuration needs at least one Rule.");
  if (raw.length > MAX_RULES) throw invalid(`At most ${MAX_RULES} lifecycle rules are allowed.`, "Rule", String(raw.length));
  const rules = raw.map(parseRule);
  checkConflicts(rules);
  return rules;
}

function dueXml(due: Due): XmlNode {
  return "days" in due ? { Days: due.days } : { CreatedBeforeDate: due.createdBeforeDate };
}

export function lifecycleXml(rules: readonly LifecycleRule[]): XmlNode {
  return {
    Rule: rules.map((r) => ({
      ID: r.id,
      Prefix: r.prefix,
      Filter: r.notPrefix === undefined ? undefined : { Not: { Prefix: r.notPrefix } },
      Tag: r.tags?.map(([Key, Value]) => ({ Key, Value })),
      Status: r.status,
      Transition: r.transitions.map((t) => ({ ...dueXml(t), StorageClass: t.storageClass })),
      Expiration: r.expiration ? dueXml(r.expiration)
        : r.expiredObjectDeleteMarker !== undefined ? { ExpiredObjectDeleteMarker: String(r.expiredObjectDeleteMarker) } : undefined,
      AbortMultipartUpload: r.abortMultipartUpload && dueXml(r.abortMultipartUpload),
      NoncurrentVersionTransition: r.noncurrentTransitions?.map((t) => ({ NoncurrentDays: t.noncurrentDays, StorageClass: t.storageClass })),
      NoncurrentVersionExpiration: r.noncurrentExpiration && { NoncurrentDays: r.noncurrentExpiration.noncurrentDays },
    })),
  };
}

/** Whether an action is due for something last modified (or initiated) at `since`. */
export function isDue(due: Due, since: Date, now: Date): boolean {
  if ("days" in due) return since.getTime() + due.days * 86_400_000 <= now.getTime();
  return since.getTime() < Date.parse(due.createdBeforeDate);
}

/** Whether the rule applies to an object (key, and its tags when the rule filters by tags). */
export function ruleMatches(rule: LifecycleRule, key: string, tags?: TagSet): boolean {
  if (!key.startsWith(rule.prefix) || (rule.notPrefix !== undefined && key.startsWith(rule.notPrefix))) return false;
  return rule.tags === undefined || hasAllTags(tags, rule.tags);
}
