import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { isOssError } from "../errors/oss-error.js";
import { toXml } from "../http/xml.js";
import { isDue, lifecycleXml, parseLifecycle, ruleMatches, MAX_RULES } from "./rules.js";

const xml = (rules: string): Buffer => Buffer.from(`<?xml version="1.0"?><LifecycleConfiguration>${rules}</LifecycleConfiguration>`);
const rule = (body: string, prefix = "p/", id = "r"): string => `<Rule><ID>${id}</ID><Prefix>${prefix}</Prefix><Status>Enabled</Status>${body}</Rule>`;
const transition = (days: number, cls: string): string => `<Transition><Days>${days}</Days><StorageClass>${cls}</StorageClass></Transition>`;

function rejects(body: Buffer, code: string, pattern?: RegExp): void {
  assert.throws(() => parseLifecycle(body), (e: unknown) => isOssError(e) && e.code === code && (!pattern || pattern.test(e.message)));
}

describe("lifecycle rules", () => {
  it("parses transitions, expiration, abort and Filter/Not, and serializes back to the same rules", () => {
    const body = xml(
      rule(`${transition(30, "IA")}${transition(90, "ColdArchive")}<Expiration><Days>365</Days></Expiration>`, "logs/", "logs") +
        `<Rule><ID>uploads</ID><Prefix>up/</Prefix><Filter><Not><Prefix>up/keep/</Prefix></Not></Filter><Status>Disabled</Status>` +
        `<AbortMultipartUpload><CreatedBeforeDate>2024-01-01T00:00:00.000Z</CreatedBeforeDate></AbortMultipartUpload></Rule>`,
    );
    const rules = parseLifecycle(body);
    assert.deepEqual(rules[0], {
      id: "logs", prefix: "logs/", status: "Enabled",
      transitions: [{ days: 30, storageClass: "IA" }, { days: 90, storageClass: "ColdArchive" }],
      expiration: { days: 365 },
    });
    assert.deepEqual(rules[1], { id: "uploads", prefix: "up/", status: "Disabled", notPrefix: "up/keep/", transitions: [], abortMultipartUpload: { createdBeforeDate: "2024-01-01T00:00:00.000Z" } });
    const again = parseLifecycle(Buffer.from(toXml("LifecycleConfiguration", lifecycleXml(rules))));
    assert.deepEqual(again, rules);
  });

  it("generates an ID when none is given and matches keys by prefix minus Not/Prefix", () => {
    const [r] = parseLifecycle(xml("<Rule><Prefix>a/</Prefix><Filter><Not><Prefix>a/b/</Prefix></Not></Filter><Status>Enabled</Status><Expiration><Days>1</Days></Expiration></Rule>"));
    assert.match(r!.id, /^[0-9a-f-]{36}$/);
    assert.equal(ruleMatches(r!, "a/x"), true);
    assert.equal(ruleMatches(r!, "a/b/x"), false);
    assert.equal(ruleMatches(r!, "b/x"), false);
  });

  it("rejects invalid values with InvalidArgument", () => {
    rejects(xml(rule("<Expiration><Days>0</Days></Expiration>")), "InvalidArgument", /positive integer/);
    rejects(xml(rule("<Expiration><Days>-3</Days></Expiration>")), "InvalidArgument");
    rejects(xml(rule("<Expiration><CreatedBeforeDate>2024-01-01T12:00:00.000Z</CreatedBeforeDate></Expiration>")), "InvalidArgument", /midnight/);
    rejects(xml(rule("<Expiration><Days>3</Days><CreatedBeforeDate>2024-01-01T00:00:00.000Z</CreatedBeforeDate></Expiration>")), "InvalidArgument");
    rejects(xml(rule(transition(3, "Standard"))), "InvalidArgument", /StorageClass/);
    rejects(xml(rule("")), "InvalidArgument", /at least one/);
    rejects(xml("<Rule><Prefix>p/</Prefix><Status>enabled</Status><Expiration><Days>1</Days></Expiration></Rule>"), "InvalidArgument", /Status/);
    rejects(xml(rule("<Expiration><Days>1</Days></Expiration>", "p/", "x".repeat(256))), "InvalidArgument", /255/);
  });

  it("requires colder classes later and expiration after every transition", () => {
    rejects(xml(rule(`${transition(60, "IA")}${transition(30, "Archive")}`)), "InvalidArgument", /must come after/);
    rejects(xml(rule(`${transition(30, "IA")}${transition(30, "Archive")}`)), "InvalidArgument", /must come after/);
    rejects(xml(rule(`${transition(30, "IA")}${transition(40, "IA")}`)), "InvalidArgument", /two transitions/);
    rejects(xml(rule(`${transition(30, "IA")}<Expiration><Days>30</Days></Expiration>`)), "InvalidArgument", /Expiration must come after/);
    rejects(xml(rule(`${transition(30, "IA")}<Expiration><CreatedBeforeDate>2024-01-01T00:00:00.000Z</CreatedBeforeDate></Expiration>`)), "InvalidArgument", /mixes/);
    assert.equal(parseLifecycle(xml(rule(`${transition(60, "Archive")}${transition(30, "IA")}`))).length, 1, "order in the XML does not matter");
  });

  it("rejects duplicate IDs and overlapping prefixes with the same action type; allows them with different actions", () => {
    const exp = "<Expiration><Days>10</Days></Expiration>";
    rejects(xml(rule(exp, "a/", "same") + rule(exp, "b/", "same")), "InvalidArgument", /used twice/);
    rejects(xml(rule(exp, "logs/", "r1") + rule(exp, "logs/2024/", "r2")), "InvalidArgument", /overlapping/);
    rejects(xml(rule(exp, "", "all") + rule(exp, "x/", "x")), "InvalidArgument", /overlapping/);
    rejects(xml(rule(transition(5, "IA"), "a/", "r1") + rule(transition(9, "Archive"), "a/b", "r2")), "InvalidArgument", /Transition/);
    const ok = parseLifecycle(xml(rule(exp, "logs/", "r1") + rule(transition(5, "IA"), "logs/2024/", "r2") + rule(exp, "tmp/", "r3")));
    assert.equal(ok.length, 3);
  });

  it("limits the rule count and refuses what this server does not implement", () => {
    const many = Array.from({ length: MAX_RULES + 1 }, (_, i) => rule("<Expiration><Days>1</Days></Expiration>", `k${i}/`, `r${i}`)).join("");
    rejects(xml(many), "InvalidArgument", /1000/);
    rejects(xml(""), "MalformedXML");
    rejects(xml(rule("<Filter><Not><Prefix>p/x</Prefix><Tag><Key>a</Key><Value>b</Value></Tag></Not></Filter><Expiration><Days>1</Days></Expiration>")), "NotImplemented");
    rejects(xml(rule("<Bogus/><Expiration><Days>1</Days></Expiration>")), "MalformedXML");
    rejects(Buffer.from("<LifecycleConfiguration><Rule>"), "MalformedXML");
  });

  it("isDue: Days after the reference time, or anything older than CreatedBeforeDate", () => {
    const since = new Date("2024-01-01T10:00:00Z");
    assert.equal(isDue({ days: 1 }, since, new Date("2024-01-02T09:59:59Z")), false);
    assert.equal(isDue({ days: 1 }, since, new Date("2024-01-02T10:00:00Z")), true);
    assert.equal(isDue({ createdBeforeDate: "2024-01-01T00:00:00.000Z" }, since, new Date("2030-01-01T00:00:00Z")), false);
    assert.equal(isDue({ createdBeforeDate: "2024-01-02T00:00:00.000Z" }, since, new Date("2024-01-01T11:00:00Z")), true);
  });

  it("filters by rule-level tags: parsed, serialized, matched against the object's tags", () => {
    const tagged = rule("<Tag><Key>a</Key><Value>1</Value></Tag><Tag><Key>b</Key><Value>2</Value></Tag><Expiration><Days>3</Days></Expiration>", "p/", "t");
    const [r] = parseLifecycle(xml(tagged));
    assert.deepEqual(r!.tags, [["a", "1"], ["b", "2"]]);
    assert.deepEqual(parseLifecycle(Buffer.from(toXml("LifecycleConfiguration", lifecycleXml([r!])))), [r]);
    assert.ok(ruleMatches(r!, "p/k", [["b", "2"], ["a", "1"], ["c", "3"]]));
    assert.ok(!ruleMatches(r!, "p/k", [["a", "1"]]), "every tag of the rule must be on the object");
    assert.ok(!ruleMatches(r!, "p/k"));
    assert.ok(!ruleMatches(r!, "q/k", [["a", "1"], ["b", "2"]]));
    rejects(xml(rule("<Tag><Key>a</Key><Value>1</Value></Tag><AbortMultipartUpload><Days>1</Days></AbortMultipartUpload>")), "InvalidArgument", /AbortMultipartUpload/);
    rejects(xml(rule("<Tag><Key>错</Key><Value>1</Value></Tag><Expiration><Days>1</Days></Expiration>")), "InvalidTag");
    // Same prefix and action, different tags: no conflict (each rule selects different objects).
    const two = parseLifecycle(xml(tagged + rule("<Tag><Key>c</Key><Value>3</Value></Tag><Expiration><Days>5</Days></Expiration>", "p/", "u")));
    assert.equal(two.length, 2);
    rejects(xml(tagged + rule("<Tag><Key>b</Key><Value>2</Value></Tag><Tag><Key>a</Key><Value>1</Value></Tag><Expiration><Days>5</Days></Expiration>", "p/", "v")), "InvalidArgument", /overlapping/);
  });

  it("parses the versioning actions, serializes them back, and validates them", () => {
    const body = rule(
      "<Expiration><ExpiredObjectDeleteMarker>true</ExpiredObjectDeleteMarker></Expiration>" +
        "<NoncurrentVersionTransition><NoncurrentDays>10</NoncurrentDays><StorageClass>IA</StorageClass></NoncurrentVersionTransition>" +
        "<NoncurrentVersionTransition><NoncurrentDays>30</NoncurrentDays><StorageClass>Archive</StorageClass></NoncurrentVersionTransition>" +
        "<NoncurrentVersionExpiration><NoncurrentDays>60</NoncurrentDays></NoncurrentVersionExpiration>",
    );
    const [r] = parseLifecycle(xml(body));
    assert.deepEqual(r, {
      id: "r", prefix: "p/", status: "Enabled", transitions: [], expiredObjectDeleteMarker: true,
      noncurrentTransitions: [{ noncurrentDays: 10, storageClass: "IA" }, { noncurrentDays: 30, storageClass: "Archive" }],
      noncurrentExpiration: { noncurrentDays: 60 },
    });
    const text = toXml("LifecycleConfiguration", lifecycleXml([r!]));
    assert.match(text, /<Expiration><ExpiredObjectDeleteMarker>true<\/ExpiredObjectDeleteMarker><\/Expiration>/);
    assert.deepEqual(parseLifecycle(Buffer.from(text)), [r]);
    assert.deepEqual(parseLifecycle(xml(rule("<NoncurrentVersionExpiration><NoncurrentDays>1</NoncurrentDays></NoncurrentVersionExpiration>")))[0]!.noncurrentExpiration, { noncurrentDays: 1 });
    rejects(xml(rule("<Expiration><Days>1</Days><ExpiredObjectDeleteMarker>true</ExpiredObjectDeleteMarker></Expiration>")), "InvalidArgument", /ExpiredObjectDeleteMarker/);
    rejects(xml(rule("<NoncurrentVersionExpiration><NoncurrentDays>0</NoncurrentDays></NoncurrentVersionExpiration>")), "InvalidArgument", /NoncurrentDays/);
    rejects(xml(rule("<NoncurrentVersionTransition><NoncurrentDays>5</NoncurrentDays><StorageClass>Standard</StorageClass></NoncurrentVersionTransition>")), "InvalidArgument");
    rejects(xml(rule(
      "<NoncurrentVersionTransition><NoncurrentDays>5</NoncurrentDays><StorageClass>IA</StorageClass></NoncurrentVersionTransition>" +
        "<NoncurrentVersionExpiration><NoncurrentDays>5</NoncurrentDays></NoncurrentVersionExpiration>",
    )), "InvalidArgument", /after every NoncurrentVersionTransition/);
    const exp = "<NoncurrentVersionExpiration><NoncurrentDays>3</NoncurrentDays></NoncurrentVersionExpiration>";
    rejects(xml(rule(exp, "a/", "r1") + rule(exp, "a/b", "r2")), "InvalidArgument", /NoncurrentVersionExpiration/);
  });

  it("accepts ali-oss's older Rule-level Days/Date as the expiration (alone or next to the same Expiration)", () => {
    assert.deepEqual(parseLifecycle(xml(rule("<Days>7</Days>")))[0]!.expiration, { days: 7 });
    assert.deepEqual(parseLifecycle(xml(rule("<Days>7</Days><Expiration><Days>7</Days></Expiration>")))[0]!.expiration, { days: 7 });
    assert.deepEqual(parseLifecycle(xml(rule("<Date>2024-01-01T00:00:00.000Z</Date>")))[0]!.expiration, { createdBeforeDate: "2024-01-01T00:00:00.000Z" });
    rejects(xml(rule("<Days>7</Days><Expiration><Days>8</Days></Expiration>")), "InvalidArgument", /disagree/);
    rejects(xml(rule("<Days>0</Days>")), "InvalidArgument");
  });
});
