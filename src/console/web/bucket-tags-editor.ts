/**
 * The bucket's tags (PutBucketTags / GetBucketTags / DeleteBucketTags, `/?tagging` on the bucket),
 * checked against OSS's bucket limits before sending: at most 20, keys 1–64 bytes not starting with
 * http://, https://, Aliyun or acs, values ≤ 128 bytes, keys unique. No tags left deletes them.
 */
import { oss, ossUrl, ossXml } from "./api.js";
import { h, showError, showOk, statusLine } from "./dom.js";
import { keyValueRows } from "./kv-rows.js";
import { taggingBody } from "./object-meta.js";
import { refuse, settingSection, utf8Length, type SettingSection } from "./setting-section.js";
import { childText } from "./xml.js";

const MAX_TAGS = 20;
const RESERVED = /^(http:\/\/|https:\/\/|aliyun|acs)/i;

export function bucketTagProblems(tags: ReadonlyArray<readonly [string, string]>): string[] {
  const problems: string[] = [];
  if (tags.length > MAX_TAGS) problems.push(`A bucket has at most ${MAX_TAGS} tags.`);
  const seen = new Set<string>();
  for (const [key, value] of tags) {
    if (key === "" || utf8Length(key) > 64) problems.push(`Tag keys are 1 to 64 bytes${key ? ` (“${key}”)` : ""}.`);
    else if (RESERVED.test(key)) problems.push(`“${key}”: keys must not start with http://, https://, Aliyun or acs.`);
    if (utf8Length(value) > 128) problems.push(`The value of “${key}” is over 128 bytes.`);
    if (seen.has(key)) problems.push(`“${key}” is there twice.`);
    seen.add(key);
  }
  return problems;
}

export function bucketTagsSection(bucket: string): SettingSection {
  const status = statusLine();
  const tags = keyValueRows("Bucket tag");
  const form = h("form", { class: "stack", "aria-label": "Bucket tags" }, tags.element, h("button", { type: "submit" }, "Save bucket tags"));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const pairs = tags.read();
    if (refuse(status, bucketTagProblems(pairs), form.querySelector("input") ?? undefined)) return;
    const saving = pairs.length === 0 ? oss("DELETE", ossUrl(bucket, "", { tagging: "" })) : oss("PUT", ossUrl(bucket, "", { tagging: "" }), { headers: { "content-type": "application/xml" }, body: taggingBody(pairs) });
    saving.then(() => showOk(status, pairs.length ? `Saved ${pairs.length} bucket tag${pairs.length === 1 ? "" : "s"}.` : "Removed the bucket tags."), (error: unknown) => showError(status, error));
  });
  const load = async (): Promise<void> => {
    const doc = await ossXml("GET", ossUrl(bucket, "", { tagging: "" }));
    tags.set(Array.from(doc.getElementsByTagName("Tag")).map((t) => [childText(t, "Key"), childText(t, "Value")]));
  };
  const hint = h("p", { class: "hint" }, "Up to 20 tags: keys 1–64 bytes (not starting with http://, https://, Aliyun or acs), values up to 128 bytes.");
  return { element: settingSection("bucket-tags", "Bucket tags", hint, status, form), load };
}
