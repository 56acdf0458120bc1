import { promises as fs } from "node:fs";
import path from "node:path";
import { z } from "zod";
import type { Queryable } from "../db";
import { checkManifest, readManifest } from "../evidence/manifest";
import { loadRunsSummaryCached } from "../evidence/runs-summary";
import { getLatestDecision } from "./decisions-store";

/**
 * What the system can verify of the handbook checklist (DESIGN §12), read from the evidence at
 * the moment of asking. Later work (secrets check, retry guard, observer) registers its verifiers
 * with registerStepVerifier; until then those steps say which work makes them verifiable.
 */
export const eventFilesSchema = z.object({
  runsSummary: z.string().min(1, "the RUNS_SUMMARY.json path"),
  manifest: z.string().min(1, "the _manifest.json path"),
  observerSummary: z.string().min(1, "the AUTO_OBSERVER_SUMMARY.md path"),
  phase3Summary: z.string().min(1, "the PHASE3_AUDIT_SUMMARY.md path"),
});
/** The event files the checklist and the decisions read and write (absolute paths). */
export type EventFiles = z.infer<typeof eventFilesSchema>;

export type Verification =
  | { status: "verified"; evidence: string; at: string | null }
  | { status: "unverified"; detail: string }
  | { status: "pending"; detail: string }
  | { status: "manual" };

export interface VerifyContext {
  db: Queryable;
  event: string;
  files: EventFiles;
}

export type StepVerifier = (ctx: VerifyContext) => Promise<Verification>;

const mtime = async (file: string) =>
  fs.stat(file).then(
    (s) => s.mtime.toISOString(),
    () => null,
  );

/** Messages name files by their name: the reader knows the event folder. */
function shortError(error: unknown, files: EventFiles): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split(`${path.dirname(files.manifest)}${path.sep}`).join("");
}

const verifyManualRuns: StepVerifier = async ({ files }) => {
  try {
    const runs = await loadRunsSummaryCached(files.runsSummary);
    const manual = runs.filter((r) => r.source === "manual").length;
    if (manual === 0)
      return { status: "unverified", detail: "RUNS_SUMMARY.json holds no runs with source=manual" };
    return {
      status: "verified",
      evidence: `RUNS_SUMMARY.json: ${manual} run(s) with source=manual`,
      at: await mtime(files.runsSummary),
    };
  } catch (error) {
    return { status: "unverified", detail: shortError(error, files) };
  }
};

const verifyArtifactEntries: StepVerifier = async ({ files }) => {
  try {
    const { entries } = await readManifest(files.manifest);
    const artifacts = entries.filter((e) => e.evidence_type === "artifact");
    const unknown = artifacts.filter((e) => e.sha_parity === "unknown").length;
    if (artifacts.length === 0)
      return { status: "unverified", detail: "_manifest.json holds no artifact entries" };
    if (unknown > 0) {
      return {
        status: "unverified",
        detail: `_manifest.json: ${unknown} of ${artifacts.length} artifact entries have sha_parity "unknown"`,
      };
    }
    const mismatches = artifacts.filter((e) => e.sha_parity === false).length;
    return {
      status: "verified",
      evidence: `_manifest.json: ${artifacts.length} artifact entries with SHA parity checked (${mismatches} mismatch(es))`,
      at: await mtime(files.manifest),
    };
  } catch (error) {
    return { status: "unverified", detail: shortError(error, files) };
  }
};

const verifyManifestCheck: StepVerifier = async ({ files }) => {
  const report = await checkManifest(files.manifest);
  if (!report.ok) {
    return {
      status: "unverified",
      detail: `manifest check failed: ${shortError(new Error(report.problems[0]), files)}`,
    };
  }
  return {
    status: "verified",
    evidence: `manifest check: _manifest.json parses, no duplicate keys (${report.entryCount} entries)`,
    at: await mtime(files.manifest),
  };
};

const verifyDecision: StepVerifier = async ({ db, event }) => {
  const latest = await getLatestDecision(db, event);
  if (!latest) return { status: "unverified", detail: "no Go/No-Go decision recorded" };
  if (latest.state === "awaiting_second_reviewer") {
    return {
      status: "unverified",
      detail: `the go of decision #${latest.id} by ${latest.decidedBy} awaits a second reviewer`,
    };
  }
  return {
    status: "verified",
    evidence: `decision #${latest.id} (${latest.decision}) by ${latest.decidedBy}`,
    at: latest.decidedAt,
  };
};

/** Step 2: the last retry guard run (scripts/phase4-retry-guard.sh), recorded in the audit log. */
const verifyRetryGuard: StepVerifier = async ({ db }) => {
  const { rows } = await db.query<{ at_utc: string; actor: string; detail: { ok?: boolean } }>(
    "select at_utc, actor, detail from audit_log where action = 'retry.guard' order by id desc limit 1",
  );
  const last = rows[0];
  if (!last)
    return { status: "unverified", detail: "the retry guard has not run (scripts/phase4-retry-guard.sh)" };
  if (last.detail.ok !== true)
    return {
      status: "unverified",
      detail: `the retry guard of ${last.at_utc} found the code and the policy apart`,
    };
  return { status: "verified", evidence: `retry guard green, run by ${last.actor}`, at: last.at_utc };
};

const pending = (work: string): StepVerifier => {
  const result: Verification = { status: "pending", detail: `verifiable once the ${work} work lands` };
  return async () => result;
};

const verifiers = new Map<number, StepVerifier>([
  [1, pending("secrets check")],
  [2, verifyRetryGuard],
  [3, verifyManualRuns],
  [4, pending("GitHub collection")],
  [5, verifyArtifactEntries],
  [6, verifyManifestCheck],
  [7, pending("observer")],
  [8, pending("observer")],
  [9, pending("observer")],
  [12, verifyDecision],
]);

/** Lets later work make a step verifiable (it replaces the "verifiable once …" placeholder). */
export function registerStepVerifier(step: number, verifier: StepVerifier): void {
  verifiers.set(step, verifier);
}

/** The step's verification; a verifier that throws reports the failure rather than hiding the step. */
export async function verifyStep(step: number, ctx: VerifyContext): Promise<Verification> {
  const verifier = verifiers.get(step);
  if (!verifier) return { status: "manual" };
  try {
    return await verifier(ctx);
  } catch (error) {
    return { status: "unverified", detail: `verification failed: ${shortError(error, ctx.files)}` };
  }
}

/** "verified from …", "not verified: …", "verifiable once … lands", "manual" — one line per step. */
export function describeVerification(v: Verification): string {
  switch (v.status) {
    case "verified":
      return `verified from ${v.evidence}`;
    case "unverified":
      return `not verified: ${v.detail}`;
    case "pending":
      return v.detail;
    case "manual":
      return "manual";
  }
}
