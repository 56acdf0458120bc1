import { InputError } from "../errors";
import type { RunRecord } from "./run-record";

/**
 * "One run recorded as both success and failure" (DESIGN §7), an automatic trip of the kill
 * switch. The rule:
 * - RUNS_SUMMARY.json holds the same run_id twice, once with status success and once with
 *   failure: a conflict. (The same run_id twice with one status is a plain duplicate, refused by
 *   validation as before; cancelled beside either is not "success and failure".)
 * - An import or merge would replace a recorded success with a failure for the same run_id: a
 *   conflict, refused before anything is written, since the evidence of the success would
 *   silently vanish. The other way round, failure → success for one run_id, is a GitHub re-run
 *   (a re-run keeps its run id) that healed the run, and is accepted.
 * - A retry with a new run_id that succeeds after a failure is a heal, never a conflict: the ids
 *   differ (retry_origin links them).
 */
export interface StatusConflict {
  run_id: string;
  /** Where each status was seen: `[3] success`, `RUNS_SUMMARY.json success`, `import failure`. */
  seen: string[];
}

function isRow(value: unknown): value is { run_id: string; status: unknown } {
  return (
    value !== null && typeof value === "object" && typeof (value as { run_id?: unknown }).run_id === "string"
  );
}

/** Duplicate run_ids with both success and failure among the rows of a parsed RUNS_SUMMARY.json. */
export function findStatusConflicts(value: unknown): StatusConflict[] {
  if (!Array.isArray(value)) return [];
  // The common case, no run_id twice, costs one pass over a set.
  const ids = new Set<unknown>();
  let duplicates = false;
  for (const row of value as unknown[]) {
    const id = isRow(row) ? row.run_id : undefined;
    if (id === undefined) continue;
    if (ids.has(id)) {
      duplicates = true;
      break;
    }
    ids.add(id);
  }
  if (!duplicates) return [];
  const byId = new Map<string, { success: number[]; failure: number[] }>();
  value.forEach((row: unknown, index) => {
    if (!isRow(row) || (row.status !== "success" && row.status !== "failure")) return;
    let entry = byId.get(row.run_id);
    if (!entry) byId.set(row.run_id, (entry = { success: [], failure: [] }));
    entry[row.status].push(index);
  });
  const conflicts: StatusConflict[] = [];
  for (const [runId, { success, failure }] of byId) {
    if (success.length === 0 || failure.length === 0) continue;
    conflicts.push({
      run_id: runId,
      seen: [...success.map((i) => [i, "success"] as const), ...failure.map((i) => [i, "failure"] as const)]
        .sort((a, b) => a[0] - b[0])
        .map(([i, status]) => `[${i}] ${status}`),
    });
  }
  return conflicts;
}

/** Recorded successes that `incoming` would turn into failures (same run_id). */
export function findStatusFlips(
  existing: readonly RunRecord[],
  incoming: readonly RunRecord[],
): StatusConflict[] {
  const succeeded = new Set(existing.filter((r) => r.status === "success").map((r) => r.run_id));
  return incoming
    .filter((r) => r.status === "failure" && succeeded.has(r.run_id))
    .map((r) => ({ run_id: r.run_id, seen: ["recorded success", "incoming failure"] }));
}

export function describeStatusConflicts(conflicts: readonly StatusConflict[], limit = 5): string {
  const shown = conflicts.slice(0, limit).map((c) => `run_id ${c.run_id} (${c.seen.join(", ")})`);
  const more = conflicts.length > limit ? `, … and ${conflicts.length - limit} more` : "";
  return `${shown.join("; ")}${more}`;
}

/** Refusal of a write that would record a run as both success and failure; nothing was written. */
export class RunStatusConflictError extends InputError {
  constructor(
    readonly file: string,
    readonly conflicts: StatusConflict[],
  ) {
    super(
      `${file}: ${conflicts.length} run(s) would be recorded as both success and failure: ` +
        `${describeStatusConflicts(conflicts)}; nothing was written`,
    );
  }
}
