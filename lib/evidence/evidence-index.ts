import type { ManifestEntry } from "./manifest-entry";

/**
 * `_evidence_index.md` (DESIGN §3): one table row per manifest entry, in the manifest's order, so
 * the index a person reads and the manifest a tool reads never disagree. The one renderer: the
 * sample generator and the collector both write the index through it.
 */

// A pipe or a line break inside a cell would break the Markdown table.
const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");

/** Who retrieved an entry: one name for every row, or one per entry (a collection keeps earlier rows' names). */
export type RetrievedBy = string | ((entry: ManifestEntry) => string);

export function renderEvidenceIndex(
  event: string,
  entries: readonly ManifestEntry[],
  retrievedBy: RetrievedBy,
): string {
  const by = typeof retrievedBy === "string" ? () => retrievedBy : retrievedBy;
  const lines = [
    `# Evidence index — ${event}`,
    "",
    "Kept in step with `_manifest.json`: one row per evidence entry.",
    "",
    "| Type | Location | Retrieved At (UTC) | Retrieved By | Notes |",
    "|---|---|---|---|---|",
    ...entries.map(
      (e) =>
        `| ${e.evidence_type} | \`${cell(e.artifact_path)}\` | ${e.recorded_at_utc} | ${cell(by(e))} | ${cell(e.notes)} |`,
    ),
  ];
  return `${lines.join("\n")}\n`;
}

/** The key evidenceIndexRetrievers uses for a row: its type and location. */
export const evidenceRowKey = (entry: Pick<ManifestEntry, "evidence_type" | "artifact_path">) =>
  `${entry.evidence_type}\u0000${entry.artifact_path}`;

/**
 * "Retrieved By" of each row of an index this renderer wrote, by evidenceRowKey, so a rewrite
 * keeps who retrieved the entries it did not change. Rows it cannot read are left out.
 */
export function readEvidenceIndexRetrievers(text: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const line of text.split("\n")) {
    // Split on pipes not escaped by cell(): `| type | \`path\` | at | by | notes |`.
    const cells = line
      .split(/(?<!\\)\|/)
      .slice(1, -1)
      .map((c) => c.trim().replace(/\\\|/g, "|"));
    const [type, location, , by] = cells;
    if (cells.length !== 5 || !type || !location?.startsWith("`") || by === undefined) continue;
    found.set(`${type}\u0000${location.slice(1, -1)}`, by);
  }
  return found;
}
