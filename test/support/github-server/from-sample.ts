import { promises as fs } from "node:fs";
import path from "node:path";
import { readRunsSummary } from "../../../lib/evidence/runs-summary";
import type { RunRecord } from "../../../lib/evidence/run-record";
import type { ArtifactInput, RunInput } from "./state";

const EVENTS: Record<string, string> = {
  manual_dispatch: "workflow_dispatch",
  scheduled: "schedule",
  retry: "workflow_dispatch",
};

/**
 * The server's runs and artifacts from a sample event folder (lib/sample), so the demo serves the
 * same event the dashboard shows: runs from RUNS_SUMMARY.json, and each file under
 * artifacts/<run_id>/raw/ as one artifact (a zip holding that file), as a collector would find them.
 */
export async function loadSampleEventState(
  eventDir: string,
): Promise<{ runs: RunInput[]; artifacts: ArtifactInput[] }> {
  const records = await readRunsSummary(path.join(eventDir, "RUNS_SUMMARY.json"));
  const runs = records.map(toRunInput);
  const artifacts: ArtifactInput[] = [];
  for (const record of records) {
    const raw = path.join(eventDir, "artifacts", record.run_id, "raw");
    const names = await fs.readdir(raw).catch((error: NodeJS.ErrnoException) => {
      if (error.code === "ENOENT") return [];
      throw error;
    });
    for (const name of names.sort()) {
      const content = await fs.readFile(path.join(raw, name));
      artifacts.push({ runId: record.run_id, name, files: { [name]: content } });
    }
  }
  return { runs, artifacts };
}

function toRunInput(record: RunRecord): RunInput {
  const workflow = record.workflow_name ?? "phase4-auto-audit";
  const failed = record.status === "failure";
  return {
    id: record.run_id,
    title: `${workflow} ${record.trigger_mode}`,
    workflowFile: `${workflow}.yml`,
    workflowName: workflow,
    event: EVENTS[record.trigger_mode] ?? record.trigger_mode,
    status: "completed",
    conclusion: record.status,
    headSha: record.head_sha,
    branch: record.branch ?? "main",
    createdAt: record.run_started_at_utc,
    runStartedAt: record.run_started_at_utc,
    updatedAt: record.run_completed_at_utc,
    jobs: [
      {
        name: "audit",
        steps: [{ name: "Set up job" }, { name: "Collect evidence" }, { name: "Compare SHA-256" }],
        annotations:
          failed && record.observer_notes ? [{ level: "failure", message: record.observer_notes }] : [],
      },
    ],
  };
}
