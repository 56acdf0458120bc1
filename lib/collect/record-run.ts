import { readRunsSummary } from "../evidence/runs-summary";
import type { WorkflowRun } from "../github";
import { artifactFolder, buildManifestEntries, toParityOutcome } from "./entries";
import { createEvidenceWriter } from "./evidence-writes";
import type { Gathered } from "./gather";
import type { CollectOptions } from "./inputs";
import type { RunDeps } from "./run-steps";
import { buildRunRecord } from "./run-update";
import { placeFolder } from "./workspace";

export interface RecordInput {
  run: WorkflowRun;
  recordId: string;
  gathered: Gathered;
  listedNone: boolean;
  closure: { healRequested: boolean; retryExhausted: boolean };
  recordedAt: string;
}

/**
 * Records a gathered run: its record, its manifest entries and the move of its extracted folders
 * into artifacts/<run_id>/raw/ go to the evidence writer together (the move happens under the
 * summary's lock, after its kill switch check); a dry run only builds them. The run is recorded
 * when nothing failed, or when some artifact file could be compared anyway; a run whose every
 * artifact file was lost (expired, digest mismatch) is not recorded as collected.
 */
export async function recordRun(deps: RunDeps, options: CollectOptions, input: RecordInput) {
  const { env, db, signal } = deps;
  const { paths } = env;
  const { run, recordId, gathered } = input;
  const failed = gathered.fetched.filter((f) => f.outcome.state !== "done");
  const notes = failed.map(
    (f) => `artifact ${f.outcome.name} not collected: ${f.outcome.summary ?? f.outcome.state}`,
  );
  if (input.listedNone) notes.push(`no artifact matches ${options.artifactPattern}`);
  const parity = toParityOutcome(paths, recordId, gathered) ?? {
    ...noParity,
    reason: gathered.reason ?? "nothing to compare",
  };
  const entries = buildManifestEntries(paths, recordId, gathered, input.recordedAt);
  if (failed.length > 0 && gathered.dataFiles.length === 0) {
    return { record: null, parity, entries: [], notes, written: false };
  }
  const build = (existing: Parameters<typeof buildRunRecord>[0]["existing"]) =>
    buildRunRecord({
      run,
      options,
      parity,
      existing,
      healRequested: input.closure.healRequested,
      retryExhausted: input.closure.retryExhausted,
      notes,
    });
  if (options.dryRun) {
    const existing = (await readRunsSummary(paths.runsSummary)).find((r) => r.run_id === recordId);
    return { record: build(existing), parity, entries, notes, written: false };
  }
  signal.throwIfAborted();
  const place = async () => {
    for (const f of gathered.fetched) {
      if (f.dir) await placeFolder(f.dir, artifactFolder(paths, recordId, f.outcome.name));
    }
  };
  const writer = deps.writer ?? createEvidenceWriter({ paths, db, actor: deps.actor, signal });
  deps.releaseSlot?.();
  const record = await writer.submit({ recordRunId: recordId, buildRecord: build, entries, place });
  return { record, parity, entries, notes, written: true };
}

/** A parity outcome without a comparison (no provenance, or nothing to compare): false, with the reason. */
const noParity = {
  shaParity: false,
  provSha: "",
  computedSha: "",
  digestAlg: "sha256" as const,
  subject: null,
  artifactPath: null,
  provenancePath: null,
  format: null,
};
