/**
 * `barbucket <command> …` dispatcher. Commands live in a table so that other commands (e.g. `usage`) are one
 * entry each; every command resolves to a process exit code.
 */
import { scanCommand } from "./scan.js";
import { usageCommand } from "./usage.js";
import { lsCommand } from "./commands/ls.js";
import { mbCommand } from "./commands/mb.js";
import { rbCommand } from "./commands/rb.js";
import { cpCommand, mvCommand } from "./commands/cp.js";
import { rmCommand } from "./commands/rm.js";
import { catCommand } from "./commands/cat.js";
import { statCommand } from "./commands/stat.js";
import { presignCommand } from "./commands/presign.js";
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

export const commands: Record<string, Command> = {
  scan: scanCommand,
  usage: usageCommand,
  ls: lsCommand,
  mb: mbCommand,
  rb: rbCommand,
  cp: cpCommand,
  mv: mvCommand,
  rm: rmCommand,
  cat: catCommand,
  stat: statCommand,
  presign: presignCommand,
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
