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
