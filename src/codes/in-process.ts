/** A CodesEngine that runs on the calling thread (for the CLI and as a fallback); the server uses the pool. */
import type { CodesEngine } from "./types.js";
import { detectCodes } from "./detect.js";

export function createInProcessEngine(): CodesEngine {
  return { detect: detectCodes, close: async () => undefined };
}
