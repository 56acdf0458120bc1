import { formatUtc } from "@/components/ui/format";
import type { KillSwitchEvent } from "@/lib/control/kill-switch-history";
import { TableHead } from "@/components/ui/table-head";

const ACTION: Record<KillSwitchEvent["action"], string> = {
  engage: "Engaged",
  release: "Released",
  step: "Engage step",
  check: "Release refused",
};

/** One line about an event's detail: a step's outcome, or the checks that failed. */
function describe(event: KillSwitchEvent): string {
  const d = event.detail;
  if (event.action === "step")
    return `${String(d.title ?? d.id ?? "")}: ${String(d.status ?? "")} — ${String(d.detail ?? "")}`;
  const checks = Array.isArray(d.checks) ? (d.checks as { id?: string; status?: string }[]) : [];
  if (event.action === "check")
    return `failed: ${
      checks
        .filter((c) => c.status === "fail")
        .map((c) => c.id)
        .join(", ") || "none"
    }`;
  if (event.action === "release") return checks.map((c) => `${c.id} ${c.status}`).join(", ");
  return d.rollback_manifest ? "manifest rollback asked" : "";
}

/** kill_switch_events, newest first: who did what, when and why. */
export function KillSwitchHistory({ events }: { events: KillSwitchEvent[] }) {
  if (events.length === 0) return <p className="text-zinc-600">The kill switch has never been engaged.</p>;
  return (
    <div className="overflow-x-auto rounded border border-zinc-200 bg-white">
      <table className="w-full text-left">
        <caption className="sr-only">Kill switch history, newest first</caption>
        <TableHead columns={["When (UTC)", "Event", "Who", "Reason", "Detail"]} />
        <tbody className="divide-y divide-zinc-100">
          {events.map((event) => (
            <tr key={event.id} className={event.action === "step" ? "text-zinc-600" : ""}>
              <td className="px-3 py-1.5 font-mono text-xs whitespace-nowrap">{formatUtc(event.at)}</td>
              <td className="px-3 py-1.5 whitespace-nowrap">{ACTION[event.action]}</td>
              <td className="px-3 py-1.5">{event.actor}</td>
              <td className="max-w-xs px-3 py-1.5 break-words">
                {event.action === "step" ? "" : (event.reason ?? "")}
              </td>
              <td className="max-w-md px-3 py-1.5 font-mono text-xs break-words">{describe(event)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
