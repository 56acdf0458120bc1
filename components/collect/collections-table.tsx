import Link from "next/link";
import { ParityBadge } from "@/components/ui/badges";
import { formatBytes, formatUtc } from "@/components/ui/format";
import type { CollectionRecord } from "@/lib/collect/collections-store";
import type { CollectPhase } from "@/lib/collect/types";
import { CollectionProgress } from "./collection-progress";

const th =
  "border-b border-zinc-200 px-3 py-2 text-left text-xs font-semibold text-zinc-600 whitespace-nowrap";
const td = "border-b border-zinc-100 px-3 py-1.5 align-top";

// A word and a glyph for every state: the colour is never the only signal (WCAG 1.4.1).
const STATE: Record<CollectPhase, { glyph: string; className: string }> = {
  queued: { glyph: "·", className: "text-zinc-600" },
  downloading: { glyph: "↓", className: "text-accent-700" },
  extracting: { glyph: "⇲", className: "text-accent-700" },
  comparing: { glyph: "≟", className: "text-accent-700" },
  done: { glyph: "✓", className: "text-emerald-800" },
  failed: { glyph: "✕", className: "text-red-800" },
  refused: { glyph: "⊘", className: "text-red-800" },
};

export function CollectionState({ state }: { state: CollectPhase }) {
  const { glyph, className } = STATE[state];
  return (
    <span className={`whitespace-nowrap ${className}`}>
      <span aria-hidden="true">{glyph} </span>
      {state}
    </span>
  );
}

/**
 * Collections, newest first: one row per artifact per collection, with the download's progress,
 * the parity it found and the error when it failed. `showRun` adds the run column (the Collect
 * view); a run detail leaves it out and shows the zip digest instead.
 */
export function CollectionsTable({
  rows,
  caption,
  showRun,
}: {
  rows: readonly CollectionRecord[];
  caption: string;
  showRun: boolean;
}) {
  return (
    <div className="overflow-x-auto rounded border border-zinc-200 bg-white">
      <table className="w-full border-collapse text-sm">
        <caption className="sr-only">{caption}</caption>
        <thead className="bg-zinc-50">
          <tr>
            {showRun ? (
              <th scope="col" className={th}>
                Run
              </th>
            ) : null}
            <th scope="col" className={th}>
              Artifact
            </th>
            <th scope="col" className={th}>
              State
            </th>
            <th scope="col" className={th}>
              Bytes
            </th>
            <th scope="col" className={th}>
              Parity
            </th>
            {showRun ? null : (
              <th scope="col" className={th}>
                Digest (zip)
              </th>
            )}
            <th scope="col" className={th}>
              Started (UTC)
            </th>
            <th scope="col" className={th}>
              Who
            </th>
            <th scope="col" className={th}>
              Error
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => {
            const artifact = row.artifactName ?? "(no artifacts)";
            return (
              <tr key={row.id} data-collection-id={row.id}>
                {showRun ? (
                  <td className={`${td} whitespace-nowrap`}>
                    <Link
                      href={`/runs/${encodeURIComponent(row.runId)}`}
                      className="font-mono text-[13px] text-accent-700 underline-offset-2 hover:underline"
                    >
                      {row.runId}
                    </Link>
                    {row.runAttempt > 1 ? (
                      <span className="ml-1 text-xs text-zinc-500">attempt {row.runAttempt}</span>
                    ) : null}
                  </td>
                ) : null}
                <td className={`${td} min-w-40 break-words`}>
                  <span className="font-mono text-xs">{artifact}</span>
                  {row.dryRun ? (
                    <span className="ml-2 rounded border border-zinc-300 px-1 text-xs text-zinc-600">
                      dry run
                    </span>
                  ) : null}
                </td>
                <td className={td}>
                  <CollectionState state={row.state} />
                </td>
                <td className={td}>
                  <CollectionProgress row={row} label={`Run ${row.runId}, ${artifact}`} />
                </td>
                <td className={td}>
                  {row.shaParity === null ? (
                    <span className="text-zinc-500">—</span>
                  ) : (
                    <ParityBadge parity={row.shaParity} />
                  )}
                </td>
                {showRun ? null : (
                  <td className={`${td} font-mono text-xs`} title={row.zipDigest ?? undefined}>
                    {row.zipDigest ? `${row.zipDigest.slice(0, 12)}…` : "—"}
                    {row.size !== null ? (
                      <span className="block text-zinc-500">{formatBytes(row.size)}</span>
                    ) : null}
                  </td>
                )}
                <td className={`${td} font-mono text-xs whitespace-nowrap`}>{formatUtc(row.startedAt)}</td>
                <td className={`${td} text-xs`}>{row.actor}</td>
                <td className={`${td} max-w-sm text-xs break-words text-red-800`}>{row.error ?? ""}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
