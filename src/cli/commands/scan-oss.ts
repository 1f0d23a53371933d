/**
 * `barbucket scan oss://bucket/prefix…`: every image under each prefix through the server's
 * `x-oss-process=image/codes` (a signed GET), one JSON line per image in listing order — the shape of
 * the local-file scan, with File the oss:// URL. `--mask-to` also writes a copy of each image with
 * codes, masked by `x-oss-process=image/mask-codes`, to an oss:// prefix or a local folder.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { intOption } from "../args.js";
import { listAll, type AliOss } from "../client.js";
import { EXIT, UsageError } from "../exit-codes.js";
import { formatOssUrl, isOssUrl, parseOssUrl } from "../oss-url.js";
import { Progress } from "../progress.js";
import { ossCommand } from "./common.js";

/** What counts as an image under a prefix (the formats image/codes reads). */
export const IMAGE_EXTENSIONS = new Set(["jpg", "jpeg", "png", "bmp", "gif", "webp", "tif", "tiff", "heic", "heif", "avif"]);

export function isImageKey(key: string): boolean {
  const dot = key.lastIndexOf(".");
  return dot > key.lastIndexOf("/") && IMAGE_EXTENSIONS.has(key.slice(dot + 1).toLowerCase());
}

interface Target {
  bucket: string;
  key: string;
  /** The part of the key kept under --mask-to. */
  rel: string;
}

interface OssCodes {
  Codes?: { Content: string; Boundary: { Left: number; Top: number; Width: number; Height: number } }[];
}

function errorLine(file: string, error: unknown): object {
  const e = error as { code?: unknown; message?: unknown; status?: unknown };
  const code = typeof e.code === "string" && e.code ? e.code : "RequestError";
  const message = typeof e.message === "string" ? e.message.split("\n")[0]! : String(error);
  return { File: file, Error: { Code: code, Message: message } };
}

export const SCAN_OSS_HELP = `usage: barbucket scan [--max N] [--mask-to oss://bucket/prefix/ | DIR] [--mask-type T] [--mask-padding PX]
                      [--mask-color HEX] oss://bucket[/prefix]...

Scans every image (by extension: ${[...IMAGE_EXTENSIONS].join(", ")}) under each prefix with the
server's x-oss-process=image/codes and prints one JSON line per image, in listing order:
  {"File":"oss://bucket/key","Codes":[{"Content":"...","Boundary":{"Left":..,"Top":..,"Width":..,"Height":..}}]}
  {"File":"oss://bucket/key","Error":{"Code":"...","Message":"..."}}
The bucket must be attached to an IMM project (as for image/codes itself). image/codes returns at most
5 codes; --max N keeps the first N of them. (--json, the IMM shape, is for local files only.)`;

