import type { Actor } from "@/lib/control/roles";
import type { KillSwitchStatus } from "@/lib/control/kill-switch";
import { formatUtc } from "@/components/ui/format";

/**
 * Why the controls on a control-room page are there or not: the kill switch, no session, or a
 * role that only watches. The UI only hides; the server refuses whatever is sent anyway.
 */
export function ControlNotice({
  actor,
  killSwitch,
  canAct,
  acting,
  watching,
}: {
  actor: Actor | null;
  killSwitch: KillSwitchStatus;
  canAct: boolean;
  acting: string;
  watching: string;
}) {
  if (killSwitch.state === "engaged") {
    return (
      <p role="note" className="mb-3 rounded border border-red-300 bg-red-50 px-3 py-2 text-red-900">
        Changes are refused while the kill switch is engaged (by {killSwitch.changedBy ?? "unknown"} at{" "}
        {formatUtc(killSwitch.changedAt)}: {killSwitch.reason ?? "no reason given"}).
      </p>
    );
  }
  const text = !actor
    ? "Sign in to make changes; this view is read-only without a session."
    : canAct
      ? acting
      : `Signed in as ${actor.role}: read-only here. ${watching}`;
  return <p className="mb-3 text-zinc-600">{text}</p>;
}
