import type { RunStatus } from "@/lib/evidence/run-record";

/**
 * Status and parity always carry a word and a glyph beside the colour (WCAG 1.4.1), so they read
 * the same in greyscale and to a screen reader.
 */
const STATUS: Record<RunStatus, { glyph: string; className: string }> = {
  success: { glyph: "✓", className: "border-emerald-200 bg-emerald-50 text-emerald-800" },
  failure: { glyph: "✕", className: "border-red-200 bg-red-50 text-red-800" },
  cancelled: { glyph: "–", className: "border-zinc-300 bg-zinc-100 text-zinc-700" },
};

const base = "inline-flex items-center gap-1 rounded border px-1.5 py-px text-xs leading-4 whitespace-nowrap";

export function StatusBadge({ status }: { status: RunStatus }) {
  const { glyph, className } = STATUS[status];
  return (
    <span className={`${base} ${className}`}>
      <span aria-hidden="true">{glyph}</span>
      {status}
    </span>
  );
}

export function ParityBadge({ parity }: { parity: boolean | "unknown" }) {
  if (parity === "unknown") {
    return (
      <span className={`${base} border-zinc-300 bg-white text-zinc-600`}>
        <span aria-hidden="true">?</span>unknown
      </span>
    );
  }
  return parity ? (
    <span className={`${base} border-emerald-200 bg-emerald-50 text-emerald-800`}>
      <span aria-hidden="true">=</span>match
    </span>
  ) : (
    <span className={`${base} border-amber-300 bg-amber-50 text-amber-900`}>
      <span aria-hidden="true">≠</span>mismatch
    </span>
  );
}

export function OkBadge({ ok, yes = "ok", no = "failed" }: { ok: boolean; yes?: string; no?: string }) {
  return (
    <span className={`${base} ${ok ? STATUS.success.className : STATUS.failure.className}`}>
      <span aria-hidden="true">{ok ? "✓" : "✕"}</span>
      {ok ? yes : no}
    </span>
  );
}
