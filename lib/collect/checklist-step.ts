import type { StepVerifier } from "../control/checklist-verify";
import { getLastDryRun } from "./collections-store";

/**
 * Checklist step 4 ("Collection dry-run executed with a sample run id", DESIGN §12), verified from
 * the event's last dry-run collection: a dry run whose last artifact finished is the evidence; one
 * still running or failed is not.
 */
export const verifyCollectionDryRunStep: StepVerifier = async ({ db, event }) => {
  const last = await getLastDryRun(db, event);
  if (!last) {
    return {
      status: "unverified",
      detail: "no collection dry run recorded (scripts/phase4-auto-collect.sh <run_id> --dry-run)",
    };
  }
  const what = last.artifactName === null ? "its run record" : `artifact ${last.artifactName}`;
  if (last.state !== "done") {
    return {
      status: "unverified",
      detail: `the last dry run (run ${last.runId}, ${what}) ended ${last.state}${last.error ? `: ${last.error.slice(0, 160)}` : ""}`,
    };
  }
  const parity = last.shaParity === null ? "" : `, sha_parity=${last.shaParity}`;
  return {
    status: "verified",
    evidence: `dry run of run ${last.runId} (${what}${parity}) by ${last.actor}`,
    at: last.finishedAt ?? last.startedAt,
  };
};
