import path from "node:path";
import type { StepVerifier } from "../control/checklist-verify";
import { listSlackExcerpts } from "./slack-excerpt";

/**
 * Checklist step 9 (DESIGN §12): "Metrics upserted to Supabase; masked Slack summary stored in
 * slack_excerpts/", verifiable from the upsert results and the excerpts. Upsert answers are
 * retry_history's rows of service 'supabase' (lib/supabase/metrics-upsert.ts writes them); a
 * 2xx or a 409 (a duplicate run_id, counted as success by DESIGN §5) is an upsert that landed.
 */
export const verifyUpsertsAndExcerptsStep: StepVerifier = async ({ db, files }) => {
  const dir = path.join(path.dirname(files.manifest), "slack_excerpts");
  const [excerpts, { rows }] = await Promise.all([
    listSlackExcerpts(dir),
    db.query<{ landed: string; last_at: Date | string | null }>(
      `select count(*)::text as landed, max(at) as last_at from retry_history
        where service = 'supabase' and decision in ('success', 'duplicate-success')`,
    ),
  ]);
  const landed = Number(rows[0]?.landed ?? 0);
  const missing = [
    landed === 0 ? "no metrics upsert to Supabase recorded (retry_history, service supabase)" : null,
    excerpts.count === 0 ? "slack_excerpts/ holds no summary" : null,
  ].filter((m) => m !== null);
  if (missing.length > 0 || excerpts.newest === null)
    return { status: "unverified", detail: missing.join("; ") };
  const lastAt = rows[0]?.last_at ? new Date(rows[0].last_at).toISOString() : null;
  const at =
    [lastAt, excerpts.newest.modifiedAt]
      .filter((t) => t !== null)
      .sort()
      .at(-1) ?? null;
  return {
    status: "verified",
    evidence: `${landed} metrics upsert(s) landed; ${excerpts.count} Slack summary excerpt(s), newest slack_excerpts/${excerpts.newest.name}`,
    at,
  };
};
