import { collectRun, collectWindow, throttleProgress } from "../../collect";
import type { CollectDeps } from "../../collect/collect-run";
import { getEventPaths } from "../../config/paths";
import { InputError } from "../../errors";
import { createMasker } from "../../notify/mask";
import { parseCommandArgs, type Command } from "../command";
import { getCliActor } from "../database";
import { getCliRoot, resolveCliSettings } from "../event";
import { describeRun, describeWindow, maskResult } from "./auto-collect-output";

const USAGE = `scripts/phase4-auto-collect.sh <run_id> [--dry-run] [--artifact-pattern GLOB]
    [--metadata-pattern GLOB] [--observer-run-id ID] [--observer-notes TEXT] [--tag T]
    [--run-mode M] [--retries N] [--retry-origin S] [--event NAME] [--json]
scripts/phase4-auto-collect.sh --window-days N [--workflow FILE] [--concurrency N] [same options]

Collects a GitHub Actions run's artifacts into the event folder (GITHUB_TOKEN, GITHUB_REPOSITORY,
GITHUB_API_URL): each artifact zip is streamed to disk with GitHub's digest checked in the same
pass, extracted safely into artifacts/<run_id>/raw/<artifact name>/ (each file hashed once), and
compared with the provenance found among the files (named like --metadata-pattern, else detected
from the content). Then RUNS_SUMMARY.json (conclusion, trigger_mode from the event, times,
duration, head SHA, workflow, branch), _manifest.json (artifact and provenance entries) and
_evidence_index.md are updated atomically. Progress (bytes, percent) goes to stderr.

Self-heal: sha_parity=false → the artifacts are downloaded again once and compared again; a failed
run whose failed jobs show an HTTP 5xx or 429 (and no 4xx) in their annotations or failed steps
gets its failed jobs re-run, at most 3 times, after the policy's waits (5, 15, 45 s); the re-run
attempt is recorded as <run_id>-attempt-<n> with trigger_mode=retry, retry_origin=observer-auto.

  <run_id>                  the GitHub run to collect
  --window-days N           instead: every completed run created in the last N days
  --workflow FILE           with --window-days: only this workflow's runs (file name or id)
  --concurrency N           with --window-days: runs collected at once (default 4, 1-16); a run
                            already collected with the same digest is skipped
  --dry-run                 download, extract and compare in a temporary folder; the event
                            folder stays byte for byte unchanged, nothing is re-run
  --artifact-pattern GLOB   which artifacts to collect, by name (default *)
  --metadata-pattern GLOB   which file is the provenance (default provenance-*.json)
  --observer-run-id ID      recorded as observer_run_id (default auto-collect)
  --observer-notes TEXT     added to observer_notes
  --tag T                   added to observer_notes as tag=T
  --run-mode M              trigger_mode instead of the one derived from GitHub's event
  --retries N               retries instead of run_attempt - 1
  --retry-origin S          retry_origin instead of the derived one
  --event NAME              the event folder (overrides AUDIT_EVENT)
  --json                    print one JSON object

Exit codes: 0 collected (also with sha_parity=false, recorded with its reason); 1 bad usage or a
run not completed; 3 kill switch engaged (a download in flight stops within a second, nothing is
written); 75 retries exhausted; 78 refused by GitHub (403/404/other 4xx), an artifact expired
(HTTP 410, reported, the other artifacts and runs are still collected), a download whose size or
digest differs from GitHub's, or GITHUB_TOKEN / GITHUB_REPOSITORY missing. With --window-days:
0 when every run was collected or skipped, else the worst run's code (3, then 78, 75, 1).`;

const OPTIONS = {
  "dry-run": { type: "boolean" },
  "artifact-pattern": { type: "string" },
  "metadata-pattern": { type: "string" },
  "observer-run-id": { type: "string" },
  "observer-notes": { type: "string" },
  tag: { type: "string" },
  "run-mode": { type: "string" },
  retries: { type: "string" },
  "retry-origin": { type: "string" },
  "window-days": { type: "string" },
  workflow: { type: "string" },
  concurrency: { type: "string" },
  event: { type: "string" },
} as const;

function integerFlag(value: string | undefined, flag: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min || n > max) {
    throw new InputError(`--${flag}: expected an integer from ${min} to ${max}, got '${value}'`);
  }
  return n;
}

export const autoCollectCommand: Command = {
  name: "auto-collect",
  script: "scripts/phase4-auto-collect.sh",
  summary: "Collect a run's (or a window's) artifacts, check SHA parity, update the evidence; self-heal",
  usage: USAGE,
  async run(ctx) {
    const { values, positionals } = parseCommandArgs(ctx.argv, OPTIONS);
    const windowDays = integerFlag(values["window-days"], "window-days", 1, 90);
    const [runId, extra] = positionals;
    if (extra !== undefined) throw new InputError(`unexpected argument '${extra}' (see --help)`);
    if ((runId === undefined) === (windowDays === undefined)) {
      throw new InputError("expected a <run_id> or --window-days N, not both and not neither (see --help)");
    }
    if (runId !== undefined && !/^\d{1,20}$/.test(runId)) {
      throw new InputError(`<run_id>: expected a GitHub run id (digits), got '${runId.slice(0, 40)}'`);
    }
    if (runId !== undefined) {
      for (const flag of ["workflow", "concurrency"] as const) {
        if (values[flag] !== undefined) throw new InputError(`--${flag}: only with --window-days`);
      }
    }
    const settings = resolveCliSettings(ctx, values.event);
    const mask = createMasker(settings);
    const err = (line: string) => ctx.stderr.write(`${mask(line)}\n`);
    const options = {
      dryRun: values["dry-run"] ?? false,
      artifactPattern: values["artifact-pattern"],
      metadataPattern: values["metadata-pattern"],
      observerRunId: values["observer-run-id"],
      observerNotes: values["observer-notes"],
      tag: values.tag,
      runMode: values["run-mode"],
      retries: integerFlag(values.retries, "retries", 0, 100),
      retryOrigin: values["retry-origin"],
    };
    const deps: CollectDeps = {
      settings,
      paths: getEventPaths(settings, getCliRoot(ctx)),
      onProgress: throttleProgress(err),
      log: err,
      db: await ctx.database(),
      actor: getCliActor(ctx.env),
      signal: ctx.signal,
    };
    if (runId !== undefined) {
      const result = maskResult(await collectRun({ ...options, runId }, deps), mask);
      const out = values.json
        ? JSON.stringify({ ok: result.exitCode === 0, exit_code: result.exitCode, ...result })
        : describeRun(result).join("\n");
      ctx.stdout.write(`${out}\n`);
      return result.exitCode;
    }
    const window = await collectWindow(
      {
        ...options,
        windowDays: windowDays ?? 7,
        workflow: values.workflow,
        concurrency: integerFlag(values.concurrency, "concurrency", 1, 16),
      },
      deps,
    );
    const result = { ...window, runs: window.runs.map((run) => maskResult(run, mask)) };
    const out = values.json
      ? JSON.stringify({ ok: result.exitCode === 0, exit_code: result.exitCode, ...result })
      : describeWindow(result).join("\n");
    ctx.stdout.write(`${out}\n`);
    return result.exitCode;
  },
};
