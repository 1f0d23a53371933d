/**
 * What the bucket settings editors share: a section with a heading and its own status line, the
 * "Not saved: …" answer of the page's own checks (nothing is sent), and reading a setting that
 * the server answers as absent (NoSuch…) as "not set".
 */
import { ApiError } from "./api.js";
import { h, showError, type Child } from "./dom.js";

export interface SettingSection {
  readonly element: HTMLElement;
  load(): Promise<void>;
}

/** `<section aria-labelledby>` with an h2 whose id is `<id>-title`. */
export function settingSection(id: string, title: string, ...children: Child[]): HTMLElement {
  return h("section", { "aria-labelledby": `${id}-title`, id: `${id}-section` }, h("h2", { id: `${id}-title` }, title), ...children);
}

/** Shows the page's own objections; true when there were some (the caller then sends nothing). */
export function refuse(status: HTMLElement, problems: readonly string[], focus?: HTMLElement): boolean {
  if (problems.length === 0) return false;
  showError(status, `Not saved: ${problems.join(" ")}`);
  focus?.focus();
  return true;
}

/** Runs `read`; an ApiError with code `absentCode` means the setting is not set (undefined). */
export async function readOrAbsent<T>(read: () => Promise<T>, absentCode: string): Promise<T | undefined> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof ApiError && error.code === absentCode) return undefined;
    throw error;
  }
}

export function utf8Length(text: string): number {
  return new TextEncoder().encode(text).length;
}

/** Bucket names as OSS allows them (3–63 of a-z, 0-9 and -, not starting or ending with -). */
export const BUCKET_NAME = /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/;

/** Lines of a textarea: trimmed, blank ones dropped (commas are kept: a pattern may hold one). */
export function textLines(text: string): string[] {
  return text.split(/\r?\n/).map((s) => s.trim()).filter((s) => s !== "");
}
