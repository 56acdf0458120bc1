import path from "node:path";
import { EXIT, InputError } from "../../errors";
import { runAction } from "../../control/action";
import { importRunsAction } from "../../evidence/actions";
import { formatInvalidRow, RunsImportInvalidError, type RunSource } from "../../evidence/runs-import";
import { getCliActor } from "../database";
import { getEventPaths } from "../../config/paths";
import { tripOnStatusConflicts } from "../../control/auto-trip-checks";
import { mirrorAfterWrite } from "../../db/runs-mirror-file";
import { RunStatusConflictError } from "../../evidence/run-status-conflict";
import { displayPath, getCliRoot, resolveCliSettings, resolveEventFile, resolveEventPaths } from "../event";
import { parseCommandArgs, writeResult, type Command } from "../command";

const USAGE = `scripts/phase4-runs-import.sh FILE [--source manual|auto] [--skip-invalid] [--runs-summary PATH]
    [--event NAME] [--json]

Validates Phase 3 run results and merges them into RUNS_SUMMARY.json by run_id (an imported run
replaces the one with the same run_id), under an exclusive lock with an atomic write.

  FILE                   a JSON array of run records, or CSV with the same columns (told by content)
  --source VALUE         set source on every imported run (manual for Phase 3 results)
  --skip-invalid         import the valid rows and list the others (default: any bad row refuses all)
  --runs-summary PATH    default: <AUDIT_REPORTS_ROOT>/<event>/RUNS_SUMMARY.json
  --event NAME           the event folder (overrides AUDIT_EVENT)
  --json                 print one JSON line

Exit codes: 0 imported; 1 bad input (every bad row is listed on stderr with its row, field and
what was expected; nothing is written).`;

const OPTIONS = {
  source: { type: "string" },
  "skip-invalid": { type: "boolean" },
  "runs-summary": { type: "string" },
  event: { type: "string" },
} as const;

export const runsImportCommand: Command = {
  name: "runs-import",
  script: "scripts/phase4-runs-import.sh",
  summary: "Validate Phase 3 run results and merge them into RUNS_SUMMARY.json",
  usage: USAGE,
  async run(ctx) {
    const { values, positionals } = parseCommandArgs(ctx.argv, OPTIONS);
    const [input, extra] = positionals;
    if (input === undefined || input === "")
      throw new InputError("FILE is required: a JSON or CSV file of run records (see --help)");
    if (extra !== undefined)
      throw new InputError(`unexpected argument '${extra}': expected one FILE (see --help)`);
    const source = parseSource(values.source);
    const root = getCliRoot(ctx);
    const target = resolveEventFile(
      ctx,
      { name: "runs-summary", value: values["runs-summary"] },
      values.event,
      (p) => p.runsSummary,
    );
    const file = path.resolve(process.cwd(), input);
    const shown = displayPath(target, root);

    let result;
    try {
      result = await runAction(importRunsAction, {
        actor: getCliActor(ctx.env),
        input: { file, runsSummary: target, source, skipInvalid: values["skip-invalid"] ?? false },
        db: await ctx.database(),
        signal: ctx.signal,
      });
    } catch (error) {
      if (error instanceof RunStatusConflictError) {
        // A recorded success would become a failure: DESIGN §7 trips the kill switch.
        const settings = resolveCliSettings(ctx, values.event);
        throw await tripOnStatusConflicts(
          { db: await ctx.database(), settings, paths: getEventPaths(settings, root) },
          error.conflicts,
        );
      }
      if (!(error instanceof RunsImportInvalidError)) throw error;
      for (const row of error.invalid) ctx.stderr.write(`error: ${formatInvalidRow(input, row)}\n`);
      const rows = new Set(error.invalid.map((r) => r.row)).size;
      ctx.stderr.write(
        `error: ${rows} invalid row(s) in ${input}; nothing was written to ${shown} (--skip-invalid imports the valid rows)\n`,
      );
      if (values.json) {
        ctx.stdout.write(
          `${JSON.stringify({ ok: false, exit_code: EXIT.input, runs_summary: shown, invalid: error.invalid })}\n`,
        );
      }
      return EXIT.input;
    }
    // The event's own summary is mirrored into the database; a file elsewhere is no event's.
    const paths = resolveEventPaths(ctx, values.event);
    if (result.imported > 0 && target === paths.runsSummary) {
      await mirrorAfterWrite(ctx.database, paths.event, target, (line) => ctx.stderr.write(`${line}\n`));
    }
    for (const row of result.invalid) ctx.stderr.write(`skipped: ${formatInvalidRow(input, row)}\n`);
    const { imported, added, replaced, skipped, invalid } = result;
    writeResult(
      ctx,
      values.json,
      { ok: true, runs_summary: shown, imported, added, replaced, skipped, invalid },
      `runs_summary=${shown} imported=${imported} added=${added} replaced=${replaced} skipped=${skipped}`,
    );
    return EXIT.ok;
  },
};

function parseSource(value: string | undefined): RunSource | undefined {
  if (value === undefined) return undefined;
  if (value === "manual" || value === "auto") return value;
  throw new InputError(`--source: expected manual or auto (got '${value}')`);
}
