/** The frame of every OSS verb: parse, help, connection, run, and errors turned into exit codes. */
import { CONNECTION_HELP, parseCommandArgs, type OptionSpec, type Parsed } from "../args.js";
import { clientFactory, type ClientFactory } from "../client.js";
import { resolveConnection, type Connection } from "../config.js";
import { describeError, EXIT, EXIT_CODES_HELP, exitCodeOf } from "../exit-codes.js";
import type { CliIO, Command } from "../main.js";

export interface Context {
  readonly values: Parsed["values"];
  readonly positionals: string[];
  readonly io: CliIO;
  readonly connection: Connection;
  readonly client: ClientFactory;
}

export interface OssCommandSpec {
  readonly name: string;
  readonly summary: string;
  /** The usage line(s) and what the verb does. */
  readonly usage: string;
  /** The verb's own options, one per line. */
  readonly optionsHelp?: string;
  readonly options: OptionSpec;
  readonly positionals: { min: number; max: number };
  run(ctx: Context): Promise<number>;
}

export function helpText(spec: OssCommandSpec): string {
  return [spec.usage, "", ...(spec.optionsHelp ? ["Options:", spec.optionsHelp, ""] : []), CONNECTION_HELP, "", EXIT_CODES_HELP].join("\n");
}

export function ossCommand(spec: OssCommandSpec): Command {
  return {
    summary: spec.summary,
    async run(argv: string[], io: CliIO): Promise<number> {
      let ctx: Context;
      try {
        const { values, positionals } = parseCommandArgs(argv, spec.options, spec.positionals);
        if (values.help) {
          io.out(helpText(spec));
          return EXIT.ok;
        }
        const connection = resolveConnection(values);
        ctx = { values, positionals, io, connection, client: clientFactory(connection) };
      } catch (error) {
        io.err(`barbucket ${spec.name}: ${describeError(error)}\n(see barbucket ${spec.name} --help)`);
        return exitCodeOf(error);
      }
      try {
        return await spec.run(ctx);
      } catch (error) {
        io.err(`barbucket ${spec.name}: ${describeError(error)}`);
        return exitCodeOf(error);
      }
    },
  };
}
