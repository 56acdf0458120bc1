import path from "node:path";
import type { Settings } from "./settings";

/** The repository root: the CLI and the server both run from it (npm scripts, .sh wrappers). */
export function getRepoRoot(): string {
  return process.env.AUDITLOOP_ROOT ?? process.cwd();
}

/** Every file of an event folder (DESIGN §3), absolute. */
export interface EventPaths {
  event: string;
  root: string;
  dir: string;
  runsSummary: string;
  manifest: string;
  manifestTemplate: string;
  phase3Summary: string;
  observerSummary: string;
  evidenceIndex: string;
  slackExcerpts: string;
  artifacts: string;
}

export function getEventPaths(
  settings: Pick<Settings, "AUDIT_EVENT" | "AUDIT_REPORTS_ROOT">,
  root = getRepoRoot(),
): EventPaths {
  const dir = path.resolve(root, settings.AUDIT_REPORTS_ROOT, settings.AUDIT_EVENT);
  return {
    event: settings.AUDIT_EVENT,
    root,
    dir,
    runsSummary: path.join(dir, "RUNS_SUMMARY.json"),
    manifest: path.join(dir, "_manifest.json"),
    manifestTemplate: path.join(dir, "_manifest.json.template"),
    phase3Summary: path.join(dir, "PHASE3_AUDIT_SUMMARY.md"),
    observerSummary: path.join(dir, "AUTO_OBSERVER_SUMMARY.md"),
    evidenceIndex: path.join(dir, "_evidence_index.md"),
    slackExcerpts: path.join(dir, "slack_excerpts"),
    artifacts: path.join(dir, "artifacts"),
  };
}

/** A path relative to the repository root with forward slashes, as the manifest stores it. */
export function toRepoRelative(absolute: string, root = getRepoRoot()): string {
  return path.relative(root, absolute).split(path.sep).join("/");
}
