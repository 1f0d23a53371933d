/** Renders an OssError as OSS does: XML body, `x-oss-ec` header; HEAD gets the XML base64 in `x-oss-err`. */
import { type OssError } from "./oss-error.js";
import { UNDOCUMENTED_EC } from "./codes.js";
import { toXml, type XmlNode } from "../http/xml.js";

export interface RenderedError {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

export function renderError(error: OssError, requestId: string, hostId: string, method: string): RenderedError {
  const node: Record<string, string> = {
    Code: error.code,
    Message: error.message,
    RequestId: requestId,
    HostId: hostId,
  };
  for (const [name, value] of error.extra) node[name] = value;
  node.EC = error.ec;
  if (error.ec !== UNDOCUMENTED_EC) node.RecommendDoc = `https://api.aliyun.com/troubleshoot?q=${error.ec}`;
  const xml = toXml("Error", node as XmlNode);
  const headers: Record<string, string> = { "content-type": "application/xml", ...error.headers, "x-oss-ec": error.ec };
  if (method === "HEAD") {
    headers["x-oss-err"] = Buffer.from(xml).toString("base64");
    return { status: error.status, headers, body: "" };
  }
  return { status: error.status, headers, body: xml };
}
