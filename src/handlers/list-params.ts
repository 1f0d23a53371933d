/** Shared validation of listing parameters. */
import { OssError } from "../errors/oss-error.js";

export function parseMaxKeys(value: string | undefined, fallback: number, max = 1000, name = "max-keys"): number {
  if (value === undefined || value === "") return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > max) {
    throw new OssError("InvalidArgument", `Argument ${name} must be an integer between 0 and ${max}.`, {
      extra: { ArgumentName: name, ArgumentValue: value },
    });
  }
  return n;
}

/** With encoding-type=url OSS percent-encodes keys and prefixes in list results. */
export function encoder(encodingType: string | undefined): (s: string) => string {
  if (encodingType === undefined || encodingType === "") return (s) => s;
  if (encodingType !== "url") {
    throw new OssError("InvalidArgument", "Invalid Encoding Method specified in Request", {
      extra: { ArgumentName: "encoding-type", ArgumentValue: encodingType },
    });
  }
  return (s) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}
