/**
 * Image styles (PutStyle/GetStyle/ListStyle/DeleteStyle; `x-oss-process=style/<name>`): named process
 * strings kept per bucket as one bucket setting. OSS allows at most 50 styles a bucket.
 */
import { OssError } from "../errors/oss-error.js";
import type { MetadataStore } from "../storage/types.js";
import { parseProcess } from "./plan.js";

export const STYLES_SETTING = "styles";
export const MAX_STYLES = 50;
export const STYLE_NAME = /^[A-Za-z0-9_.-]{1,64}$/;

export interface StyleRecord {
  readonly name: string;
  readonly content: string;
  readonly category: string;
  readonly createTime: string;
  readonly lastModifyTime: string;
}

export function listStyles(meta: MetadataStore, bucket: string): StyleRecord[] {
  const raw = meta.getBucketSetting(bucket, STYLES_SETTING);
  return raw ? (JSON.parse(raw) as StyleRecord[]) : [];
}

export function getStyle(meta: MetadataStore, bucket: string, name: string): StyleRecord {
  const style = listStyles(meta, bucket).find((s) => s.name === name);
  if (!style) throw new OssError("NoSuchStyle", undefined, { extra: { StyleName: name } });
  return style;
}

export function checkStyleName(name: string | undefined): string {
  if (name === undefined || !STYLE_NAME.test(name)) {
    throw new OssError("InvalidArgument", "The style name must be 1–64 letters, digits, '_', '-' or '.'.", { extra: { ArgumentName: "styleName", ArgumentValue: name ?? "" } });
  }
  return name;
}

/** Stores (or replaces) a style; its content must be an image process this server parses. */
export function putStyle(meta: MetadataStore, bucket: string, name: string, content: string, category: string, now: Date): void {
  const plan = parseProcess(content);
  if (plan.kind === "style") throw new OssError("InvalidArgument", "A style's content must be an image process, not another style.", { extra: { ArgumentName: "Content", ArgumentValue: content } });
  const styles = listStyles(meta, bucket);
  const old = styles.find((s) => s.name === name);
  if (!old && styles.length >= MAX_STYLES) throw new OssError("InvalidArgument", `A bucket holds at most ${MAX_STYLES} styles.`);
  const record: StyleRecord = { name, content, category, createTime: old?.createTime ?? now.toUTCString(), lastModifyTime: now.toUTCString() };
  const next = [...styles.filter((s) => s.name !== name), record].sort((a, b) => a.name.localeCompare(b.name));
  meta.setBucketSetting(bucket, STYLES_SETTING, JSON.stringify(next));
}

export function deleteStyle(meta: MetadataStore, bucket: string, name: string): void {
  const styles = listStyles(meta, bucket);
  const next = styles.filter((s) => s.name !== name);
  meta.setBucketSetting(bucket, STYLES_SETTING, next.length ? JSON.stringify(next) : undefined);
}
