import Link from "next/link";
import type { ManifestEntry } from "@/lib/evidence/manifest-entry";
import { ParityBadge } from "@/components/ui/badges";
import { formatUtc } from "@/components/ui/format";

const th =
  "border-b border-zinc-200 px-3 py-2 text-left text-xs font-semibold text-zinc-600 whitespace-nowrap";
const td = "border-b border-zinc-100 px-3 py-1.5 align-top";

/**
 * Evidence entries of _manifest.json. `linkRuns` holds the run ids that have a detail page, so a
 * link never leads to a 404 for evidence recorded before its run was imported.
 */
export function ManifestTable({
  entries,
  caption,
  linkRuns,
  showRunId = true,
  eventDir,
}: {
  entries: readonly ManifestEntry[];
  caption: string;
  linkRuns?: ReadonlySet<string>;
  showRunId?: boolean;
  /** The event folder (repo-relative): paths inside it are shown from there, the rest in full. */
  eventDir: string;
}) {
  const prefix = `${eventDir}/`;
  return (
    <div className="overflow-x-auto rounded border border-zinc-200 bg-white">
      <table className="w-full border-collapse text-sm">
        <caption className="sr-only">{caption}</caption>
        <thead className="bg-zinc-50">
          <tr>
            {showRunId ? (
              <th scope="col" className={th}>
                Run id
              </th>
            ) : null}
            <th scope="col" className={th}>
              Type
            </th>
            <th scope="col" className={th}>
              Path <span className="font-normal text-zinc-500">(under {eventDir}/)</span>
            </th>
            <th scope="col" className={th}>
              Recorded at (UTC)
            </th>
            <th scope="col" className={th}>
              Parity
            </th>
            <th scope="col" className={th}>
              Notes
            </th>
          </tr>
        </thead>
        <tbody>
          {entries.map((entry) => (
            <tr key={`${entry.run_id}/${entry.evidence_type}`} className="hover:bg-zinc-50">
              {showRunId ? (
                <td className={`${td} whitespace-nowrap`}>
                  {linkRuns?.has(entry.run_id) ? (
                    <Link
                      href={`/runs/${encodeURIComponent(entry.run_id)}`}
                      className="font-mono text-[13px] text-accent-700 underline-offset-2 hover:underline"
                    >
                      {entry.run_id}
                    </Link>
                  ) : (
                    <span className="font-mono text-[13px]">{entry.run_id}</span>
                  )}
                </td>
              ) : null}
              <td className={`${td} whitespace-nowrap`}>{entry.evidence_type}</td>
              <td className={`${td} font-mono text-xs text-zinc-700`}>
                <PathText
                  path={
                    entry.artifact_path.startsWith(prefix)
                      ? entry.artifact_path.slice(prefix.length)
                      : entry.artifact_path
                  }
                />
              </td>
              <td className={`${td} font-mono text-xs whitespace-nowrap text-zinc-700`}>
                <time dateTime={entry.recorded_at_utc}>{formatUtc(entry.recorded_at_utc)}</time>
              </td>
              <td className={`${td} whitespace-nowrap`}>
                <ParityBadge parity={entry.sha_parity} />
              </td>
              <td className={`${td} min-w-40 text-zinc-700`}>{entry.notes || "—"}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** A path that wraps only after a slash, never inside a name (not even at a hyphen). */
function PathText({ path }: { path: string }) {
  const parts = path.split("/");
  return (
    <span className="break-words">
      {parts.map((part, i) => (
        <span key={i}>
          <span className="whitespace-nowrap">{i < parts.length - 1 ? `${part}/` : part}</span>
          {i < parts.length - 1 ? <wbr /> : null}
        </span>
      ))}
    </span>
  );
}
