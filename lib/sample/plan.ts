import type { RunStatus } from "../evidence/run-record";
import type { Prng } from "./prng";

/**
 * The sample event's timeline: Phase 3 manual dispatches on the first day, scheduled audit runs
 * over 7 days, and retry chains after retryable failures (DESIGN §5: 5xx and 429, at most 3).
 * Exactly one chain exhausts its retries; one failure heals only after 26 h (past the 24 h gate).
 */

export const EVENT_START_MS = Date.parse("2025-11-14T00:00:00Z");
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
export const SAMPLE_DAYS = 7;

export type FailureCause = "5xx" | "429" | "timeout" | "422";

export interface PlannedRun {
  trigger: "manual_dispatch" | "scheduled" | "retry";
  status: RunStatus;
  startMs: number;
  durationSec: number;
  /** Attempt number for retries (1–3); 0 for a first try. */
  retries: number;
  origin: PlannedRun | null;
  exhausted: boolean;
  cause: FailureCause | null;
  /** Set when this retry succeeded 24 h or more after the first failure. */
  lateHeal: boolean;
}

const WAITS_SEC: Record<FailureCause, readonly number[]> = {
  "5xx": [5, 15, 45],
  timeout: [5, 15, 45],
  "429": [1, 4, 9],
  "422": [],
};

function drawDuration(rng: Prng, status: RunStatus): number {
  if (status === "success") return rng.int(90, 600);
  if (status === "failure") return rng.int(25, 420);
  return rng.int(8, 150);
}

function primary(rng: Prng, trigger: PlannedRun["trigger"], startMs: number): PlannedRun {
  const roll = rng.next();
  const status: RunStatus = roll < 0.8 ? "success" : roll < 0.93 ? "failure" : "cancelled";
  const cause =
    status === "failure"
      ? rng.pick<FailureCause>(["5xx", "5xx", "5xx", "429", "429", "timeout", "422"])
      : null;
  const durationSec = drawDuration(rng, status);
  return {
    trigger,
    status,
    startMs,
    durationSec,
    retries: 0,
    origin: null,
    exhausted: false,
    cause,
    lateHeal: false,
  };
}

const endMs = (run: PlannedRun) => run.startMs + run.durationSec * 1000;

function retryOf(
  rng: Prng,
  origin: PlannedRun,
  previous: PlannedRun,
  attempt: number,
  succeed: boolean,
): PlannedRun {
  const cause = origin.cause ?? "5xx";
  const wait = (WAITS_SEC[cause][attempt - 1] ?? 45) + rng.int(20, 240);
  const status: RunStatus = succeed ? "success" : "failure";
  return {
    trigger: "retry",
    status,
    startMs: endMs(previous) + wait * 1000,
    durationSec: drawDuration(rng, status),
    retries: attempt,
    origin,
    exhausted: false,
    cause: succeed ? null : cause,
    lateHeal: false,
  };
}

const closestTo = (runs: PlannedRun[], atMs: number) =>
  runs.reduce<PlannedRun | undefined>(
    (best, run) => (!best || Math.abs(run.startMs - atMs) < Math.abs(best.startMs - atMs) ? run : best),
    undefined,
  );

/** Exactly `total` runs, in start order. */
export function planRuns(rng: Prng, total: number): PlannedRun[] {
  const manualCount = Math.round(total * 0.15);
  let retryBudget = Math.round(total * 0.12);
  const scheduledCount = Math.max(0, total - manualCount - retryBudget);
  const runs: PlannedRun[] = [];
  for (let i = 0; i < manualCount; i++) {
    // Phase 3: people dispatch by hand during the first working day.
    runs.push(
      primary(
        rng,
        "manual_dispatch",
        EVENT_START_MS + 9 * HOUR + (i * 8 * HOUR) / manualCount + rng.int(0, 600_000),
      ),
    );
  }
  const spacing = (SAMPLE_DAYS * DAY) / Math.max(1, scheduledCount);
  for (let i = 0; i < scheduledCount; i++) {
    runs.push(primary(rng, "scheduled", EVENT_START_MS + Math.floor(i * spacing) + rng.int(0, 300_000)));
  }

  const retryable = () => runs.filter((r) => r.status === "failure" && r.retries === 0 && r.cause !== "422");
  const scheduled = runs.filter((r) => r.trigger === "scheduled");
  // Exactly one exhausted chain, around mid-week: force a 5xx failure there if the draw gave none.
  let exhaustedOrigin = closestTo(
    retryable().filter((r) => r.trigger === "scheduled"),
    EVENT_START_MS + 3.5 * DAY,
  );
  if (!exhaustedOrigin && retryBudget >= 3) {
    exhaustedOrigin = closestTo(scheduled, EVENT_START_MS + 3.5 * DAY);
    if (exhaustedOrigin) Object.assign(exhaustedOrigin, { status: "failure", cause: "5xx" });
  }
  const lateOrigin = closestTo(
    retryable().filter((r) => r !== exhaustedOrigin),
    EVENT_START_MS + 1.5 * DAY,
  );
  const origins = retryable().sort((a, b) => a.startMs - b.startMs);
  const ordered = [
    exhaustedOrigin,
    lateOrigin,
    ...origins.filter((r) => r !== exhaustedOrigin && r !== lateOrigin),
  ];
  for (const origin of ordered) {
    if (!origin || retryBudget <= 0) continue;
    if (origin === exhaustedOrigin && retryBudget >= 3) {
      let previous = origin;
      for (let attempt = 1; attempt <= 3; attempt++) {
        previous = retryOf(rng, origin, previous, attempt, false);
        runs.push(previous);
      }
      previous.exhausted = true;
      retryBudget -= 3;
    } else if (origin === lateOrigin) {
      const retry = retryOf(rng, origin, origin, 1, true);
      retry.startMs = endMs(origin) + 26 * HOUR + rng.int(0, 1_800_000);
      retry.lateHeal = true;
      runs.push(retry);
      retryBudget -= 1;
    } else {
      let previous = origin;
      for (let attempt = 1; attempt <= 3 && retryBudget > 0; attempt++) {
        // The last try the chain gets always heals: only the one chosen chain may exhaust its retries.
        const succeed = attempt === 3 || retryBudget === 1 || rng.chance(0.6);
        previous = retryOf(rng, origin, previous, attempt, succeed);
        runs.push(previous);
        retryBudget -= 1;
        if (succeed) break;
      }
    }
  }
  // Budget left over (few failures drawn): more scheduled runs keep the total exact.
  while (runs.length < total) {
    runs.push(primary(rng, "scheduled", EVENT_START_MS + rng.int(0, SAMPLE_DAYS * DAY - HOUR)));
  }
  return runs
    .map((run, seq) => ({ run, seq }))
    .sort((a, b) => a.run.startMs - b.run.startMs || a.seq - b.seq)
    .map((x) => x.run);
}
