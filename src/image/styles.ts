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

export async function listStyles(meta: MetadataStore, bucket: string): Promise<StyleRecord[]> {
  return parseStyles(await meta.getBucketSetting(bucket, STYLES_SETTING));
}

function parseStyles(raw: string | undefined): StyleRecord[] {
  return raw ? (JSON.parse(raw) as StyleRecord[]) : [];
}

export async function getStyle(meta: MetadataStore, bucket: string, name: string): Promise<StyleRecord> {
  const style = (await listStyles(meta, bucket)).find((s) => s.name === name);
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
export async function putStyle(meta: MetadataStore, bucket: string, name: string, content: string, category: string, now: Date): Promise<void> {
  const plan = parseProcess(content);
  if (plan.kind === "style") throw new OssError("InvalidArgument", "A style's content must be an image process, not another style.", { extra: { ArgumentName: "Content", ArgumentValue: content } });
  // One read-modify-write transaction: concurrent PutStyle/DeleteStyle calls do not lose each other's styles.
  await meta.updateBucketSetting(bucket, STYLES_SETTING, (raw) => {
    const styles = parseStyles(raw);
    const old = styles.find((s) => s.name === name);
    if (!old && styles.length >= MAX_STYLES) throw new OssError("InvalidArgument", `A bucket holds at most ${MAX_STYLES} styles.`);
    const record: StyleRecord = { name, content, category, createTime: old?.createTime ?? now.toUTCString(), lastModifyTime: now.toUTCString() };
    const next = [...styles.filter((s) => s.name !== name), record].sort((a, b) => a.name.localeCompare(b.name));
    return JSON.stringify(next);
  });
}

export async function deleteStyle(meta: MetadataStore, bucket: string, name: string): Promise<void> {
  await meta.updateBucketSetting(bucket, STYLES_SETTING, (raw) => {
    const next = parseStyles(raw).filter((s) => s.name !== name);
    return next.length ? JSON.stringify(next) : undefined;
  });
}
