/**
 * The upload area: drop files or choose them; each goes up (in parts when large) with a progress bar.
 * Unfinished multipart uploads into this bucket from earlier visits are offered for resuming: choose
 * the same file again (multipart.ts matches it by name, size and last-modified time) or discard it.
 */
import { abortUpload, uploadFile } from "./multipart.js";
import { pendingIn, type PendingUpload } from "./resume-store.js";
import { formatBytes, formatDate, h, showError } from "./dom.js";

function resumeOffer(bucket: string, prefix: string, pick: () => void): HTMLElement {
  const box = h("section", { class: "resume", "aria-label": "Unfinished uploads" });
  const render = (): void => {
    const pending = pendingIn(bucket).filter((p) => p.key === prefix + p.name);
    box.hidden = pending.length === 0;
    box.replaceChildren(
      h("p", {}, h("strong", {}, "Unfinished uploads here."), " Choose the same file again to send only the parts that are missing."),
      h("ul", {}, ...pending.map((p) => item(p))),
    );
  };
  const item = (p: PendingUpload): HTMLElement => {
    const discard = h("button", { type: "button", class: "link", "aria-label": `Discard the unfinished upload of ${p.name}` }, "Discard");
    discard.addEventListener("click", () => {
      abortUpload(p).then(render, (error: unknown) => showError(box.querySelector("p")!, error));
    });
    const resume = h("button", { type: "button", class: "secondary", "aria-label": `Resume ${p.name}` }, "Resume…");
    resume.addEventListener("click", pick);
    return h("li", { "data-pending": p.key }, `${p.name} (${formatBytes(p.size)}), started ${formatDate(p.startedAt)} `, resume, " ", discard);
  };
  render();
  const changed = (): void => {
    if (box.isConnected) render();
    else window.removeEventListener("console-uploads-changed", changed);
  };
  window.addEventListener("console-uploads-changed", changed);
  return box;
}

export function uploadArea(bucket: string, prefix: string, uploaded: (key: string) => void): HTMLElement {
  const input = h("input", { type: "file", multiple: true, id: "upload-input", class: "sr-only" });
  const list = h("ul", { class: "uploads", "aria-live": "polite" });
  const zone = h(
    "section",
    { class: "dropzone", "aria-label": "Upload files" },
    h("p", {}, `Drop files here to upload them to ${prefix || "the bucket root"}, or `, h("label", { for: "upload-input", class: "button", tabindex: 0 }, "choose files"), "."),
    resumeOffer(bucket, prefix, () => input.click()),
    input,
    list,
  );

  async function send(files: readonly File[]): Promise<void> {
    for (const file of files) {
      const key = prefix + file.name;
      const bar = h("progress", { max: file.size || 1, value: 0, "aria-label": `Upload progress of ${file.name}` });
      const line = h("span", { class: "status" }, "uploading…");
      list.append(h("li", { "data-upload": key }, h("span", { class: "name" }, file.name), bar, line));
      try {
        const report = await uploadFile(bucket, key, file, (sent) => {
          bar.value = sent;
          line.textContent = `${Math.round((sent / (file.size || 1)) * 100)}%`;
        });
        bar.value = file.size || 1;
        line.textContent = report.resumedParts ? `done (resumed: ${report.resumedParts} part${report.resumedParts === 1 ? "" : "s"} were already there)` : "done";
        uploaded(key);
      } catch (error) {
        showError(line, error);
        line.append(" — choose the file again to resume.");
      } finally {
        window.dispatchEvent(new Event("console-uploads-changed"));
      }
    }
  }

  input.addEventListener("change", () => {
    void send(Array.from(input.files ?? []));
    input.value = "";
  });
  const label = zone.querySelector("label")!;
  label.addEventListener("keydown", (event) => {
    if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      input.click();
    }
  });
  zone.addEventListener("dragover", (event) => {
    event.preventDefault();
    zone.classList.add("over");
  });
  zone.addEventListener("dragleave", () => zone.classList.remove("over"));
  zone.addEventListener("drop", (event) => {
    event.preventDefault();
    zone.classList.remove("over");
    void send(Array.from(event.dataTransfer?.files ?? []));
  });
  return zone;
}
