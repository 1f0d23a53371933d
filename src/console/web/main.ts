/**
 * The console's entry point: the page shell (navigation, who is signed in, sign out) and a hash
 * router: #/buckets, #/bucket/<name>?prefix=, #/settings/<bucket>, #/versions/<bucket>?prefix=|key=,
 * #/object/<bucket>/<key>, #/usage,
 * and the access pages #/users, #/roles, #/policies, #/explain.
 */
import { currentSession, loadSession, signOut } from "./api.js";
import { h, replace } from "./dom.js";
import { renderSignIn } from "./signin.js";
import { renderBuckets } from "./buckets.js";
import { renderObjects } from "./objects.js";
import { renderPreview } from "./preview.js";
import { renderUsage } from "./usage.js";
import { renderUsers } from "./users.js";
import { renderSettings } from "./settings.js";
import { renderRoles } from "./roles.js";
import { renderPolicies } from "./policies.js";
import { renderExplain } from "./explain.js";
import { renderVersions } from "./versions.js";

const app = document.getElementById("app")!;

interface Route {
  readonly parts: string[];
  readonly query: URLSearchParams;
}

function route(): Route {
  const hash = location.hash.replace(/^#\/?/, "");
  const q = hash.indexOf("?");
  const path = q < 0 ? hash : hash.slice(0, q);
  return { parts: path.split("/").filter(Boolean).map(decodeURIComponent), query: new URLSearchParams(q < 0 ? "" : hash.slice(q + 1)) };
}

function navLink(href: string, label: string, active: boolean): HTMLAnchorElement {
  return h("a", { href, ...(active ? { "aria-current": "page" } : {}) }, label);
}

function shell(section: string): HTMLElement {
  const session = currentSession()!;
  const main = h("main", { id: "main", tabindex: "-1" });
  const out = h("button", { type: "button", class: "link", onclick: () => void signOut().finally(() => { location.hash = "#/"; void render(); }) }, "Sign out");
  replace(
    app,
    h("a", { href: "#main", class: "skip" }, "Skip to content"),
    h(
      "header",
      { class: "top" },
      h("span", { class: "brand" }, "Barbucket"),
      h("nav", { "aria-label": "Sections" }, navLink("#/buckets", "Buckets", section === "buckets"), navLink("#/usage", "Usage", section === "usage"), navLink("#/users", "RAM users", section === "users"), navLink("#/roles", "Roles", section === "roles"), navLink("#/policies", "Policies", section === "policies"), navLink("#/explain", "Explain access", section === "explain")),
      h("span", { class: "who", title: session.identity.arn }, `${session.identity.type}: ${session.identity.accessKeyId}`),
      out,
    ),
    main,
  );
  return main;
}

async function render(): Promise<void> {
  if (!currentSession() && !(await loadSession())) {
    renderSignIn(app, () => {
      if (!location.hash || location.hash === "#/") location.hash = "#/buckets";
      else void render();
    });
    return;
  }
  const { parts, query } = route();
  const [first, ...rest] = parts;
  switch (first) {
    case "bucket":
      return renderObjects(shell("buckets"), rest[0] ?? "", query.get("prefix") ?? "");
    case "settings":
      return renderSettings(shell("buckets"), rest[0] ?? "");
    case "versions":
      return renderVersions(shell("buckets"), rest[0] ?? "", query.get("prefix") ?? "", query.get("key") ?? undefined);
    case "object":
      return renderPreview(shell("buckets"), rest[0] ?? "", rest.slice(1).join("/"));
    case "usage":
      return renderUsage(shell("usage"));
    case "users":
      return renderUsers(shell("users"));
    case "roles":
      return renderRoles(shell("roles"));
    case "policies":
      return renderPolicies(shell("policies"));
    case "explain":
      return renderExplain(shell("explain"));
    default:
      return renderBuckets(shell("buckets"));
  }
}

window.addEventListener("hashchange", () => void render());
window.addEventListener("console-signed-out", () => void render());
void render();
