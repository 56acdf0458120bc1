import {
  registerEngageStep,
  registerReleaseStep,
  type EngageContext,
  type EngageStep,
} from "../control/kill-switch-engage";
import { sleepWithSignal } from "../retry";
import { isGitHubConfigured } from "./configured";

/**
 * Octokit is loaded only when a step calls GitHub: every command that may trip the kill switch
 * imports these steps, most never engage it (the observer report starts ~20 ms sooner).
 */
const loadClient = async () => (await import("./client")).createGitHubClient;

/**
 * DESIGN §7 step 2 and the release's re-enable. How long cancelled runs get to stop on their own
 * before they are force-cancelled: a constant, not a setting, multiplied by RETRY_BACKOFF_SCALE
 * like every wait, so tests (scale 0) never wait.
 */
export const FORCE_CANCEL_GRACE_MS = 10_000;

/**
 * The whole step's deadline. Engaging has already aborted the work in flight, so the step gets its
 * own signal: at scale 1 one request can retry for 65 s (DESIGN §5), and a commander's engage must
 * not hang on an unreachable GitHub. Long enough for one full retry cycle plus the grace period.
 */
export const GITHUB_STEP_DEADLINE_MS = 120_000;

export async function disableWorkflowAndCancelRuns(ctx: EngageContext): Promise<string | null> {
  const { settings } = ctx;
  if (!isGitHubConfigured(settings)) return null;
  const signal = AbortSignal.timeout(GITHUB_STEP_DEADLINE_MS);
  const createGitHubClient = await loadClient();
  const client = createGitHubClient(settings, { fetchImpl: ctx.fetchImpl, db: ctx.db, signal });
  const workflow = settings.AUDIT_WORKFLOW;
  const done: string[] = [];
  const failed: Error[] = [];
  // Each part runs whatever the others did: a failed disable must not leave runs going.
  const attempt = async <T>(what: string, call: () => Promise<T>): Promise<{ value: T } | undefined> => {
    try {
      return { value: await call() };
    } catch (error) {
      const cause = error instanceof Error ? error : new Error(String(error));
      const message =
        cause.name === "TimeoutError" ? `not done within ${GITHUB_STEP_DEADLINE_MS / 1000} s` : cause.message;
      failed.push(new Error(`${what}: ${message}`, { cause }));
      return undefined;
    }
  };

  if (await attempt(`disable ${workflow}`, () => client.disableWorkflow(workflow)))
    done.push(`disabled ${workflow}`);
  const active =
    (await attempt(`list active runs of ${workflow}`, () => client.listActiveRuns(workflow)))?.value ?? [];
  const cancelled: string[] = [];
  for (const run of active) {
    const outcome = await attempt(`cancel run ${run.runId}`, () => client.cancelRun(run.runId));
    if (outcome?.value === "requested") cancelled.push(run.runId);
  }
  done.push(`cancelled ${cancelled.length} of ${active.length} queued/in-progress run(s)${list(cancelled)}`);

  if (cancelled.length > 0) {
    const graceMs = Math.round(FORCE_CANCEL_GRACE_MS * settings.RETRY_BACKOFF_SCALE);
    // A deadline that falls in the grace period shows in the calls that follow, as their failure.
    if (graceMs > 0) await sleepWithSignal(graceMs, signal).catch(() => undefined);
    const forced: string[] = [];
    for (const runId of cancelled) {
      const run = (await attempt(`read run ${runId}`, () => client.getRun(runId)))?.value;
      if (!run || run.status === "completed") continue;
      const outcome = await attempt(`force-cancel run ${runId}`, () => client.forceCancelRun(runId));
      if (outcome?.value === "requested") forced.push(runId);
    }
    if (forced.length > 0)
      done.push(`force-cancelled ${forced.length} still running after ${graceMs} ms${list(forced)}`);
  }

  if (failed.length > 0) {
    throw new Error(`${[...done, ...failed.map((error) => `failed to ${error.message}`)].join("; ")}`, {
      cause: failed[0],
    });
  }
  return done.join("; ");
}

const list = (ids: string[]) => (ids.length > 0 ? ` (${ids.join(", ")})` : "");

const engageStep: EngageStep = {
  id: "github-workflow",
  title: "Disable the auto-audit workflow and cancel its runs",
  order: 2,
  run: disableWorkflowAndCancelRuns,
};

registerEngageStep(engageStep);

/** After the restart checks pass, the workflow runs again. */
registerReleaseStep({
  id: "github-workflow-enable",
  title: "Re-enable the auto-audit workflow",
  run: async ({ settings, fetchImpl }) => {
    if (!isGitHubConfigured(settings)) return null;
    const signal = AbortSignal.timeout(GITHUB_STEP_DEADLINE_MS);
    const createGitHubClient = await loadClient();
    await createGitHubClient(settings, { fetchImpl, signal }).enableWorkflow(settings.AUDIT_WORKFLOW);
    return `enabled ${settings.AUDIT_WORKFLOW}`;
  },
});
