/**
 * The image side of the installation, as one `Services` field: the processed-result cache (keyed by
 * object version and the whole plan, bounded in bytes) and the bound on concurrent image work
 * (N running + a bounded queue; one more is 503 ServiceUnavailable at once, as image/codes does).
 */
import { ResultCache } from "../imm/result-cache.js";
import { OssError } from "../errors/oss-error.js";

/** A processed answer: an encoded picture or a JSON document. */
export type ProcessedResult =
  | { readonly kind: "image"; readonly body: Buffer; readonly contentType: string }
  | { readonly kind: "json"; readonly json: unknown };

export interface ImageServiceOptions {
  readonly workers: number;
  readonly maxQueue: number;
  readonly cacheBytes: number;
  readonly cacheEntries: number;
}

export class ImageService {
  readonly results: ResultCache<ProcessedResult>;
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly options: ImageServiceOptions) {
    this.results = new ResultCache<ProcessedResult>(
      { maxEntries: options.cacheEntries, maxBytes: options.cacheBytes },
      (v) => (v.kind === "image" ? v.body.length : Buffer.byteLength(JSON.stringify(v.json)) * 2),
    );
  }

  /** Runs `work` when a worker slot is free; refuses at once when the queue is full. */
  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.running >= this.options.workers) {
      if (this.waiting.length >= this.options.maxQueue) {
        throw new OssError("ServiceUnavailable", "Image processing is at capacity; retry shortly.", { headers: { "retry-after": "1" } });
      }
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.running++;
    }
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      if (next) next(); // the slot passes straight to the next waiter
      else this.running--;
    }
  }

  close(): void {
    this.results.clear();
  }
}
