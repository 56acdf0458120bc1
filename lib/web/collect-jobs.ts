import { randomUUID } from "node:crypto";

/**
 * Collections the dashboard started in this server process. A server action must not hold the
 * browser's request for a whole window's downloads: it starts the work, waits only until the work
 * has begun (its first progress), failed early or finished, and answers with the job. Progress
 * itself lives in the collections table (every dashboard sees it); the job adds what the table
 * cannot hold: a failure before the first artifact (run not found, GitHub refused) and the outcome,
 * for the person who asked. Plain Node (no Next): tested in lib/web/collect-jobs.test.ts.
 */
export type CollectJobKind = "run" | "window";

export interface CollectJob {
  id: string;
  kind: CollectJobKind;
  /** The run id, or `7 days` for a window. */
  target: string;
  dryRun: boolean;
  /** Who asked (e-mail); only they read the job. */
  actor: string;
  startedAt: string;
  finishedAt: string | null;
  state: "running" | "done" | "failed";
  /** One line on the outcome when done. */
  summary: string | null;
  /** The failure, masked, when failed. */
  error: string | null;
}

export interface StartCollectJob {
  kind: CollectJobKind;
  target: string;
  dryRun: boolean;
  actor: string;
  /** Masks an error message before it is kept (DESIGN §8). */
  mask: (text: string) => string;
  /** How long the answer may wait for the work to begin; a window's listing can take a while. */
  answerWithinMs?: number;
}

/** The work: reports its first progress through `started`, resolves to the outcome's summary. */
export type CollectWork = (started: () => void) => Promise<string>;

const MAX_JOBS = 200;
// One registry per process, on globalThis: the action that starts a job and the route that reads
// it live in Next's separate module graphs.
const holder = globalThis as typeof globalThis & { __auditloopCollectJobs?: Map<string, CollectJob> };
const jobs = (holder.__auditloopCollectJobs ??= new Map<string, CollectJob>());

const snapshot = (job: CollectJob): CollectJob => ({ ...job });

/** A job of this process, or undefined (unknown, pruned, or lost with a restart). */
export function getCollectJob(id: string): CollectJob | undefined {
  const job = jobs.get(id);
  return job ? snapshot(job) : undefined;
}

// Oldest finished first; running jobs are never dropped.
function prune(): void {
  for (const [id, job] of jobs) {
    if (jobs.size <= MAX_JOBS) return;
    if (job.state !== "running") jobs.delete(id);
  }
}

/**
 * Starts `work` unless the same collection (kind, target, dry run) is already running here, in
 * which case that job is answered: a second click does not download everything twice.
 */
export async function startCollectJob(options: StartCollectJob, work: CollectWork): Promise<CollectJob> {
  const running = [...jobs.values()].find(
    (j) =>
      j.state === "running" &&
      j.kind === options.kind &&
      j.target === options.target &&
      j.dryRun === options.dryRun,
  );
  if (running) return snapshot(running);

  const job: CollectJob = {
    id: randomUUID(),
    kind: options.kind,
    target: options.target,
    dryRun: options.dryRun,
    actor: options.actor,
    startedAt: new Date().toISOString(),
    finishedAt: null,
    state: "running",
    summary: null,
    error: null,
  };
  jobs.set(job.id, job);
  prune();

  let markStarted = () => {};
  const started = new Promise<void>((resolve) => (markStarted = resolve));
  const settled = Promise.resolve()
    .then(() => work(markStarted))
    .then(
      (summary) => Object.assign(job, { state: "done", summary, finishedAt: new Date().toISOString() }),
      (error: unknown) => {
        const message = options.mask(error instanceof Error ? error.message : String(error));
        console.error(`collect: ${job.kind} ${job.target} failed: ${message}`);
        Object.assign(job, { state: "failed", error: message, finishedAt: new Date().toISOString() });
      },
    );
  let timer: NodeJS.Timeout | undefined;
  const waited = new Promise<void>(
    (resolve) => (timer = setTimeout(resolve, options.answerWithinMs ?? 3_000)),
  );
  await Promise.race([started, settled, waited]);
  clearTimeout(timer);
  return snapshot(job);
}
