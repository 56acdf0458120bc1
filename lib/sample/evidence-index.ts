import type { ManifestEntry } from "../evidence/manifest-entry";

/**
 * `_evidence_index.md` (DESIGN §3): one table row per manifest entry, in the manifest's order, so
 * the index a person reads and the manifest a tool reads never disagree.
 */

// A pipe or a line break inside a cell would break the Markdown table.
const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");

export function renderEvidenceIndex(
  event: string,
  entries: readonly ManifestEntry[],
  retrievedBy: string,
): string {
  const lines = [
    `# Evidence index — ${event}`,
    "",
    "Kept in step with `_manifest.json`: one row per evidence entry.",
    "",
    "| Type | Location | Retrieved At (UTC) | Retrieved By | Notes |",
    "|---|---|---|---|---|",
    ...entries.map(
      (e) =>
        `| ${e.evidence_type} | \`${cell(e.artifact_path)}\` | ${e.recorded_at_utc} | ${cell(retrievedBy)} | ${cell(e.notes)} |`,
    ),
  ];
  return `${lines.join("\n")}\n`;
}
