import type { RunInput } from "./state";

/**
 * `count` completed runs, one every `everyMinutes`, going back from `newest` (ids ascending with
 * time), for tests that need many runs in a window.
 */
export function completedRuns(
  count: number,
  options: { newest: string; everyMinutes?: number; firstId?: number; workflowFile?: string },
): RunInput[] {
  const step = (options.everyMinutes ?? 30) * 60_000;
  const newest = Date.parse(options.newest);
  const firstId = options.firstId ?? 19_421_000_000;
  return Array.from({ length: count }, (_, i) => {
    const created = new Date(newest - (count - 1 - i) * step).toISOString().replace(/\.\d{3}Z$/, "Z");
    return {
      id: firstId + i,
      createdAt: created,
      updatedAt: created,
      conclusion: i % 10 === 3 ? "failure" : "success",
      workflowFile: options.workflowFile,
    };
  });
}
