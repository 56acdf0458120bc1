import { promises as fs } from "node:fs";
import { readRunsSummary } from "../../evidence/runs-summary";
import { EXIT, InputError } from "../../errors";
import { parseCommandArgs, writeResult, type Command } from "../command";
import { displayPath, getCliRoot, resolveEventFile } from "../event";

const USAGE = `scripts/phase4-runs-validate.sh [--runs-summary PATH] [--event NAME] [--json]

Validates RUNS_SUMMARY.json against the run record schema (DESIGN §3): strict JSON (no duplicate
keys), every required field with its type, start <= completion, a reason in observer_notes when
sha_parity is false, each run_id once. Reads only; the scheduled workflow runs it before collecting.

  --runs-summary PATH   default: <AUDIT_REPORTS_ROOT>/<event>/RUNS_SUMMARY.json
  --event NAME          the event folder (overrides AUDIT_EVENT)
  --json                one JSON line: { ok, runs_summary, runs }

Exit codes: 0 valid; 1 missing, unreadable or invalid (the file, run, field and what was expected
are named).`;

export const runsValidateCommand: Command = {
  name: "runs-validate",
  script: "scripts/phase4-runs-validate.sh",
  summary: "Validate RUNS_SUMMARY.json against the run record schema",
  usage: USAGE,
  async run(ctx) {
    const { values, positionals } = parseCommandArgs(
      ctx.argv,
      { "runs-summary": { type: "string" }, event: { type: "string" } },
      false,
    );
    if (positionals.length > 0) throw new InputError(`unexpected argument '${positionals[0]}' (see --help)`);
    const file = resolveEventFile(
      ctx,
      { name: "runs-summary", value: values["runs-summary"] },
      values.event,
      (p) => p.runsSummary,
    );
    const shown = displayPath(file, getCliRoot(ctx));
    // readRunsSummary treats a missing file as an empty summary; a validation step must not.
    await fs.access(file).catch((error: unknown) => {
      throw new InputError(`${shown}: no runs summary here (run scripts/phase4-runs-import.sh first)`, {
        cause: error,
      });
    });
    const runs = await readRunsSummary(file);
    writeResult(
      ctx,
      values.json,
      { ok: true, runs_summary: shown, runs: runs.length },
      `runs_summary=valid runs=${runs.length} file=${shown}`,
    );
    return EXIT.ok;
  },
};
