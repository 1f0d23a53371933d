/** The sign-in page: an AccessKey pair (root or RAM user), or STS credentials with their token. */
import { signIn } from "./api.js";
import { field, h, replace, showError, statusLine } from "./dom.js";

export function renderSignIn(root: HTMLElement, done: () => void): void {
  const id = h("input", { name: "accessKeyId", autocomplete: "username", required: true, spellcheck: "false" });
  const secret = h("input", { name: "accessKeySecret", type: "password", autocomplete: "current-password", required: true });
  const token = h("textarea", { name: "securityToken", rows: 3, spellcheck: "false" });
  const status = statusLine();
  const form = h(
    "form",
    { class: "card signin", "aria-labelledby": "signin-title" },
    h("h1", { id: "signin-title" }, "Sign in to Barbucket"),
    h("p", { class: "hint" }, "Use an AccessKey pair: the root key printed at first start, a RAM user's key, or temporary STS credentials. The keys stay on the server for this session only."),
    field("AccessKey ID", id),
    field("AccessKey secret", secret),
    field("Security token (STS credentials only)", token),
    h("button", { type: "submit" }, "Sign in"),
    status,
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    status.textContent = "Signing in…";
    signIn(id.value.trim(), secret.value, token.value.trim()).then(
      () => {
        secret.value = "";
        done();
      },
      (error: unknown) => showError(status, error),
    );
  });
  replace(root, h("main", { id: "main" }, form));
  id.focus();
}
