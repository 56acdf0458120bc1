import { exitCodeOf, EXIT } from "../errors";
import type { CommandContext } from "./command";
import { lazyDatabase } from "./database";
import { launchEmbeddedFromWorker } from "./embedded-launcher";
import { launchExtractionInWorkers } from "./extract-launcher";
import { COMMANDS } from "./registry";

const GENERAL_HELP = `auditloop <command> [options]

Commands:
${Object.entries(COMMANDS)
  .map(([name, c]) => `  ${name.padEnd(18)}${c.summary}`)
  .join("\n")}

Every command takes --help and --json.
Exit codes: 0 done; 1 bad usage or input; 3 kill switch engaged; 75 retries exhausted;
78 refused by a service or missing configuration.
`;

/** Runs one subcommand and returns its exit code; never throws. */
export async function runCli(
  argv: string[],
  ctx: Omit<CommandContext, "argv" | "database">,
): Promise<number> {
  const database = lazyDatabase(ctx.env);
  try {
    return await dispatch(argv, { ...ctx, database: database.open, databaseStarted: database.started });
  } finally {
    await database.close();
  }
}

async function dispatch(argv: string[], ctx: Omit<CommandContext, "argv">): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    ctx.stdout.write(GENERAL_HELP);
    return name === undefined ? EXIT.input : EXIT.ok;
  }
  const entry = COMMANDS[name];
  if (!entry) {
    ctx.stderr.write(
      `error: unknown command '${name}' (expected one of: ${Object.keys(COMMANDS).join(", ")})\n`,
    );
    return EXIT.input;
  }
  try {
    const command = await entry.load();
    if (rest.includes("--help") || rest.includes("-h")) {
      ctx.stdout.write(command.usage.endsWith("\n") ? command.usage : `${command.usage}\n`);
      return EXIT.ok;
    }
    return await command.run({ ...ctx, argv: rest });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const json = rest.includes("--json");
    const code = exitCodeOf(error);
    if (json) ctx.stdout.write(`${JSON.stringify({ ok: false, exit_code: code, error: message })}\n`);
    ctx.stderr.write(`error: ${message}\n`);
    return code;
  }
}

// Only when run as the bundled entry (dist/cli/main.mjs), not when imported by tests.
const entryUrl = process.argv[1] ? new URL(`file://${process.argv[1]}`).href : "";
if (import.meta.url === entryUrl) {
  launchEmbeddedFromWorker(process.argv[1] ?? "");
  launchExtractionInWorkers(process.argv[1] ?? "");
  const controller = new AbortController();
  process.once("SIGINT", () => controller.abort(new Error("interrupted (SIGINT)")));
  process.once("SIGTERM", () => controller.abort(new Error("terminated (SIGTERM)")));
  void runCli(process.argv.slice(2), {
    env: process.env,
    stdout: process.stdout,
    stderr: process.stderr,
    signal: controller.signal,
  }).then((code) => {
    process.exitCode = code;
  });
}
