/**
 * `barbucket scan [--json] [--max N] FILE...`: the image/codes engine on local files, one JSON line per file.
 */
import { readFile, stat } from "node:fs/promises";
import { availableParallelism } from "node:os";
import { detectCodes } from "../codes/detect.js";
import { createCodesEngine } from "../codes/pool.js";
import { LIMITS } from "../codes/decode-image.js";
import { CodesError, type DetectedCode, type DetectOptions } from "../codes/types.js";
import type { CliIO, Command } from "./main.js";
import { isOssUrl } from "./oss-url.js";

export const SCAN_HELP = `usage: barbucket scan [--json] [--max N] FILE...

Reads the QR codes and barcodes in each image FILE and prints one JSON line per file, in argument order:

  {"File":"<path as given>","Codes":[...]}
  {"File":"<path as given>","Error":{"Code":"...","Message":"..."}}

Each code, by default, has the shape OSS x-oss-process=image/codes returns:
  {"Content":"...","Boundary":{"Left":..,"Top":..,"Width":..,"Height":..}}
With --json, the full IMM DetectImageCodes shape plus the symbology:
  {"Content":"...","Type":"qrcode|barcode","Format":"QRCode|EAN13|UPCA|…","Confidence":0..1,
   "Boundary":{"Left":..,"Top":..,"Width":..,"Height":..,"Polygon":[{"X":..,"Y":..}×4]}}

Boxes are integer pixels in the displayed (EXIF-oriented) image. Codes are ordered top-to-bottom, then
left-to-right. Content is the raw payload (CR LF and GS1 separators kept); UPC-A is reported as 12 digits.

Options:
  --json     full result objects (see above)
  --max N    at most N codes per image (default 5, the OSS limit; 1..255)
  -h, --help this text

Several files are scanned in parallel by BARBUCKET_CODES_WORKERS threads (default: the number of cores);
the output keeps the argument order.

Error codes: InvalidImageFormat, CorruptImage, ImageTooLarge, Timeout, FileNotFound, ReadError.
Exit status: 0 if every file was scanned (with or without codes), 1 if any file failed, 2 on bad usage.

Images in OSS: barbucket scan [--max N] [--mask-to DEST] oss://bucket/prefix... scans them with the
server's x-oss-process=image/codes (see barbucket scan oss:// --help).`;

interface ScanArgs {
  full: boolean;
  max: number;
  files: string[];
}

function parse(argv: string[]): ScanArgs | { help: true } | { error: string } {
  const a: ScanArgs = { full: false, max: 5, files: [] };
  for (let i = 0; i < argv.length; i++) {
    const v = argv[i]!;
    if (v === "--") { a.files.push(...argv.slice(i + 1)); break; }
    if (v === "-h" || v === "--help") return { help: true };
    if (v === "--json") a.full = true;
    else if (v === "--max" || v.startsWith("--max=")) {
      const raw = v.startsWith("--max=") ? v.slice(6) : argv[++i];
      const n = Number(raw);
      if (!Number.isInteger(n) || n < 1 || n > 255) return { error: `--max needs an integer 1..255, got ${raw ?? "nothing"}` };
      a.max = n;
    } else if (v.startsWith("-") && v !== "-") return { error: `unknown option ${v}` };
    else a.files.push(v);
  }
  if (a.files.length === 0) return { error: "no FILE given" };
  return a;
}

const ERROR_CODES: Record<CodesError["kind"], string> = {
  "unsupported-format": "InvalidImageFormat",
  "corrupt-image": "CorruptImage",
  "image-too-large": "ImageTooLarge",
  timeout: "Timeout",
  busy: "Busy",
};

/** OSS image/codes shape, or the full IMM shape with --json. */
export function presentCode(c: DetectedCode, full: boolean): object {
  const { Left, Top, Width, Height, Polygon } = c.Boundary;
  if (!full) return { Content: c.Content, Boundary: { Left, Top, Width, Height } };
  return { Content: c.Content, Type: c.Type, Format: c.Format, Confidence: c.Confidence, Boundary: { Left, Top, Width, Height, Polygon } };
}

type Detect = (image: Uint8Array, options: DetectOptions) => Promise<DetectedCode[]>;

