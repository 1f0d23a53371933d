/**
 * XML 1.0 character data in and out, for element text (object keys above all).
 * In: references are decoded exactly as XML 1.0 (§4.1, §4.6): `&#N;`, `&#xH;` naming a legal Char,
 * and the five predefined entities; anything else after `&` is not well-formed.
 * Out: markup characters are escaped; control characters stay raw, as OSS writes them (a numeric
 * reference to them is not well-formed XML and sax-based clients such as ali-oss reject it) —
 * clients that need strictly valid XML ask for `encoding-type=url`.
 */

const NAMED: Readonly<Record<string, string>> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

/** XML 1.0 `Char`: #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]. */
export function isXmlChar(code: number): boolean {
  return (
    code === 0x9 || code === 0xa || code === 0xd ||
    (code >= 0x20 && code <= 0xd7ff) ||
    (code >= 0xe000 && code <= 0xfffd) ||
    (code >= 0x10000 && code <= 0x10ffff)
  );
}

export class XmlReferenceError extends Error {}

/** Decodes the references in a run of character data; throws XmlReferenceError when one is not well-formed. */
export function decodeXmlText(text: string): string {
  if (!text.includes("&")) return text;
  return text.replace(/&([^;&]*);?/g, (whole, body: string) => {
    if (!whole.endsWith(";")) throw new XmlReferenceError(`unterminated reference "${whole}"`);
    const named = NAMED[body];
    if (named !== undefined) return named;
    const match = /^#(?:x([0-9A-Fa-f]+)|([0-9]+))$/.exec(body);
    if (!match) throw new XmlReferenceError(`unknown entity "&${body};"`);
    const code = match[1] !== undefined ? parseInt(match[1], 16) : parseInt(match[2] ?? "", 10);
    if (!isXmlChar(code)) throw new XmlReferenceError(`"&${body};" does not name an XML character`);
    return String.fromCodePoint(code);
  });
}

const ESCAPES: Readonly<Record<string, string>> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;", "\r": "&#13;" };

/** Escapes character data; CR is written as a reference so that parsers do not fold it into LF. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"'\r]/g, (c) => ESCAPES[c] ?? c);
}
