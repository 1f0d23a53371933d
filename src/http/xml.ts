/**
 * XML in and out. Responses are built with a tiny element writer (OSS bodies are small and
 * regular); request bodies are parsed with fast-xml-parser and any failure becomes MalformedXML.
 */
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { OssError } from "../errors/oss-error.js";
import { decodeXmlText, escapeXml } from "./xml-text.js";

export { escapeXml } from "./xml-text.js";

export const OSS_XMLNS = "http://doc.oss-cn-hangzhou.aliyuncs.com";

/** A node: text content, nested nodes, or nothing (skipped). Arrays repeat the element. */
export type XmlValue = string | number | boolean | bigint | XmlNode | XmlValue[] | undefined | null;
export interface XmlNode {
  readonly [name: string]: XmlValue;
}

function writeValue(name: string, value: XmlValue, out: string[]): void {
  if (value === undefined || value === null) return;
  if (Array.isArray(value)) {
    for (const item of value) writeValue(name, item, out);
    return;
  }
  if (typeof value === "object" && typeof value !== "bigint") {
    out.push(`<${name}>`);
    for (const [child, childValue] of Object.entries(value)) writeValue(child, childValue, out);
    out.push(`</${name}>`);
    return;
  }
  out.push(`<${name}>${escapeXml(String(value))}</${name}>`);
}

/** Serialises `{root: {...}}` with the XML declaration; `xmlns` adds the OSS namespace attribute. */
export function toXml(root: string, body: XmlNode, options: { xmlns?: boolean } = {}): string {
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>\n'];
  out.push(options.xmlns ? `<${root} xmlns="${OSS_XMLNS}">` : `<${root}>`);
  for (const [name, value] of Object.entries(body)) writeValue(name, value, out);
  out.push(`</${root}>`);
  return out.join("");
}

/** Like toXml, for bodies whose repeated elements interleave (ListVersionsResult's Version / DeleteMarker). */
export function toXmlSequence(root: string, elements: ReadonlyArray<readonly [string, XmlValue]>, options: { xmlns?: boolean } = {}): string {
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>\n'];
  out.push(options.xmlns ? `<${root} xmlns="${OSS_XMLNS}">` : `<${root}>`);
  for (const [name, value] of elements) writeValue(name, value, out);
  out.push(`</${root}>`);
  return out.join("");
}

const CDATA = "__cdata";
const TEXT = "#text";

// Entities are decoded by decodeXmlText (XML 1.0 exactly); values are not trimmed, because
// whitespace in an object key is data.
const parser = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false,
  trimValues: false,
  processEntities: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  cdataPropName: CDATA,
  tagValueProcessor: (_name: string, value: string) => decodeXmlText(value),
});

/** Folds CDATA sections into text and drops the whitespace between child elements. */
function normalize(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(normalize);
  if (value === null || typeof value !== "object") return value;
  const entries = Object.entries(value as Record<string, unknown>);
  const isText = entries.every(([name]) => name === TEXT || name === CDATA);
  if (isText) return entries.map(([, v]) => (Array.isArray(v) ? v.join("") : String(v))).join("");
  const out: Record<string, unknown> = {};
  for (const [name, child] of entries) {
    if (name === TEXT && String(child).trim() === "") continue;
    out[name] = normalize(child);
  }
  return out;
}

/**
 * Parses a request body and returns the element named `root`. Anything that is not well-formed
 * XML with that root element is MalformedXML.
 */
export function parseXmlBody(body: Buffer, root: string): Record<string, unknown> {
  const text = body.toString("utf8");
  if (text.trim() === "" || XMLValidator.validate(text) !== true) throw new OssError("MalformedXML");
  let parsed: unknown;
  try {
    parsed = normalize(parser.parse(text));
  } catch (cause) {
    throw new OssError("MalformedXML", undefined, { cause });
  }
  const element = (parsed as Record<string, unknown>)[root];
  if (element === undefined || Array.isArray(element)) throw new OssError("MalformedXML");
  return element === "" || typeof element !== "object" ? {} : (element as Record<string, unknown>);
}

/** A child that may occur once or many times, as an array. */
export function asArray(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

/** A child's text; objects (nested elements) are not text. */
export function textOf(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return undefined;
}
