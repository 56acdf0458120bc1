import { collectRun, type CollectDeps } from "../collect/collect-run";
import { collectWindow } from "../collect/collect-window";
import { collectRunInputSchema, collectWindowInputSchema } from "../collect/inputs";
import type { CollectEnv, CollectRunResult, CollectWindowResult } from "../collect/types";
import { defineAction } from "../control/action";
import { createMasker } from "../notify/mask";
import { startCollectJob, type CollectJob } from "./collect-jobs";

/**
 * The dashboard's two collect buttons as actions (DESIGN §2): runAction checks the operator's role
 * (collect.run), the kill switch and the input, then the collection starts in this process and the
 * action answers as soon as it has begun (lib/web/collect-jobs). The work is lib/collect's
 * collectRun / collectWindow, which run through runAction again: the kill switch aborts them and
 * the audit log records each collection; this action's own entry records who asked.
 * Plain Node, so the checks are tested outside Next (collect-start.test.ts).
 */
export const startCollectRunInputSchema = collectRunInputSchema.pick({ runId: true, dryRun: true }).strict();
export const startCollectWindowInputSchema = collectWindowInputSchema
  .pick({ windowDays: true, dryRun: true })
  .strict();

/** Everything but the person: settings and paths are the server's own, never the browser's. */
export type StartCollectEnv = Omit<CollectEnv, "onProgress">;

export function describeRunResult(result: CollectRunResult): string {
  const what = result.dryRun ? "dry run of run" : "run";
  if (result.status === "skipped") return `${what} ${result.recordRunId}: already collected, nothing to do`;
  const bytes = result.artifacts.reduce((sum, a) => sum + a.bytes, 0);
  const parity = result.parity ? `sha_parity=${result.parity.shaParity}` : "no parity";
  const verb = result.dryRun ? "checked, nothing written" : "collected";
  return `${what} ${result.recordRunId} ${verb}: ${result.artifacts.length} artifact(s), ${bytes} bytes, ${parity}`;
}

export function describeWindowResult(result: CollectWindowResult): string {
  const what = result.dryRun ? "dry run of the window" : "window";
  return (
    `${what} of ${result.windowDays} day(s): ${result.runs.length} run(s), ${result.collected} collected, ` +
    `${result.skipped} skipped, ${result.failed} failed`
  );
}

export function startCollectRunAction(env: StartCollectEnv, answerWithinMs?: number) {
  return defineAction({
    name: "collect.start",
    permission: "collect.run",
    schema: startCollectRunInputSchema,
    run: ({ actor, input, db }): Promise<CollectJob> => {
      const deps = (started: () => void): CollectDeps => ({ ...env, db, actor, onProgress: started });
      return startCollectJob(
        {
          kind: "run",
          target: input.runId,
          dryRun: input.dryRun,
          actor: actor.email,
          mask: createMasker(env.settings),
          answerWithinMs,
        },
        async (started) => {
          const result = await collectRun(input, deps(started));
          if (result.status === "failed")
            throw new Error(result.error ?? `run ${input.runId} was not collected`);
          return describeRunResult(result);
        },
      );
    },
    audit: (input, job) => ({
      target: input.runId,
      detail: { kind: "run", dry_run: input.dryRun, job: job.id },
    }),
  });
}

export function startCollectWindowAction(env: StartCollectEnv, answerWithinMs?: number) {
  return defineAction({
    name: "collect.start",
    permission: "collect.run",
    schema: startCollectWindowInputSchema,
    run: ({ actor, input, db }): Promise<CollectJob> =>
      startCollectJob(
        {
          kind: "window",
          target: `${input.windowDays} days`,
          dryRun: input.dryRun,
          actor: actor.email,
          mask: createMasker(env.settings),
          answerWithinMs,
        },
        async (started) =>
          describeWindowResult(await collectWindow(input, { ...env, db, actor, onProgress: started })),
      ),
    audit: (input, job) => ({
      target: `window:${input.windowDays}d`,
      detail: { kind: "window", dry_run: input.dryRun, job: job.id },
    }),
  });
}
