/**
 * `barbucket <command> …` dispatcher. Commands live in a table so that other commands (e.g. `usage`) are one
 * entry each; every command resolves to a process exit code.
 */
import { CONNECTION_HELP } from "./args.js";
import { EXIT_CODES_HELP } from "./exit-codes.js";

export interface Command {
  /** One line for `barbucket --help`. */
  readonly summary: string;
  run(argv: string[], io: CliIO): Promise<number>;
}

/** Where commands write; injectable for tests. */
export interface CliIO {
  out(line: string): void;
  err(line: string): void;
}

export const defaultIO: CliIO = {
  out: (line) => process.stdout.write(line + "\n"),
  err: (line) => process.stderr.write(line + "\n"),
};

/**
 * A command loaded on first use: `barbucket ls` need not load the codes engine, nor `scan FILE` the
 * ali-oss SDK (each costs a few hundred milliseconds of start-up).
 */
function lazy(summary: string, load: () => Promise<Command>): Command {
  return { summary, run: async (argv, io) => (await load()).run(argv, io) };
}

export const commands: Record<string, Command> = {
  scan: lazy("print the QR codes and barcodes in image files or under oss:// prefixes (one JSON line per image)", async () => (await import("./scan.js")).scanCommand),
  usage: lazy("billable usage per hour, totals and the bill (from usage.sqlite or a running server)", async () => (await import("./usage.js")).usageCommand),
  ls: lazy("list buckets, or objects under oss://bucket[/prefix] (-r recursive)", async () => (await import("./commands/ls.js")).lsCommand),
  mb: lazy("make a bucket (--acl, --storage-class)", async () => (await import("./commands/mb.js")).mbCommand),
  rb: lazy("remove a bucket (--force deletes its objects first)", async () => (await import("./commands/rb.js")).rbCommand),
  cp: lazy("copy files and objects (local <-> oss, oss -> oss server-side; -r, globs, resumable multipart)", async () => (await import("./commands/cp.js")).cpCommand),
  mv: lazy("move files and objects (cp, then delete each source copied)", async () => (await import("./commands/cp.js")).mvCommand),
  rm: lazy("remove an object, or every object under a prefix (-r)", async () => (await import("./commands/rm.js")).rmCommand),
  cat: lazy("write an object to stdout", async () => (await import("./commands/cat.js")).catCommand),
  stat: lazy("an object's metadata and headers, or a bucket's info", async () => (await import("./commands/stat.js")).statCommand),
  presign: lazy("print a presigned (OSS V4) GET URL of an object", async () => (await import("./commands/presign.js")).presignCommand),
};

function usage(): string {
  const names = Object.keys(commands).sort();
  const width = Math.max(...names.map((n) => n.length));
  return [
    "usage: barbucket <command> [options]",
    "",
    "commands:",
    ...names.map((n) => `  ${n.padEnd(width)}  ${commands[n]!.summary}`),
    "",
    "Run `barbucket <command> --help` for a command's options.",
    "",
    "Addresses: oss://bucket/key for objects, anything else is a local path.",
    "",
    "OSS verbs (ls mb rb cp mv rm cat stat presign, scan oss://...) use the official ali-oss SDK.",
    CONNECTION_HELP,
    "The config file is JSON: {\"accessKeyId\":…,\"accessKeySecret\":…,\"stsToken\":…,\"endpoint\":…,\"region\":…}.",
    "",
    EXIT_CODES_HELP,
    "(scan and usage: 0 ok, 1 some file or the usage could not be read, 2 bad usage, as before.)",
  ].join("\n");
}

export async function main(argv: string[], io: CliIO = defaultIO): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    io.out(usage());
    return name === undefined ? 2 : 0;
  }
  const command = commands[name];
  if (!command) {
    io.err(`barbucket: unknown command "${name}"\n\n${usage()}`);
    return 2;
  }
  return command.run(rest, io);
}
