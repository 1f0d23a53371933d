/**
 * RFC 3986 percent-encoding as the Alibaba Cloud signers use it: every byte except
 * `A-Z a-z 0-9 - . _ ~` becomes `%XX` (upper-case hex) of its UTF-8 encoding.
 * `encodeURIComponent` leaves `! ' ( ) *` alone, so those are escaped on top (same as ali-oss
 * `encodeString` and pop-core `encode`).
 */
export function rfc3986Encode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Like `rfc3986Encode` but keeps `/` literal (canonical URIs). */
export function rfc3986EncodePath(path: string): string {
  return path.split("/").map(rfc3986Encode).join("/");
}

/** Space-separated lower-case hex of the UTF-8 bytes (the `StringToSignBytes` error element). */
export function hexBytes(value: string): string {
  return Array.from(Buffer.from(value, "utf8"), (b) => b.toString(16).padStart(2, "0")).join(" ");
}

const STRICT_UTF8 = new TextDecoder("utf-8", { fatal: true });

/**
 * A header value as the signer saw it. Node hands header bytes over as latin1 characters; OSS signs
 * the bytes on the wire, so a value that is valid UTF-8 (ali-oss `headerEncoding: 'latin1'` sends
 * `x-oss-meta-*` as raw UTF-8) is decoded back to the text whose UTF-8 form those bytes are.
 * Bytes that are not UTF-8 stay latin1 characters (a client that signed them as text).
 */
export function signedHeaderText(value: string): string {
  // eslint-disable-next-line no-control-regex
  if (!/[^\x00-\x7f]/.test(value)) return value;
  const bytes = Buffer.from(value, "latin1");
  try {
    return STRICT_UTF8.decode(bytes);
  } catch {
    return value;
  }
}

// eslint-disable-next-line no-control-regex
const NON_ASCII = /[^\x00-\x7f]/;

/** Every header value through `signedHeaderText`; `headers` itself when every value is ASCII (nothing to decode). */
export function signedHeaders(headers: Readonly<Record<string, string>>): Readonly<Record<string, string>> {
  let ascii = true;
  for (const name in headers) {
    if (NON_ASCII.test(headers[name]!)) {
      ascii = false;
      break;
    }
  }
  if (ascii) return headers;
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) out[name] = signedHeaderText(value);
  return out;
}