export const scanOssCommand = ossCommand({
  name: "scan",
  summary: "scan images in OSS",
  usage: SCAN_OSS_HELP,
  optionsHelp: `  --max N             at most N codes per image (default 5; 1..255)
  --mask-to DEST      for each image with codes, write the image/mask-codes picture to DEST: an
                      oss:// prefix or a local folder, keeping the key's path below the scanned prefix
  --mask-type T       mosaic (default) | blur | fill
  --mask-padding PX   grow each box by PX pixels (default 0)
  --mask-color HEX    fill colour, e.g. FF00FF (with --mask-type fill)
  --jobs N            images in flight (default 4)`,
  options: {
    max: { type: "string" },
    "mask-to": { type: "string" },
    "mask-type": { type: "string" },
    "mask-padding": { type: "string" },
    "mask-color": { type: "string" },
    jobs: { type: "string" },
    json: { type: "boolean" },
  },
  positionals: { min: 1, max: Infinity },
  async run({ positionals, values, io, client }) {
    if (values.json) throw new UsageError("--json (the IMM shape) is for local files; image/codes answers in the OSS shape");
    const max = intOption(values, "max", 5, 1, 255);
    const jobsInFlight = intOption(values, "jobs", 4, 1, 64);
    const maskTo = values["mask-to"] as string | undefined;
    const maskType = (values["mask-type"] as string | undefined) ?? "mosaic";
    if (!["mosaic", "blur", "fill"].includes(maskType)) throw new UsageError("--mask-type must be mosaic, blur or fill");
    const padding = intOption(values, "mask-padding", 0, 0, 4096);
    const color = values["mask-color"] as string | undefined;
    if (color !== undefined && !/^[0-9a-fA-F]{6}$/.test(color)) throw new UsageError("--mask-color needs 6 hex digits, e.g. FF00FF");
    const maskProcess = `image/mask-codes,t_${maskType}${padding ? `,p_${padding}` : ""}${color ? `,color_${color.toUpperCase()}` : ""}`;
    const maskDest = maskTo === undefined ? undefined : isOssUrl(maskTo) ? parseOssUrl(maskTo) : { dir: maskTo };
    const sources = positionals.map((p) => {
      if (!isOssUrl(p)) throw new UsageError(`mix of oss:// URLs and local files: ${p} (scan one kind at a time)`);
      return parseOssUrl(p);
    });

    const clients = new Map<string, AliOss>();
    const clientOf = (bucket: string) => {
      let c = clients.get(bucket);
      if (!c) clients.set(bucket, (c = client(bucket)));
      return c;
    };
    const targets: Target[] = [];
    for (const s of sources) {
      const base = s.key.slice(0, s.key.lastIndexOf("/") + 1);
      for await (const { object } of listAll(clientOf(s.bucket), s.key)) {
        if (object && isImageKey(object.name)) targets.push({ bucket: s.bucket, key: object.name, rel: object.name.slice(base.length) });
      }
    }
    if (targets.length === 0) io.err(`barbucket scan: no image under ${positionals.join(" ")}`);
    const progress = new Progress(io);
    progress.add(targets.length);
    const results: (Promise<{ line: object; ok: boolean }> | undefined)[] = new Array(targets.length);
    const settle: ((v: { line: object; ok: boolean }) => void)[] = [];
    for (let i = 0; i < targets.length; i++) results[i] = new Promise((r) => { settle[i] = r; });

    const scanOne = async (t: Target): Promise<{ line: object; ok: boolean }> => {
      const file = formatOssUrl(t.bucket, t.key);
      const oss = clientOf(t.bucket);
      try {
        const res = await oss.get(t.key, undefined, { process: "image/codes" });
        const body = JSON.parse(Buffer.from(res.content ?? Buffer.alloc(0)).toString("utf8")) as OssCodes;
        const codes = (body.Codes ?? []).slice(0, max).map((c) => ({ Content: c.Content, Boundary: { Left: c.Boundary.Left, Top: c.Boundary.Top, Width: c.Boundary.Width, Height: c.Boundary.Height } }));
        if (maskDest && codes.length > 0) {
          const masked = await oss.get(t.key, undefined, { process: maskProcess });
          const bytes = Buffer.from(masked.content ?? Buffer.alloc(0));
          let where: string;
          if ("dir" in maskDest) {
            where = join(maskDest.dir, ...t.rel.split("/"));
            await mkdir(dirname(where), { recursive: true });
            await writeFile(where, bytes);
          } else {
            const key = (maskDest.key === "" || maskDest.key.endsWith("/") ? maskDest.key : `${maskDest.key}/`) + t.rel;
            await clientOf(maskDest.bucket).put(key, bytes, { mime: masked.res.headers["content-type"] });
            where = formatOssUrl(maskDest.bucket, key);
          }
          progress.done(`masked ${file} -> ${where}`);
        } else progress.done(`scanned ${file}`);
        return { line: { File: file, Codes: codes }, ok: true };
      } catch (error) {
        progress.fail(`failed ${file}`);
        return { line: errorLine(file, error), ok: false };
      }
    };
    let next = 0;
    const lane = async () => {
      while (next < targets.length) {
        const i = next++;
        settle[i]!(await scanOne(targets[i]!));
      }
    };
    const lanes = Promise.all(Array.from({ length: Math.min(jobsInFlight, targets.length) }, lane));
    let failed = 0;
    for (const r of results) {
      const { line, ok } = await r!;
      io.out(JSON.stringify(line));
      if (!ok) failed++;
    }
    await lanes;
    progress.end();
    return failed ? EXIT.failed : EXIT.ok;
  },
});
