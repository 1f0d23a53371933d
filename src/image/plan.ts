/**
 * Parses the whole `x-oss-process` value into a typed plan before any work is done:
 * `image/<action>[,k_v…][/<action>…]` or `style/<name>`. Unknown or malformed input is an OSS
 * error naming the action, never a 500.
 */
import { OssError } from "../errors/oss-error.js";
import { IMAGE_ACTIONS, KNOWN_OSS_IMAGE_ACTIONS, type ActionStep } from "./registry.js";

export type ProcessPlan =
  | { readonly kind: "image"; readonly steps: readonly ActionStep[] }
  | { readonly kind: "style"; readonly name: string };

export function parseProcess(value: string): ProcessPlan {
  const slash = value.indexOf("/");
  const category = slash < 0 ? value : value.slice(0, slash);
  const rest = slash < 0 ? "" : value.slice(slash + 1);
  if (category === "style") {
    if (!/^[A-Za-z0-9_.-]{1,64}$/.test(rest)) {
      throw new OssError("InvalidArgument", "The style name is not valid.", { extra: { ArgumentName: "x-oss-process", ArgumentValue: value } });
    }
    return { kind: "style", name: rest };
  }
  if (category !== "image") {
    if (["video", "doc", "audio", "hls"].includes(category)) {
      throw new OssError("NotImplemented", `${category} processing is not implemented by this server.`);
    }
    throw new OssError("InvalidArgument", `The process category "${category}" is not supported.`, {
      extra: { ArgumentName: "x-oss-process", ArgumentValue: value },
    });
  }
  const segments = rest.split("/");
  if (rest === "" || segments.some((s) => s === "")) {
    throw new OssError("InvalidArgument", "The image process has no action.", { ec: "0040-00000212", extra: { ArgumentName: "x-oss-process", ArgumentValue: value } });
  }
  const steps = segments.map((segment) => {
    const [name = "", ...rawParams] = segment.split(",");
    const action = IMAGE_ACTIONS[name];
    if (!action) {
      if (KNOWN_OSS_IMAGE_ACTIONS.has(name)) {
        throw new OssError("NotImplemented", `The image action "${name}" is not implemented by this server yet.`);
      }
      throw new OssError("InvalidArgument", `The image action "${name}" is not supported.`, { ec: "0040-00000213", extra: { ArgumentName: "x-oss-process", ArgumentValue: value } });
    }
    const params = new Map<string, string>();
    for (const raw of rawParams) {
      // OSS ignores an empty parameter (`image/watermark,text_…,color_ff6a00,`: ali-oss's own
      // processObjectSave test sends that trailing comma to OSS and gets 200)
      if (raw === "") continue;
      const underscore = raw.indexOf("_");
      const k = underscore < 0 ? raw : raw.slice(0, underscore);
      const v = underscore < 0 ? "" : raw.slice(underscore + 1);
      if (k === "" || params.has(k)) {
        throw new OssError("InvalidArgument", `The parameter "${raw}" of image action "${name}" is not valid.`, { extra: { ArgumentName: name, ArgumentValue: raw } });
      }
      params.set(k, v);
    }
    return action.parse(params);
  });
  for (const [index, step] of steps.entries()) {
    const action = IMAGE_ACTIONS[step.action]!;
    if (action.first && index > 0) {
      throw new OssError("InvalidArgument", `The image action "${step.action}" must come first in the process.`, { extra: { ArgumentName: "x-oss-process", ArgumentValue: value } });
    }
    if (action.kind === "json" && steps.length > 1) {
      throw new OssError("InvalidArgument", `The image action "${step.action}" cannot be combined with other actions.`, {
        extra: { ArgumentName: "x-oss-process", ArgumentValue: value },
      });
    }
  }
  return { kind: "image", steps };
}
