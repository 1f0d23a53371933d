/**
 * `barbucket <command> …` dispatcher. Commands live in a table so that other commands (e.g. `usage`) are one
 * entry each; every command resolves to a process exit code.
 */
import { scanCommand } from "./scan.js";
import { usageCommand } from "./usage.js";

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
