import type { Database } from "../db";
import type { Gathered } from "./gather";
import { insertSelfHealAttempt, resolveSelfHealAttempt } from "./self-heal-store";
import type { SelfHealReport } from "./types";

/**
 * Self-heal, parity (issue: "parity false → download again once and compare again"): the first
 * download's rows are closed with sha_parity=false, the artifacts are listed again (fresh digests,
 * fresh signed URLs) and fetched into a fresh folder, and both comparisons stay on record — the
 * first in collections, the outcome in self_heal_attempts (healed or failed, with the time taken).
 */
export async function redownloadOnce(
  ctx: { db: Database; event: string; runId: string; actor: string; now: () => Date },
  first: Gathered,
  steps: { closeFirst: () => Promise<void>; again: () => Promise<Gathered> },
): Promise<{ gathered: Gathered; report: NonNullable<SelfHealReport["parity"]> }> {
  const at = () =>
    ctx
      .now()
      .toISOString()
      .replace(/\.\d{3}Z$/, "Z");
  const because = `sha_parity=false: ${first.reason ?? "digests differ"}`;
  const id = await insertSelfHealAttempt(ctx.db, {
    event: ctx.event,
    runId: ctx.runId,
    kind: "parity-redownload",
    attempt: 1,
    decidedBecause: because,
    outcome: "requested",
    actor: ctx.actor,
    firstFailureAt: at(),
  });
  await steps.closeFirst();
  const gathered = await steps.again();
  const healed = gathered.match?.shaParity === true;
  await resolveSelfHealAttempt(ctx.db, id, healed ? "healed" : "failed", at());
  return { gathered, report: { attempted: true, healed, because } };
}
