import path from "node:path";
import { defineAction, runAction } from "../control/action";
import { EXIT, exitCodeOf, KillSwitchEngagedError } from "../errors";
import { createGitHubClient, type Artifact, type WorkflowRun } from "../github";
import { auditDetail, mirrorCollected, type CollectDeps } from "./collect-run";
import { getCollectedDigests } from "./collections-store";
import { createEvidenceWriter } from "./evidence-writes";
import { collectWindowInputSchema, type CollectWindowInput, type CollectWindowOptions } from "./inputs";
import { collectOneRun, worstExit, type RunDeps } from "./run-steps";
import type { CollectEnv, CollectRunResult, CollectWindowResult } from "./types";

/**
 * Every completed run in the window (DESIGN §6's window_days), `concurrency` runs downloading at
 * a time (default 4): each run's artifacts are listed and the run is skipped when a real collection of the
 * same attempt already brought home every selected artifact with the same digest (GitHub's digest,
 * else the artifact id, which GitHub never reuses). A run that fails is reported and the others
 * go on; the kill switch stops them all.
 *
 * Exit code of the window: 0 when every run was collected or skipped, even with sha_parity=false
 * (that is evidence, recorded with its reason); otherwise the worst per-run code — 3 when the kill
 * switch stopped it, then 78 (refused or expired: a person must look), then 75 (retries exhausted:
 * the next scheduled collection tries again), then 1.
 */
export function collectWindowAction(env: CollectEnv) {
  return defineAction({
    name: "collect.window",
    permission: "collect.run",
    schema: collectWindowInputSchema,
    run: async ({ actor, input, db, signal }): Promise<CollectWindowResult> => {
      const github = createGitHubClient(env.settings, { fetchImpl: env.fetchImpl, signal, db, log: env.log });
      return collectRuns({ env, github, db, actor: actor.email, signal }, input);
    },
    audit: (input, output) => ({
      target: `window:${input.windowDays}d`,
      detail: {
        workflow: output.workflow,
        concurrency: output.concurrency,
        dry_run: output.dryRun,
        collected: output.collected,
        skipped: output.skipped,
        failed: output.failed,
        exit_code: output.exitCode,
        // The first 100 runs in full; the counts above cover the rest.
        runs: output.runs.slice(0, 100).map(auditDetail),
      },
    }),
  });
}

async function collectRuns(runDeps: RunDeps, input: CollectWindowOptions): Promise<CollectWindowResult> {
  const started = performance.now();
  const { github, signal } = runDeps;
  const deps: RunDeps = {
    ...runDeps,
    writer: createEvidenceWriter({ paths: runDeps.env.paths, db: runDeps.db, actor: runDeps.actor, signal }),
  };
  const runs = await github.listRunsInWindow({
    windowDays: input.windowDays,
    workflow: input.workflow,
    asOf: input.asOf === undefined ? undefined : new Date(input.asOf),
  });
  const slots = createSlots(input.concurrency);
  // allSettled: when the kill switch stops one run, the others must finish stopping before the
  // action returns (and the database closes), not keep writing behind its back.
  const settled = await Promise.allSettled(
    runs.map(async (run) => {
      await slots.acquire();
      let held = true;
      const release = () => {
        if (held) slots.release();
        held = false;
      };
      try {
        signal.throwIfAborted();
        return await collectOrSkip(
          { ...deps, releaseSlot: release, besideOthers: input.concurrency > 1 },
          input,
          run,
        );
      } finally {
        release();
      }
    }),
  );
  const stop = settled.find(
    (s): s is PromiseRejectedResult => s.status === "rejected" && (signal.aborted || !hasExitCode(s.reason)),
  );
  if (stop) throw signal.aborted ? (signal.reason ?? stop.reason) : stop.reason;
  const results = settled.map((s, i) =>
    s.status === "fulfilled" ? s.value : failedRun(runs[i] as WorkflowRun, s.reason, input.dryRun),
  );
  const count = (status: CollectRunResult["status"]) => results.filter((r) => r.status === status).length;
  return {
    windowDays: input.windowDays,
    workflow: input.workflow ?? null,
    concurrency: input.concurrency,
    dryRun: input.dryRun,
    runs: results,
    collected: count("collected"),
    skipped: count("skipped"),
    failed: count("failed"),
    elapsedMs: Math.round(performance.now() - started),
    exitCode: worstExit(results.map((r) => r.exitCode)),
  };
}

/**
 * `concurrency` slots for the downloading part of a run. A run gives its slot back once its
 * evidence is handed to the writer (which writes one group at a time anyway) and before a re-run's
 * policy wait, so neither holds up the next download.
 */
function createSlots(count: number): { acquire: () => Promise<void>; release: () => void } {
  let free = count;
  const waiting: (() => void)[] = [];
  return {
    acquire: () => {
      if (free > 0) {
        free -= 1;
        return Promise.resolve();
      }
      return new Promise<void>((resolve) => waiting.push(resolve));
    },
    release: () => {
      const next = waiting.shift();
      if (next) next();
      else free += 1;
    },
  };
}

const hasExitCode = (error: unknown) =>
  error instanceof Error && "exitCode" in error && !(error instanceof KillSwitchEngagedError);

async function collectOrSkip(
  deps: RunDeps,
  input: CollectWindowOptions,
  run: WorkflowRun,
): Promise<CollectRunResult> {
  const artifacts = await deps.github.listArtifacts(run.runId);
  if (!input.dryRun && (await alreadyCollected(deps, input, run, artifacts)))
    return skippedRun(run, input.dryRun);
  return collectOneRun(deps, input, { runId: run.runId, run, artifacts });
}

async function alreadyCollected(
  deps: Pick<RunDeps, "db" | "env">,
  input: CollectWindowOptions,
  run: WorkflowRun,
  artifacts: readonly Artifact[],
): Promise<boolean> {
  const digests = await getCollectedDigests(deps.db, deps.env.paths.event, run.runId, run.runAttempt);
  const selected = artifacts.filter((a) => path.matchesGlob(a.name, input.artifactPattern));
  if (selected.length === 0) return digests.has("");
  return selected.every(
    (a) => digests.has(a.id) && (a.digest === undefined || digests.get(a.id) === a.digest),
  );
}

const base = (run: WorkflowRun, dryRun: boolean) => ({
  runId: run.runId,
  recordRunId: run.runAttempt > 1 ? `${run.runId}-attempt-${run.runAttempt}` : run.runId,
  runAttempt: run.runAttempt,
  conclusion: run.conclusion,
  dryRun,
  artifacts: [],
  parity: null,
  record: null,
  manifestEntries: [],
  selfHeal: { parity: null, rerun: null, healed: null },
});

function skippedRun(run: WorkflowRun, dryRun: boolean): CollectRunResult {
  return { ...base(run, dryRun), status: "skipped", exitCode: EXIT.ok };
}

function failedRun(run: WorkflowRun, error: unknown, dryRun: boolean): CollectRunResult {
  const message = error instanceof Error ? error.message : String(error);
  return { ...base(run, dryRun), status: "failed", exitCode: exitCodeOf(error), error: message };
}

/** Collects the window (and mirrors RUNS_SUMMARY.json once at the end when something was written). */
export async function collectWindow(
  input: CollectWindowInput,
  deps: CollectDeps,
): Promise<CollectWindowResult> {
  const { db, actor, signal, ...env } = deps;
  const result = await runAction(collectWindowAction(env), { actor, input, db, signal });
  if (!result.dryRun && result.runs.some((r) => r.record !== null)) await mirrorCollected(deps);
  return result;
}
