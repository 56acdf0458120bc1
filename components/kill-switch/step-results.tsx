import type { StepResult } from "@/lib/control/kill-switch-engage";
import type { RestartCheck } from "@/lib/control/restart-checks";

/** Glyph and word beside the colour (WCAG 1.4.1), as the other badges do. */
const LOOK = {
  done: { glyph: "✓", className: "border-emerald-200 bg-emerald-50 text-emerald-800" },
  pass: { glyph: "✓", className: "border-emerald-200 bg-emerald-50 text-emerald-800" },
  failed: { glyph: "✕", className: "border-red-200 bg-red-50 text-red-800" },
  fail: { glyph: "✕", className: "border-red-200 bg-red-50 text-red-800" },
  skipped: { glyph: "–", className: "border-zinc-300 bg-zinc-100 text-zinc-700" },
} as const;

function Outcome({ status }: { status: keyof typeof LOOK }) {
  const { glyph, className } = LOOK[status];
  return (
    <span
      className={`inline-flex w-20 shrink-0 items-center gap-1 rounded border px-1.5 py-px text-xs leading-4 ${className}`}
    >
      <span aria-hidden="true">{glyph}</span>
      {status}
    </span>
  );
}

function OutcomeList({
  label,
  items,
}: {
  label: string;
  items: { id: string; title: string; status: keyof typeof LOOK; detail: string }[];
}) {
  return (
    <ul aria-label={label} className="space-y-1.5">
      {items.map((item) => (
        <li key={item.id} className="flex items-start gap-2">
          <Outcome status={item.status} />
          <span className="min-w-0">
            <span className="font-medium text-zinc-900">{item.title}</span>
            <span className="block font-mono text-xs break-words text-zinc-600">{item.detail}</span>
          </span>
        </li>
      ))}
    </ul>
  );
}

/** The engage sequence's results, one line per step (DESIGN §7). */
export function StepResults({ steps, label = "Engage steps" }: { steps: StepResult[]; label?: string }) {
  return <OutcomeList label={label} items={steps} />;
}

/** The restart checks' results, one line per check. */
export function RestartCheckResults({
  checks,
  label = "Restart checks",
}: {
  checks: RestartCheck[];
  label?: string;
}) {
  return <OutcomeList label={label} items={checks} />;
}
