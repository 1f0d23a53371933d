/** The upload area: drop files or choose them; each goes up (in parts when large) with a progress bar. */
import { uploadFile } from "./oss.js";
import { h, showError } from "./dom.js";

export function uploadArea(bucket: string, prefix: string, uploaded: (key: string) => void): HTMLElement {
  const input = h("input", { type: "file", multiple: true, id: "upload-input", class: "sr-only" });
  const list = h("ul", { class: "uploads", "aria-live": "polite" });
  const zone = h(
    "section",
    { class: "dropzone", "aria-label": "Upload files" },
    h("p", {}, `Drop files here to upload them to ${prefix || "the bucket root"}, or `, h("label", { for: "upload-input", class: "button", tabindex: 0 }, "choose files"), "."),
    input,
    list,
  );

  async function send(files: readonly File[]): Promise<void> {
    for (const file of files) {
      const key = prefix + file.name;
      const bar = h("progress", { max: file.size || 1, value: 0, "aria-label": `Upload progress of ${file.name}` });
      const line = h("span", { class: "status" }, "uploading…");
      list.append(h("li", {}, h("span", { class: "name" }, file.name), bar, line));
      try {
        await uploadFile(bucket, key, file, (sent) => {
          bar.value = sent;
          line.textContent = `${Math.round((sent / (file.size || 1)) * 100)}%`;
        });
        bar.value = file.size || 1;
        line.textContent = "done";
        uploaded(key);
      } catch (error) {
        showError(line, error);
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
