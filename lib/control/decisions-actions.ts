import path from "node:path";
import { z } from "zod";
import { InputError } from "../errors";
import { hasSecretShape } from "../notify/patterns";
import { getKpiGateFacts } from "../observer/kpi-data";
import type { QualityGateResult } from "../observer/quality-gate";
import { defineAction } from "./action";
import { writeChecklistSection } from "./checklist-markdown";
import { getChecklist } from "./checklist";
import { eventFilesSchema } from "./checklist-verify";
import { evaluateQualityGate, ruleOnDecision } from "./decisions";
import { writeDecisionSummary } from "./decisions-markdown";
import { getLatestDecision, listDecisions, type DecisionRecord } from "./decisions-store";

/**
 * Recording Go/No-Go (issue 3 §5). The gate is computed here, on the server, at the moment of
 * the decision; the browser's view of it is never trusted. Decisions are appended, never edited:
 * the new one supersedes the current one.
 */
export const rationaleSchema = z
  .string()
  .trim()
  .max(2000, "at most 2000 characters")
  .refine((n) => !hasSecretShape(n), { message: "no secret-shaped strings (tokens, JWTs)" });

export const recordDecisionSchema = z
  .object({
    event: z.string().min(1, "the event name"),
    /** Set by the server or the CLI from settings, never taken from a browser. */
    files: eventFilesSchema,
    decision: z.enum(["go", "no_go"], "go or no_go"),
    rationale: rationaleSchema.default(""),
    /** The reviewer knowingly records go although the gate fails (needs a rationale). */
    override: z.boolean().default(false),
    /** AUDIT_GO_REQUIRES_TWO_REVIEWERS, passed in from settings by the caller. */
    requireTwoReviewers: z.boolean().default(false),
  })
  .superRefine((input, ctx) => {
    if (input.decision === "no_go" && input.rationale === "") {
      ctx.addIssue({ code: "custom", path: ["rationale"], message: "a rationale for no_go" });
    }
  });

export interface RecordDecisionResult {
  decision: DecisionRecord;
  gate: QualityGateResult;
  /** Set when the database record stands but a markdown summary could not be written. */
  warnings: string[];
}

const failing = (gate: QualityGateResult) =>
  gate.reasons
    .filter((r) => r.outcome === "fail")
    .map((r) => r.message)
    .join("; ");

export const recordDecisionAction = defineAction({
  name: "decision.record",
  permission: "decision.record",
  schema: recordDecisionSchema,
  run: async ({ actor, input, db, signal }): Promise<RecordDecisionResult> => {
    // The same KPI facts the Go/No-Go page and the KPI view show (lib/observer/kpi-data.ts).
    const kpis = await getKpiGateFacts(db, input.event);
    const { gate } = await evaluateQualityGate(db, input.event, input.files, { kpis });
    const overriding = input.decision === "go" && gate.status === "fail";
    if (overriding && !input.override) {
      throw new InputError(
        `override: the quality gate fails (${failing(gate)}); to record go anyway, confirm the override and write a rationale`,
      );
    }
    if (overriding && input.rationale === "") {
      throw new InputError("rationale: expected a rationale for overriding the failing quality gate");
    }

    const decision = await db.transaction(async (tx) => {
      // One chain per event: concurrent reviewers queue here (the unique index on supersedes backs it).
      await tx.query("select pg_advisory_xact_lock(hashtext('auditloop_decisions:' || $1))", [input.event]);
      const previous = await getLatestDecision(tx, input.event);
      const ruling = ruleOnDecision(input.decision, actor.email, previous, input.requireTwoReviewers);
      const { rows } = await tx.query<{ id: string | number }>(
        `insert into decisions (event, decision, rationale, gate_status, gate_reasons, override, decided_by,
           decided_role, supersedes, state, two_reviewer_rule, confirms)
         values ($1, $2, $3, $4, $5::jsonb, $6, $7, $8, $9, $10, $11, $12) returning id`,
        [
          input.event,
          input.decision,
          input.rationale,
          gate.status,
          JSON.stringify(gate.reasons),
          overriding,
          actor.email,
          actor.role,
          previous?.id ?? null,
          ruling.state,
          input.requireTwoReviewers,
          ruling.confirms,
        ],
      );
      const recorded = await getLatestDecision(tx, input.event);
      if (!recorded || recorded.id !== Number(rows[0]?.id))
        throw new Error("the new decision was not read back");
      return recorded;
    });

    const warnings: string[] = [];
    const attempt = async (file: string, write: () => Promise<unknown>) => {
      try {
        await write();
      } catch (error) {
        warnings.push(`Recorded, but ${path.basename(file)} was not updated: ${(error as Error).message}`);
      }
    };
    await attempt(input.files.phase3Summary, () =>
      writeDecisionSummary(input.files.phase3Summary, decision, () => listDecisions(db, input.event), {
        signal,
      }),
    );
    // Step 12 of the checklist follows the decision.
    await attempt(input.files.observerSummary, () =>
      writeChecklistSection(input.files.observerSummary, () => getChecklist(db, input.event, input.files), {
        signal,
      }),
    );
    return { decision, gate, warnings };
  },
  audit: (input, output) => ({
    target: `decision #${output.decision.id}`,
    detail: {
      event: input.event,
      decision: output.decision.decision,
      gate_status: output.gate.status,
      override: output.decision.override,
      state: output.decision.state,
      supersedes: output.decision.supersedes,
      confirms: output.decision.confirms,
      ...(output.warnings.length > 0 ? { warnings: output.warnings } : {}),
    },
  }),
});
