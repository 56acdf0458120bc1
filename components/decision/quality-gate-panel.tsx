import type { GateOutcome, QualityGateResult } from "@/lib/observer/quality-gate";

/**
 * The quality gate's recommendation (DESIGN §6) with every reason. Outcome words and glyphs
 * carry the meaning; colour only repeats it (WCAG 1.4.1).
 */
const OUTCOME: Record<GateOutcome, { glyph: string; word: string; className: string }> = {
  pass: { glyph: "✓", word: "pass", className: "border-emerald-200 bg-emerald-50 text-emerald-800" },
  warn: { glyph: "!", word: "warn", className: "border-amber-300 bg-amber-50 text-amber-900" },
  fail: { glyph: "✕", word: "fail", className: "border-red-200 bg-red-50 text-red-800" },
  not_evaluated: { glyph: "–", word: "not evaluated", className: "border-zinc-300 bg-white text-zinc-600" },
};

export function GateBadge({ outcome, label }: { outcome: GateOutcome; label?: string }) {
  const { glyph, word, className } = OUTCOME[outcome];
  return (
    <span
      className={`inline-flex items-center gap-1 rounded border px-1.5 py-px text-xs whitespace-nowrap ${className}`}
    >
      <span aria-hidden="true">{glyph}</span>
      {label ?? word}
    </span>
  );
}

export function QualityGatePanel({ gate }: { gate: QualityGateResult }) {
  return (
    <div className="rounded border border-zinc-200 bg-white px-4 py-3" data-testid="quality-gate">
      <p className="flex items-center gap-2">
        <span className="font-medium text-zinc-900">Recommendation:</span>
        <GateBadge outcome={gate.status} label={gate.status.toUpperCase()} />
        <span className="text-zinc-600">
          computed now; recomputed on the server when a decision is recorded
        </span>
      </p>
      <ul className="mt-2 space-y-1" aria-label="Quality gate reasons">
        {gate.reasons.map((reason) => (
          <li key={reason.check} className="flex items-start gap-2">
            <GateBadge outcome={reason.outcome} />
            <span className="text-zinc-800">{reason.message}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}
