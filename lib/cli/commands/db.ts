import { EXIT, InputError } from "../../errors";
import { getAppliedVersions } from "../../db/migrations";
import { parseCommandArgs, writeResult, type Command } from "../command";

const USAGE = `Usage: dist/cli/main.mjs db serve | status [--json]

  serve    open the database (migrating it) and keep serving the embedded one to other
           processes on its socket in AUDIT_DATA_DIR until interrupted (the dashboard does this
           itself; use it when running the CLI without the dashboard)
  status   print the data mode and the migration level

Exit codes: 0 done; 1 bad usage or the database cannot be opened.
`;

export const dbCommand: Command = {
  name: "db",
  script: "dist/cli/main.mjs db",
  summary: "Serve the embedded database to other processes, or show its status",
  usage: USAGE,
  async run(ctx) {
    const { values, positionals } = parseCommandArgs(ctx.argv, {});
    const [verb, ...rest] = positionals;
    if (rest.length > 0) throw new InputError(`unexpected argument '${rest[0]}' (see --help)`);
    if (verb !== "serve" && verb !== "status")
      throw new InputError("expected 'serve' or 'status' (see --help)");
    const db = await ctx.database();
    const versions = await getAppliedVersions(db);
    const status = { mode: db.mode, migration_level: versions.at(-1) ?? null, migrations: versions.length };
    writeResult(
      ctx,
      values.json,
      { ok: true, serving: verb === "serve", ...status },
      `mode=${status.mode} migration_level=${status.migration_level ?? "none"} migrations=${status.migrations}${verb === "serve" ? " serving=true" : ""}`,
    );
    if (verb === "serve") {
      await new Promise<void>((resolve) => {
        if (ctx.signal.aborted) resolve();
        ctx.signal.addEventListener("abort", () => resolve(), { once: true });
      });
    }
    return EXIT.ok;
  },
};
