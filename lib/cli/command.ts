import { parseArgs, type ParseArgsConfig } from "node:util";
import type { Database } from "../db";
import { InputError } from "../errors";

/** What a subcommand gets: its arguments and where to write. Tests pass their own streams. */
export interface CommandContext {
  argv: string[];
  env: Record<string, string | undefined>;
  stdout: { write(chunk: string): unknown };
  stderr: { write(chunk: string): unknown };
  signal: AbortSignal;
  /** The configured database, opened on first use and closed by runCli when the command ends. */
  database: () => Promise<Database>;
  /**
   * Opens the database too, but resolves as soon as its start-up runs beside this thread (the
   * embedded database's worker) or it is open: CPU-heavy work started then does not hold the
   * start-up back. Absent (tests), callers wait for database().
   */
  databaseStarted?: () => Promise<void>;
}

export interface Command {
  name: string;
  /** The script that runs it, e.g. scripts/phase4-sha-compare.sh. */
  script: string;
  summary: string;
  /** Full --help text. */
  usage: string;
  /** Returns the exit code (DESIGN §10); throws InputError and friends for failures. */
  run(ctx: CommandContext): Promise<number>;
}

type Options = NonNullable<ParseArgsConfig["options"]>;

/**
 * util.parseArgs with messages that name the flag and what was expected; every command also
 * accepts --help and --json.
 */
export function parseCommandArgs<O extends Options>(argv: string[], options: O, allowPositionals = true) {
  const all = {
    ...options,
    help: { type: "boolean", short: "h" },
    json: { type: "boolean" },
  } as const satisfies Options;
  try {
    return parseArgs({ args: argv, options: all as O & typeof all, allowPositionals, strict: true });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new InputError(`${message.replace(/\. To specify.*$/s, "")} (see --help)`, { cause: error });
  }
}

/** Writes a result as one JSON line (--json) or as the command's own line. */
export function writeResult(
  ctx: CommandContext,
  json: boolean | undefined,
  value: unknown,
  line: string,
): void {
  ctx.stdout.write(json ? `${JSON.stringify(value)}\n` : `${line}\n`);
}

/** Reads one required flag value, naming the flag when it is missing. */
export function requireFlag(value: string | undefined, flag: string, expected: string): string {
  if (value === undefined || value === "") throw new InputError(`--${flag} is required: ${expected}`);
  return value;
}
