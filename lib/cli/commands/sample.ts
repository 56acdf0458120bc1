import { promises as fs } from "node:fs";
import path from "node:path";
import { EXIT, InputError } from "../../errors";
import { DEFAULT_SAMPLE_RUNS, generateSampleEvent } from "../../sample/generate";
import { mirrorAfterWrite } from "../../db/runs-mirror-file";
import { getCliRoot, resolveEventPaths } from "../event";
import { parseCommandArgs, writeResult, type Command } from "../command";

const MAX_RUNS = 100_000;

const USAGE = `auditloop sample [--event NAME] [--runs N] [--if-missing] [--force] [--json]

Writes the deterministic sample event (seeded; base time 2025-11-14T00:00:00Z) into the event
folder: RUNS_SUMMARY.json, _manifest.json, _evidence_index.md, artifacts/<run_id>/raw/ with
provenance files, an empty slack_excerpts/ and _manifest.json.template when missing.

  --event NAME     the event folder (overrides AUDIT_EVENT)
  --runs N         how many runs (default ${DEFAULT_SAMPLE_RUNS}, at most ${MAX_RUNS})
  --if-missing     do nothing when RUNS_SUMMARY.json exists (npm start uses this)
  --force          overwrite an existing RUNS_SUMMARY.json and _manifest.json (backups are kept)
  --json           print one JSON line

Exit codes: 0 written or nothing to do; 1 bad usage, or RUNS_SUMMARY.json exists without --force.`;

const OPTIONS = {
  event: { type: "string" },
  runs: { type: "string" },
  "if-missing": { type: "boolean" },
  force: { type: "boolean" },
} as const;

export const sampleCommand: Command = {
  name: "sample",
  script: "dist/cli/main.mjs sample",
  summary: "Generate the deterministic sample event (about 200 runs over 7 days)",
  usage: USAGE,
  async run(ctx) {
    const { values, positionals } = parseCommandArgs(ctx.argv, OPTIONS, false);
    if (positionals.length > 0) throw new InputError(`unexpected argument '${positionals[0]}' (see --help)`);
    const runs = parseRuns(values.runs);
    const root = getCliRoot(ctx);
    const paths = resolveEventPaths(ctx, values.event);
    const shown = path.relative(root, paths.dir).split(path.sep).join("/");

    const exists = await fs.stat(paths.runsSummary).then(
      () => true,
      () => false,
    );
    if (exists && values["if-missing"]) {
      writeResult(
        ctx,
        values.json,
        { ok: true, action: "kept", dir: shown },
        `sample: ${shown}/RUNS_SUMMARY.json exists; nothing written`,
      );
      return EXIT.ok;
    }
    if (exists && !values.force) {
      throw new InputError(
        `${shown}/RUNS_SUMMARY.json exists; pass --force to overwrite it with the sample, or --if-missing to keep it`,
      );
    }
    const started = performance.now();
    const stats = await generateSampleEvent({ dir: paths.dir, root, event: paths.event, runs });
    const ms = Math.round(performance.now() - started);
    await mirrorAfterWrite(ctx.database, paths.event, paths.runsSummary, (line) =>
      ctx.stderr.write(`${line}\n`),
    );
    const byStatus = Object.entries(stats.byStatus)
      .map(([k, v]) => `${k}=${v}`)
      .join(" ");
    writeResult(
      ctx,
      values.json,
      { ok: true, action: exists ? "overwritten" : "written", ...stats, dir: shown, elapsed_ms: ms },
      `sample: wrote ${stats.runs} runs (${byStatus}) and ${stats.evidenceFiles} evidence files to ${shown} in ${ms} ms`,
    );
    return EXIT.ok;
  },
};

function parseRuns(value: string | undefined): number {
  if (value === undefined) return DEFAULT_SAMPLE_RUNS;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || n > MAX_RUNS) {
    throw new InputError(`--runs: expected an integer from 1 to ${MAX_RUNS} (got '${value}')`);
  }
  return n;
}
