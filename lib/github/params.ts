import { InputError } from "../errors";

/** Ids arrive as strings (run_id on disk and in SQL); GitHub's routes want positive integers. */
export function numericId(value: string, what: string): number {
  if (!/^[1-9]\d{0,18}$/.test(value.trim())) {
    throw new InputError(`${what}: expected a positive integer id, got ${JSON.stringify(value)}`);
  }
  return Number(value.trim());
}

/** A workflow is named by its file (`phase4-auto-audit.yml`) or its numeric id. */
export function workflowId(value: string): string | number {
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  if (!/^[\w.-]+\.ya?ml$/.test(trimmed)) {
    throw new InputError(
      `workflow: expected a workflow file name like phase4-auto-audit.yml or a numeric id, got ${JSON.stringify(value)}`,
    );
  }
  return trimmed;
}

/** `created=>=YYYY-MM-DD`: GitHub filters runs by creation day (UTC). */
export function createdSince(windowDays: number, asOf: Date): string {
  if (!Number.isInteger(windowDays) || windowDays < 1) {
    throw new InputError(`windowDays (window_days): expected an integer ≥ 1, got ${windowDays}`);
  }
  if (Number.isNaN(asOf.getTime())) throw new InputError("asOf: expected a valid date");
  const from = new Date(asOf.getTime() - windowDays * 86_400_000);
  return `>=${from.toISOString().slice(0, 10)}`;
}
