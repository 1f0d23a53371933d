/**
 * `<process>|sys/saveas,o_<key>,b_<bucket>`: where POST ?x-oss-process stores its result. Names are
 * Base64 (URL-safe as OSS documents, or standard as ali-oss's processObjectSave sends).
 */
import { OssError } from "../errors/oss-error.js";
import { decodeBase64Name } from "./params.js";

export interface SaveAs {
  readonly key: string;
  /** Absent: the source's bucket. */
  readonly bucket?: string | undefined;
}

function invalid(value: string, why: string): OssError {
  return new OssError("InvalidArgument", `sys/saveas is invalid: ${why}.`, { extra: { ArgumentName: "x-oss-process", ArgumentValue: value } });
}

export function splitSaveAs(value: string): { process: string; saveAs?: SaveAs } {
  const parts = value.split("|");
  if (parts.length === 1) return { process: value };
  if (parts.length > 2) throw invalid(value, "only one |sys/saveas may follow the process");
  const [process = "", sys = ""] = parts;
  const [name, ...raw] = sys.split(",");
  if (name !== "sys/saveas") throw invalid(value, `"${name}" is not a supported sys action (sys/saveas is)`);
  let key: string | undefined;
  let bucket: string | undefined;
  for (const p of raw) {
    const k = p.slice(0, p.indexOf("_"));
    const v = p.slice(p.indexOf("_") + 1);
    const text = decodeBase64Name(v);
    if (p.indexOf("_") < 0 || (k !== "o" && k !== "b")) throw invalid(value, `unknown parameter "${p}"`);
    if (text === undefined) throw invalid(value, `${k}_ must be Base64 of a name`);
    if (k === "o") key = text;
    else bucket = text;
  }
  if (key === undefined) throw new OssError("MissingArgument", "sys/saveas needs o_<Base64 of the target object name>.");
  return { process, saveAs: { key, bucket } };
}
