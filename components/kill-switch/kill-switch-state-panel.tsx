import { formatUtc } from "@/components/ui/format";
import type { KillSwitchStatus } from "@/lib/control/kill-switch";

const LOOK = {
  armed: { label: "Armed", glyph: "●", className: "border-emerald-300 bg-emerald-50 text-emerald-900" },
  engaged: { label: "Engaged", glyph: "■", className: "border-red-300 bg-red-50 text-red-900" },
  released: { label: "Released", glyph: "●", className: "border-emerald-300 bg-emerald-50 text-emerald-900" },
} as const;

/** The switch's state and who set it, when and why. */
export function KillSwitchStatePanel({ status }: { status: KillSwitchStatus }) {
  const look = LOOK[status.state];
  const never = status.state === "armed" && status.changedBy === null;
  return (
    <div className={`max-w-2xl rounded border px-4 py-3 ${look.className}`} data-testid="kill-switch-state">
      <p className="flex items-center gap-2 text-base font-semibold">
        <span aria-hidden="true">{look.glyph}</span>
        {look.label}
      </p>
      {never ? (
        <p className="mt-1">Never engaged: the loop runs and every change is allowed.</p>
      ) : (
        <dl className="mt-2 grid grid-cols-[auto_1fr] gap-x-3 gap-y-1">
          <dt className="opacity-80">By</dt>
          <dd>{status.changedBy ?? "unknown"}</dd>
          <dt className="opacity-80">When</dt>
          <dd>
            <time dateTime={status.changedAt}>{formatUtc(status.changedAt)}</time>
          </dd>
          <dt className="opacity-80">Why</dt>
          <dd className="break-words">{status.reason ?? "no reason given"}</dd>
        </dl>
      )}
    </div>
  );
}
