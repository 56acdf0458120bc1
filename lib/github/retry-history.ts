import type { Database } from "../db";
import type { GitHubDecision } from "./request-policy";

/**
 * Writes one request's decisions to retry_history (service 'github'). Only requests that met
 * something other than a plain success (a retry, a 409, a refusal) are recorded: those are what
 * checklist step 8 reviews ("retries applied only to 5xx/429, none over the limit"); first-try
 * successes would drown them.
 */
export async function recordRetryHistory(db: Database, decisions: readonly GitHubDecision[]): Promise<void> {
  for (const decision of decisions) {
    await db.query(
      `insert into retry_history (service, operation, run_id, attempt, status_code, decision, wait_ms)
       values ('github', $1, $2, $3, $4, $5, $6)`,
      [
        decision.operation,
        decision.runId ?? null,
        decision.attempt,
        decision.httpStatus ?? null,
        decision.decision.kind,
        decision.waitMs,
      ],
    );
  }
}

/** `github GET /repos/{owner}/{repo}/actions/runs attempt=2 status=503 decision=retry wait_ms=15000` */
export function describeDecision(decision: GitHubDecision): string {
  const answer =
    decision.httpStatus !== undefined
      ? `status=${decision.httpStatus}`
      : `error=${decision.errorCode ?? "unknown"}`;
  return `github ${decision.operation} attempt=${decision.attempt} ${answer} decision=${decision.decision.kind} wait_ms=${decision.waitMs}`;
}
