/** `barbucket cp` and `barbucket mv`: local → oss, oss → local, oss → oss (server-side), -r with globs. */
import { intOption, listOption } from "../args.js";
import { describeError, EXIT, exitCodeOf } from "../exit-codes.js";
import { pathFilter } from "../glob.js";
import { humanSize, Progress } from "../progress.js";
import { ossCommand, type Context } from "./common.js";
import { describe, plan, removeSource, transfer } from "./transfer.js";

const MIN_PART = 100 * 1024;
const DEFAULT_PART = 8 * 1024 * 1024;

function usage(verb: "cp" | "mv"): string {
  const what = verb === "cp" ? "Copies" : "Moves (copies, then deletes the source of each copy done)";
  return `usage: barbucket ${verb} [-r] [--include GLOB]... [--exclude GLOB]... SRC DST

${what}: a local file or folder to oss://bucket/key, an object or prefix to a local path, or between
oss:// URLs (server-side CopyObject, no bytes through this machine).
  - a DST key ending in "/" (or a bucket) is a folder: the source's base name is appended;
    a local DST that is a directory (or ends in /) likewise;
  - with -r, SRC is a folder (local) or a prefix taken as a folder (oss://b/photos = oss://b/photos/),
    and each file's path relative to it is kept under DST;
  - files larger than --part-size are uploaded in parts, --parallel at a time, resumably: the
    upload's checkpoint is kept under $XDG_CONFIG_HOME/barbucket/checkpoints/ (default
    ~/.config/barbucket/checkpoints/) until it completes, and running the same ${verb} again after an
    interruption uploads only the missing parts (as long as the file is unchanged).`;
}

const OPTIONS_HELP = `  -r, --recursive     folders and prefixes
  --include GLOB      only paths matching (relative to SRC; repeatable; * ** ? [..]; without "/"
                      it also matches the base name)
  --exclude GLOB      not paths matching (repeatable; wins over --include)
  --part-size BYTES   multipart part size and threshold (default ${DEFAULT_PART}, at least ${MIN_PART})
  --parallel N        parts in flight per multipart upload (default 4)
  --jobs N            files in flight with -r (default 4)`;

async function run(verb: "cp" | "mv", ctx: Context): Promise<number> {
  const { values, positionals, io, client, connection } = ctx;
  const partSize = intOption(values, "part-size", DEFAULT_PART, MIN_PART, 5 * 1024 * 1024 * 1024);
  const parallel = intOption(values, "parallel", 4, 1, 64);
  const jobsInFlight = intOption(values, "jobs", 4, 1, 64);
  const recursive = values.recursive === true;
  const filter = pathFilter(listOption(values, "include"), listOption(values, "exclude"));
  const jobs = await plan(positionals[0]!, positionals[1]!, client, { recursive, filter });
  const progress = new Progress(io);
  progress.add(jobs.length, jobs.reduce((n, j) => n + j.size, 0));
  const opts = { partSize, parallel, endpoint: connection.endpoint, progress };
  const codes: number[] = [];
  let next = 0;
  const lane = async () => {
    while (next < jobs.length) {
      const job = jobs[next++]!;
      const line = `${describe(job.src)} -> ${describe(job.dst)}`;
      try {
        await transfer(job, client, opts);
        if (verb === "mv") await removeSource(job, client);
        progress.done(`${verb === "mv" ? "moved" : "copied"} ${line} (${humanSize(job.size)})`, job.size, describe(job.dst));
      } catch (error) {
        if (jobs.length === 1) { progress.end(); throw error; }
        codes.push(exitCodeOf(error));
        progress.fail(`failed ${line}: ${describeError(error)}`, describe(job.dst));
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(jobsInFlight, jobs.length) }, lane));
  progress.end();
  if (codes.length === 0) return EXIT.ok;
  io.err(`barbucket ${verb}: ${codes.length} of ${jobs.length} failed`);
  return codes.length === jobs.length && codes.every((c) => c === codes[0]) ? codes[0]! : EXIT.failed;
}

const OPTIONS = {
  recursive: { type: "boolean", short: "r" },
  include: { type: "string", multiple: true },
  exclude: { type: "string", multiple: true },
  "part-size": { type: "string" },
  parallel: { type: "string" },
  jobs: { type: "string" },
} as const;

export const cpCommand = ossCommand({
  name: "cp",
  summary: "copy files and objects (local <-> oss, oss -> oss server-side; -r, globs, resumable multipart)",
  usage: usage("cp"),
  optionsHelp: OPTIONS_HELP,
  options: OPTIONS,
  positionals: { min: 2, max: 2 },
  run: (ctx) => run("cp", ctx),
});

export const mvCommand = ossCommand({
  name: "mv",
  summary: "move files and objects (cp, then delete each source copied)",
  usage: usage("mv"),
  optionsHelp: OPTIONS_HELP,
  options: OPTIONS,
  positionals: { min: 2, max: 2 },
  run: (ctx) => run("mv", ctx),
});
