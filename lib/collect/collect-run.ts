import { defineAction, runAction } from "../control/action";
import type { Actor } from "../control/roles";
import type { Database } from "../db";
import { mirrorAfterWrite } from "../db/runs-mirror-file";
import { createGitHubClient } from "../github";
import { collectRunInputSchema, type CollectRunInput } from "./inputs";
import { collectOneRun } from "./run-steps";
import type { CollectEnv, CollectRunResult } from "./types";

/**
 * Collecting one run as an action (DESIGN §2): runAction checks the role (collect.run), refuses
 * while the kill switch is engaged (exit 3), validates the input, hands the work the signal the kill
 * switch aborts (a download stops within a second, nothing is written) and writes the audit log.
 */
export function collectRunAction(env: CollectEnv) {
  return defineAction({
    name: "collect.run",
    permission: "collect.run",
    schema: collectRunInputSchema,
    run: async ({ actor, input, db, signal }): Promise<CollectRunResult> => {
      const github = createGitHubClient(env.settings, { fetchImpl: env.fetchImpl, signal, db, log: env.log });
      return collectOneRun({ env, github, db, actor: actor.email, signal }, input, { runId: input.runId });
    },
    audit: (input, output) => ({ target: input.runId, detail: auditDetail(output) }),
  });
}

/** What the audit log keeps of one run's collection (never a URL or a secret). */
export function auditDetail(result: CollectRunResult): Record<string, unknown> {
  return {
    run_id: result.recordRunId,
    run_attempt: result.runAttempt,
    dry_run: result.dryRun,
    status: result.status,
    sha_parity: result.parity?.shaParity ?? null,
    artifacts: result.artifacts.map((a) => ({
      id: a.artifactId,
      name: a.name,
      state: a.state,
      bytes: a.bytes,
    })),
    self_heal: {
      parity: result.selfHeal.parity?.healed ?? null,
      rerun: result.selfHeal.rerun?.action ?? null,
    },
    exit_code: result.exitCode,
  };
}

export interface CollectDeps extends CollectEnv {
  db: Database;
  /** Who collects: a signed-in operator, or the CLI's service actor. */
  actor: Actor | null;
  /** The caller giving up (SIGINT, a closed request); the kill switch is watched by runAction. */
  signal?: AbortSignal;
}

/**
 * Collects one run (and mirrors RUNS_SUMMARY.json into the database when something was written).
 * The dashboard and the CLI both call this.
 */
export async function collectRun(input: CollectRunInput, deps: CollectDeps): Promise<CollectRunResult> {
  const { db, actor, signal, ...env } = deps;
  const result = await runAction(collectRunAction(env), { actor, input, db, signal });
  if (!result.dryRun && result.record) await mirrorCollected(deps);
  return result;
}

/** RUNS_SUMMARY.json into the runs table once a collection wrote to it (the dashboard reads the table). */
export async function mirrorCollected(deps: CollectDeps): Promise<void> {
  const { db, paths, log } = deps;
  await mirrorAfterWrite(async () => db, paths.event, paths.runsSummary, log ?? (() => undefined));
}
