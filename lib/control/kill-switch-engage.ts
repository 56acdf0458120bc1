import { promises as fs } from "node:fs";
import { toRepoRelative, type EventPaths } from "../config/paths";
import type { Settings } from "../config/settings";
import type { Database } from "../db";
import { withFileLock, writeFileAtomic } from "../evidence/atomic-file";
import { rollbackManifest } from "../evidence/manifest";
import { InputError } from "../errors";
import { abortInFlight } from "./in-flight";
import { getKillSwitchStatus, setKillSwitchState } from "./kill-switch";
import { runRestartChecks, type RestartCheck } from "./restart-checks";
import type { Actor } from "./roles";

/**
 * The engage sequence of DESIGN §7. Persisting the state comes first and always; then every step
 * runs whatever the others did, and each result is recorded. Steps bound to outside systems
 * (GitHub disable/cancel, Slack status) register in kill-switch-steps.ts.
 */
export interface EngageContext {
  actor: Actor;
  reason: string;
  rollbackManifest: boolean;
  paths: EventPaths;
  settings: Settings;
  db: Database;
  /** Outside calls (Slack, GitHub) go through it; tests point it at local servers. */
  fetchImpl?: typeof fetch;
  /** The engaging action's own in-flight signal: aborted with the rest, but not counted. */
  ownSignal?: AbortSignal;
}

export interface EngageStep {
  id: string;
  title: string;
  /** Position in DESIGN §7's sequence: 2 GitHub (the default), 3 observer summary, 4 manifest, 5 Slack. */
  order?: number;
  /** Returns a one-line detail; throws to report failure. Returns null when the step does not apply. */
  run(ctx: EngageContext): Promise<string | null>;
}

export interface StepResult {
  id: string;
  title: string;
  status: "done" | "failed" | "skipped";
  detail: string;
}

const registered: EngageStep[] = [];

export function registerEngageStep(step: EngageStep): void {
  if (!registered.some((s) => s.id === step.id)) registered.push(step);
}

const appendObserverSummary: EngageStep = {
  id: "observer-summary",
  title: "Append the reason to AUTO_OBSERVER_SUMMARY.md",
  order: 3,
  run: async ({ actor, reason, paths }) => {
    const line = `- ${new Date().toISOString().replace(/\.\d+Z$/, "Z")} kill switch engaged by ${actor.email}: ${reason.replace(/\s+/g, " ")}\n`;
    await withFileLock(paths.observerSummary, async () => {
      const current = await fs
        .readFile(paths.observerSummary, "utf8")
        .catch(() => "# Auto observer summary\n");
      const heading = "\n## Kill switch log\n\n";
      const next = current.includes(heading)
        ? `${current.trimEnd()}\n${line}`
        : `${current.trimEnd()}\n${heading}${line}`;
      await writeFileAtomic(paths.observerSummary, next, { backup: false });
    });
    // Recorded and shown to people: relative to the repository root, like the manifest's paths.
    return `appended to ${toRepoRelative(paths.observerSummary, paths.root)}`;
  },
};

const rollbackManifestStep: EngageStep = {
  id: "manifest-rollback",
  title: "Roll the manifest back to its last backup",
  order: 4,
  run: async ({ rollbackManifest: asked, paths }) => {
    if (!asked) return null;
    const result = await rollbackManifest(paths.manifest);
    return `restored ${result.entryCount} entries from ${toRepoRelative(result.restoredFrom, paths.root)}`;
  },
};

export async function engageKillSwitch(ctx: EngageContext): Promise<StepResult[]> {
  await setKillSwitchState(ctx.db, ctx.actor, "engaged", ctx.reason, {
    rollback_manifest: ctx.rollbackManifest,
  });
  const ownWasRunning = ctx.ownSignal !== undefined && !ctx.ownSignal.aborted;
  const aborted =
    abortInFlight(`kill switch engaged by ${ctx.actor.email}: ${ctx.reason}`) -
    (ownWasRunning && ctx.ownSignal?.aborted ? 1 : 0);
  const results: StepResult[] = [
    {
      id: "persist",
      title: "Persist the state and abort work in flight",
      status: "done",
      detail: `${aborted} in-flight task(s) aborted`,
    },
  ];
  const steps = [...registered, appendObserverSummary, rollbackManifestStep].sort(
    (a, b) => (a.order ?? 2) - (b.order ?? 2),
  );
  for (const step of steps) {
    results.push(
      await runRecordedStep(ctx, ctx.reason, step.id, step.title, () => step.run(ctx), "not asked"),
    );
  }
  return results;
}

/** Runs one step; its result (done, skipped when it returns null, failed when it throws) is recorded. */
async function runRecordedStep(
  ctx: Pick<EngageContext, "db" | "actor">,
  reason: string,
  id: string,
  title: string,
  run: () => Promise<string | null>,
  whenSkipped: string,
): Promise<StepResult> {
  let result: StepResult;
  try {
    const detail = await run();
    result = { id, title, status: detail === null ? "skipped" : "done", detail: detail ?? whenSkipped };
  } catch (error) {
    result = { id, title, status: "failed", detail: (error as Error).message };
  }
  await ctx.db
    .query(
      "insert into kill_switch_events (action, actor, reason, detail) values ('step', $1, $2, $3::jsonb)",
      [ctx.actor.email, reason, JSON.stringify(result)],
    )
    .catch(() => undefined);
  return result;
}

export interface ReleaseOutcome {
  released: boolean;
  checks: RestartCheck[];
  /** The release's own steps (re-enable the workflow), each recorded like the engage steps. */
  steps: StepResult[];
}

/** Releases only when no restart check fails; the checks' results are recorded either way. */
export async function releaseKillSwitch(
  ctx: Omit<EngageContext, "rollbackManifest" | "reason">,
): Promise<ReleaseOutcome> {
  const status = await getKillSwitchStatus(ctx.db);
  if (status.state !== "engaged")
    throw new InputError(`The kill switch is not engaged (state: ${status.state}); nothing to release`);
  const checks = await runRestartChecks(ctx.settings, ctx.paths, ctx.fetchImpl);
  const failed = checks.filter((c) => c.status === "fail");
  if (failed.length > 0) {
    await ctx.db.query(
      "insert into kill_switch_events (action, actor, reason, detail) values ('check', $1, $2, $3::jsonb)",
      [ctx.actor.email, "release refused: restart checks failed", JSON.stringify({ checks })],
    );
    return { released: false, checks, steps: [] };
  }
  await setKillSwitchState(ctx.db, ctx.actor, "released", "restart checks passed", { checks });
  const steps: StepResult[] = [];
  // Released all the same when a step fails: the checks passed; the failure is shown and recorded.
  for (const step of releaseSteps) {
    steps.push(
      await runRecordedStep(ctx, "release", step.id, step.title, () => step.run(ctx), "not configured"),
    );
  }
  return { released: true, checks, steps };
}

export interface ReleaseStep {
  id: string;
  title: string;
  /** Returns a one-line detail, null when it does not apply; throws to report failure. */
  run(ctx: {
    settings: Settings;
    paths: EventPaths;
    actor: Actor;
    fetchImpl?: typeof fetch;
  }): Promise<string | null>;
}
const releaseSteps: ReleaseStep[] = [];

/** Outside systems (re-enabling the workflow) hook into a successful release here. */
export function registerReleaseStep(step: ReleaseStep): void {
  if (!releaseSteps.some((s) => s.id === step.id)) releaseSteps.push(step);
}
