"use client";

import { formatUtc } from "@/components/ui/format";
import type { CollectJob } from "@/lib/web/collect-jobs";
import { useCollectJobQuery } from "./collect-job-query";

function describeTarget(job: CollectJob): string {
  const what = job.kind === "run" ? `run ${job.target}` : `the window of ${job.target}`;
  return job.dryRun ? `${what} (dry run)` : what;
}

/**
 * The one status region of the Collect controls: a refusal, or the collection just started,
 * followed until it ends (its rows move in the table meanwhile).
 */
export function CollectJobStatus({ job, error }: { job: CollectJob | null; error: string | null }) {
  const { data, error: readError } = useCollectJobQuery(job);
  const current = data ?? job;
  return (
    <div
      role="status"
      aria-live="polite"
      aria-label="Collection result"
      className="min-h-5 max-w-4xl text-sm"
    >
      {error ? <p className="text-red-800">Not started: {error}</p> : null}
      {!error && current?.state === "running" ? (
        <p className="text-zinc-800">
          Collecting {describeTarget(current)}, started {formatUtc(current.startedAt)}: progress below.
        </p>
      ) : null}
      {!error && current?.state === "done" ? (
        <p className="text-emerald-800">Done: {current.summary}</p>
      ) : null}
      {!error && current?.state === "failed" ? (
        <p className="text-red-800">
          Failed: {describeTarget(current)}: {current.error}
        </p>
      ) : null}
      {readError && current?.state === "running" ? (
        <p className="text-zinc-600">
          The outcome cannot be followed ({readError.message}); the table stays live.
        </p>
      ) : null}
    </div>
  );
}
