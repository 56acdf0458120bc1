import type { Settings } from "../config/settings";
import { throwIfKillSwitchEngaged } from "../control/kill-switch";
import type { Database } from "../db";
import type { GitHubClient, WorkflowRun } from "../github";
import { RETRY_POLICY, sleepWithSignal } from "../retry";
import { decideRerun } from "./heal-rule";
import {
  insertSelfHealAttempt,
  listSelfHealAttempts,
  resolveSelfHealAttempt,
  type SelfHealAttempt,
} from "./self-heal-store";
import type { RerunDecision } from "./types";

/**
 * Self-heal by re-running failed jobs (DESIGN §1, §5). A collection of a failed run asks GitHub to
 * re-run its failed jobs when heal-rule.ts says the failure was a 5xx or 429, at most 3 times per
 * run, each after the policy's 5xx wait (5 s, 15 s, 45 s × RETRY_BACKOFF_SCALE; the kill switch
 * cuts it short). The re-run is a new attempt of the same run: the collection that later finds it
 * finished closes the attempt (healed, failed, or exhausted after the third) and the chain's heal
 * time, first failure → success, is checked against the 24 h objective.
 */
export const MAX_RERUNS = RETRY_POLICY.serverError.maxRetries;

export interface HealContext {
  github: GitHubClient;
  db: Database;
  settings: Pick<Settings, "RETRY_BACKOFF_SCALE">;
  event: string;
  actor: string;
  signal: AbortSignal;
  dryRun: boolean;
}

const reruns = async (db: Database, runId: string) =>
  (await listSelfHealAttempts(db, runId)).filter((a) => a.kind === "rerun-failed-jobs");

const isOpen = (a: SelfHealAttempt) => a.outcome === "requested" || a.outcome === "already-done";

export interface ChainClosure {
  /** This attempt was asked for by the observer (its record says retry_origin=observer-auto). */
  healRequested: boolean;
  retryExhausted: boolean;
  healed: { healSec: number; withinObjective: boolean } | null;
}

/** A finished re-run attempt closes the attempt that asked for it. Dry runs only read. */
export async function closeRerunAttempt(ctx: HealContext, run: WorkflowRun): Promise<ChainClosure> {
  const none: ChainClosure = { healRequested: false, retryExhausted: false, healed: null };
  if (run.runAttempt <= 1) return none;
  const attempts = await reruns(ctx.db, run.runId);
  const open = attempts.filter(isOpen).at(-1);
  if (!open) {
    const exhausted = attempts.some((a) => a.outcome === "exhausted");
    // Collected again after it was closed: still the observer's attempt when it asked for any.
    return {
      ...none,
      healRequested: attempts.length > 0,
      retryExhausted: exhausted && run.conclusion !== "success",
    };
  }
  const success = run.conclusion === "success";
  const outcome = success ? "healed" : open.attempt >= MAX_RERUNS ? "exhausted" : "failed";
  if (ctx.dryRun) return { healRequested: true, retryExhausted: outcome === "exhausted", healed: null };
  const resolvedAt = new Date(run.updatedAt).toISOString();
  const { healSec, withinObjective } = await resolveSelfHealAttempt(ctx.db, open.id, outcome, resolvedAt);
  return {
    healRequested: true,
    retryExhausted: outcome === "exhausted",
    healed: success && healSec !== null ? { healSec, withinObjective: withinObjective ?? false } : null,
  };
}

/** Decides, and when the rule allows, asks GitHub to re-run the run's failed jobs. */
export async function reviewFailedRun(ctx: HealContext, run: WorkflowRun): Promise<RerunDecision> {
  if (run.conclusion !== "failure") {
    return {
      healable: false,
      because: `conclusion ${run.conclusion ?? "none"}`,
      action: "none",
      attempt: null,
    };
  }
  const jobs = await ctx.github.listJobs(run.runId, { annotations: true });
  const { healable, because } = decideRerun(run.conclusion, jobs);
  if (!healable) return { healable, because, action: "not-healable", attempt: null };
  const attempts = await reruns(ctx.db, run.runId);
  const attempt = attempts.length + 1;
  if (attempt > MAX_RERUNS) {
    return {
      healable,
      because: `${because}; ${MAX_RERUNS} re-runs already made`,
      action: "exhausted",
      attempt: null,
    };
  }
  if (ctx.dryRun) return { healable, because, action: "skipped-dry-run", attempt };
  const waitMs = Math.round(
    (RETRY_POLICY.serverError.waitsMs[attempt - 1] ?? 0) * ctx.settings.RETRY_BACKOFF_SCALE,
  );
  if (waitMs > 0) await sleepWithSignal(waitMs, ctx.signal);
  ctx.signal.throwIfAborted();
  // A re-run changes GitHub: refused while the kill switch is engaged, like every mutation.
  await throwIfKillSwitchEngaged(ctx.db);
  const outcome = await ctx.github.rerunFailedJobs(run.runId);
  await insertSelfHealAttempt(ctx.db, {
    event: ctx.event,
    runId: run.runId,
    kind: "rerun-failed-jobs",
    attempt,
    decidedBecause: because,
    outcome,
    actor: ctx.actor,
    // The chain's first failure: the first attempt's, else this failed attempt's completion.
    firstFailureAt: attempts[0]?.firstFailureAt ?? new Date(run.updatedAt).toISOString(),
  });
  return { healable, because, action: outcome, attempt };
}
