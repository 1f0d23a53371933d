/**
 * `barbucket presign [--expires S] [--process P] oss://bucket/key`: a signed GET URL. Signed with
 * OSS V4 (x-oss-signature-version=OSS4-HMAC-SHA256) through ali-oss signatureUrlV4, which, unlike
 * the V1 signatureUrl, also signs for IP endpoints; path-style (bucket in the path).
 */
import { EXIT, UsageError } from "../exit-codes.js";
import { intOption } from "../args.js";
import { parseOssUrl } from "../oss-url.js";
import { ossCommand } from "./common.js";

/** V4's longest validity: 7 days. */
export const MAX_EXPIRES = 604_800;

export const presignCommand = ossCommand({
  name: "presign",
  summary: "print a presigned (OSS V4) GET URL of an object",
  usage: `usage: barbucket presign [--expires SECONDS] [--process P] oss://bucket/key

Prints a URL that GETs the object without credentials until it expires. Signed with OSS signature
V4 (OSS4-HMAC-SHA256, query parameters x-oss-credential, x-oss-date, x-oss-expires,
x-oss-signature), path-style: http://ENDPOINT/bucket/key?...`,
  optionsHelp: `  --expires SECONDS   validity, 1..${MAX_EXPIRES} (default 3600)
  --process P         sign an x-oss-process too, e.g. image/codes or image/resize,w_100`,
  options: { expires: { type: "string" }, process: { type: "string" } },
  positionals: { min: 1, max: 1 },
  async run({ positionals, values, io, client }) {
    const { bucket, key } = parseOssUrl(positionals[0]!);
    if (key === "") throw new UsageError("presign needs an object key");
    const expires = intOption(values, "expires", 3600, 1, MAX_EXPIRES);
    const process = values.process as string | undefined;
    io.out(await client(bucket, { pathStyle: true }).signatureUrlV4("GET", expires, process ? { queries: { "x-oss-process": process } } : undefined, key));
    return EXIT.ok;
  },
});
