/** RAM lookups the access pages share: policies (all pages of ListPolicies) and the policy picker. */
import { rpc } from "./api.js";
import { h, replace } from "./dom.js";

export interface Policy {
  PolicyName: string;
  PolicyType: string;
  Description?: string;
  DefaultVersion?: string;
  AttachmentCount?: number;
  CreateDate?: string;
}

export async function listPolicies(type?: "System" | "Custom"): Promise<Policy[]> {
  const out: Policy[] = [];
  let marker = "";
  for (let page = 0; page < 20; page++) {
    const answer = await rpc<{ Policies?: { Policy?: Policy[] }; IsTruncated?: boolean; Marker?: string }>("ListPolicies", { MaxItems: "1000", ...(type ? { PolicyType: type } : {}), ...(marker ? { Marker: marker } : {}) });
    out.push(...(answer.Policies?.Policy ?? []));
    if (!answer.IsTruncated || !answer.Marker) break;
    marker = answer.Marker;
  }
  return out;
}

/** Fills a select with `Type:Name` options. */
export function fillPolicyOptions(select: HTMLSelectElement, policies: readonly Policy[]): void {
  replace(select, ...policies.map((p) => h("option", { value: `${p.PolicyType}:${p.PolicyName}` }, `${p.PolicyName} (${p.PolicyType})`)));
}

export function splitPolicyOption(value: string): { PolicyType: string; PolicyName: string } {
  const colon = value.indexOf(":");
  return { PolicyType: value.slice(0, colon) || "System", PolicyName: value.slice(colon + 1) };
}