/** Per-image time budget: generous, as a command line waits for its answer (the server's default is 10 s). */
const SCAN_TIME_BUDGET_MS = 30_000;

async function scanOne(file: string, args: ScanArgs, detect: Detect): Promise<{ line: object; ok: boolean }> {
  let bytes: Uint8Array;
  try {
    const st = await stat(file);
    if (!st.isFile()) throw Object.assign(new Error("not a regular file"), { code: "EISDIR" });
    if (st.size > LIMITS.maxBytes) {
      throw new CodesError("image-too-large", `The image is larger than ${LIMITS.maxBytes} bytes.`);
    }
    bytes = new Uint8Array(await readFile(file));
  } catch (err) {
    if (err instanceof CodesError) return { line: { File: file, Error: { Code: ERROR_CODES[err.kind], Message: err.message } }, ok: false };
    const code = (err as NodeJS.ErrnoException).code === "ENOENT" ? "FileNotFound" : "ReadError";
    return { line: { File: file, Error: { Code: code, Message: err instanceof Error ? err.message : String(err) } }, ok: false };
  }
  try {
    const codes = await detect(bytes, { maxCodes: args.max, timeBudgetMs: SCAN_TIME_BUDGET_MS, transfer: true });
    return { line: { File: file, Codes: codes.map((c) => presentCode(c, args.full)) }, ok: true };
  } catch (err) {
    const e = err instanceof CodesError ? err : new CodesError("corrupt-image", err instanceof Error ? err.message : String(err));
    return { line: { File: file, Error: { Code: ERROR_CODES[e.kind], Message: e.message } }, ok: false };
  }
}

export const scanCommand: Command = {
  summary: "print the QR codes and barcodes in image files (one JSON line per file)",
  async run(argv: string[], io: CliIO): Promise<number> {
    // oss:// arguments (or --help next to one): the server scans; local files keep this path unchanged.
    if (argv.some(isOssUrl)) return (await import("./commands/scan-oss.js")).scanOssCommand.run(argv, io);
    const args = parse(argv);
    if ("help" in args) {
      io.out(SCAN_HELP);
      return 0;
    }
    if ("error" in args) {
      io.err(`barbucket scan: ${args.error}\n\n${SCAN_HELP}`);
      return 2;
    }
    let failed = 0;
    const print = ({ line, ok }: { line: object; ok: boolean }) => {
      io.out(JSON.stringify(line));
      if (!ok) failed++;
    };
    const threads = Math.min(args.files.length, workerCount());
    if (threads <= 1) {
      // One file (or one core): in this thread, without a pool's start-up.
      for (const file of args.files) print(await scanOne(file, args, detectCodes));
      return failed ? 1 : 0;
    }
    const engine = createCodesEngine({ workers: threads, maxQueue: threads, timeBudgetMs: SCAN_TIME_BUDGET_MS });
    try {
      const results = args.files.map(() => deferred<{ line: object; ok: boolean }>());
      let next = 0;
      // This thread scans too until the pool's first answer: its threads take ~0.25 s each to load the engine,
      // most of the time for a few small images. After that it only reads files and hands them over (its
      // event loop must stay free for that).
      let poolAnswered = false;
      const lane = async (detect: Detect, pool: boolean) => {
        while (next < args.files.length && (pool || !poolAnswered)) {
          const i = next++;
          results[i]!.resolve(await scanOne(args.files[i]!, args, detect));
          if (pool) poolAnswered = true;
        }
      };
      // Two files in flight a pool thread, so that none waits to be handed the next.
      const lanes: Promise<void>[] = [];
      for (let k = 0; k < 2 * threads; k++) lanes.push(lane((b, o) => engine.detect(b, o), true));
      lanes.push(lane(detectCodes, false));
      for (const r of results) print(await r.promise);
      await Promise.all(lanes);
    } finally {
      await engine.close();
    }
    return failed ? 1 : 0;
  },
};

function deferred<T>(): { promise: Promise<T>; resolve: (v: T) => void } {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => { resolve = r; });
  return { promise, resolve };
}

function workerCount(): number {
  const n = Number(process.env.BARBUCKET_CODES_WORKERS);
  return Number.isInteger(n) && n > 0 ? n : availableParallelism();
}
