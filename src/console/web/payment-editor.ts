/**
 * Who pays for requests (PutBucketRequestPayment / GetBucketRequestPayment): the owner, or the
 * requester — then anonymous requests and other accounts without `x-oss-request-payer: requester`
 * are refused by the server.
 */
import { oss, ossUrl, ossXml } from "./api.js";
import { field, h, select, showError, showOk, statusLine } from "./dom.js";
import { settingSection, type SettingSection } from "./setting-section.js";
import { XML_DECL, el, textOf } from "./xml.js";

const PAYERS = ["BucketOwner", "Requester"];

export function paymentSection(bucket: string): SettingSection {
  const status = statusLine();
  const payer = select("payer", PAYERS, "BucketOwner");
  const form = h("form", { class: "inline-form", "aria-label": "Request payment" }, field("Requests paid by", payer), h("button", { type: "submit" }, "Save request payment"));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const chosen = payer.value;
    if (!PAYERS.includes(chosen)) return;
    oss("PUT", ossUrl(bucket, "", { requestPayment: "" }), { headers: { "content-type": "application/xml" }, body: `${XML_DECL}<RequestPaymentConfiguration>${el("Payer", chosen)}</RequestPaymentConfiguration>` }).then(
      () => showOk(status, `Requests are now paid by the ${chosen === "Requester" ? "requester" : "bucket owner"}.`),
      (error: unknown) => showError(status, error),
    );
  });
  const load = async (): Promise<void> => {
    payer.value = textOf(await ossXml("GET", ossUrl(bucket, "", { requestPayment: "" })), "Payer") || "BucketOwner";
  };
  const hint = h("p", { class: "hint" }, "With Requester, anonymous requests and other accounts' requests without x-oss-request-payer: requester are refused.");
  return { element: settingSection("payment", "Request payment", hint, status, form), load };
}
