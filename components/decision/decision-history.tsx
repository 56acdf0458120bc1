import { formatUtc } from "@/components/ui/format";
import { decisionLabel, type DecisionRecord } from "@/lib/control/decisions-store";
import { GateBadge } from "./quality-gate-panel";
import { TableHead } from "@/components/ui/table-head";

/** Every decision, newest first. Decisions are never edited: each one supersedes the one before. */
export function DecisionHistory({ history }: { history: readonly DecisionRecord[] }) {
  if (history.length === 0) return <p className="text-zinc-600">No decisions yet.</p>;
  return (
    <div className="overflow-x-auto rounded border border-zinc-200 bg-white">
      <table className="w-full border-collapse text-left text-sm">
        <caption className="sr-only">Go/No-Go decisions, newest first</caption>
        <TableHead
          columns={["#", "Decision", "State", "Gate", "By · when (UTC)", "Rationale", "Supersedes"]}
        />
        <tbody>
          {history.map((d) => (
            <tr key={d.id} className="border-b border-zinc-100 align-top last:border-0">
              <th scope="row" className="px-3 py-2 font-mono tabular-nums text-zinc-700">
                {d.id}
              </th>
              <td className="px-3 py-2 font-medium text-zinc-900">{decisionLabel(d.decision)}</td>
              <td className="px-3 py-2 text-zinc-700">
                {d.state === "awaiting_second_reviewer"
                  ? "awaiting second reviewer"
                  : d.confirms !== null
                    ? `effective (confirms #${d.confirms})`
                    : "effective"}
              </td>
              <td className="px-3 py-2">
                <GateBadge
                  outcome={d.gateStatus}
                  label={`${d.gateStatus}${d.override ? " · overridden" : ""}`}
                />
              </td>
              <td className="px-3 py-2 text-zinc-700">
                <span className="block">{d.decidedBy}</span>
                <span className="block text-xs text-zinc-500">{formatUtc(d.decidedAt)}</span>
              </td>
              <td className="max-w-md px-3 py-2 whitespace-pre-wrap text-zinc-800">{d.rationale}</td>
              <td className="px-3 py-2 font-mono text-zinc-600">
                {d.supersedes === null ? "–" : `#${d.supersedes}`}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
