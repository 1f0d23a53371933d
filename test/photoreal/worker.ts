/** Worker thread for generatePhotoSuite: renders the scenes it is sent and posts them back (image bytes transferred). */
import { parentPort } from "node:worker_threads";
import { generatePhotoScene, type PhotoCategory } from "./scene.js";

interface Job { id: number; category: PhotoCategory; index: number; seed: number | string }

const port = parentPort;
if (!port) throw new Error("worker.js runs as a worker thread");
port.on("message", (job: Job) => {
  generatePhotoScene(job.category, job.index, job.seed).then((s) => {
    const { image, ...meta } = s;
    const bytes = image.buffer.slice(image.byteOffset, image.byteOffset + image.length) as ArrayBuffer;
    port.postMessage({ id: job.id, meta, image: bytes }, [bytes]);
  }, (e: unknown) => {
    port.postMessage({ id: job.id, error: e instanceof Error ? e.stack ?? e.message : String(e) });
  });
});
