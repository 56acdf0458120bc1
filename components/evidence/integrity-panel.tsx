import type { ManifestCheckReport } from "@/lib/evidence/manifest";
import { OkBadge } from "@/components/ui/badges";
import { formatCount } from "@/components/ui/format";
import { Command } from "@/components/ui/panels";

/** The result of the manifest's integrity check (DESIGN §3 `--check`), as the CLI reports it. */
export function IntegrityPanel({ check, command }: { check: ManifestCheckReport; command: string }) {
  return (
    <div
      className={`rounded border px-4 py-3 ${check.ok ? "border-zinc-200 bg-white" : "border-red-300 bg-red-50"}`}
      data-testid="integrity-check"
    >
      <p className="flex flex-wrap items-center gap-2">
        <OkBadge ok={check.ok} yes="Integrity check passed" no="Integrity check failed" />
        <span className="text-zinc-700">
          <code className="text-[13px]">{check.file}</code> ·{" "}
          {formatCount(check.entryCount, "entry", "entries")}
          {check.ok ? " · strict JSON, no duplicate keys, schema valid, one entry per run and type" : null}
        </span>
      </p>
      {check.ok ? null : (
        <>
          <h3 className="mt-3 text-xs font-semibold text-red-900">
            {formatCount(check.problems.length, "problem")}
          </h3>
          <ul className="mt-1 list-disc space-y-1 pl-5 font-mono text-xs text-red-900">
            {check.problems.map((problem) => (
              <li key={problem} className="break-words">
                {problem}
              </li>
            ))}
          </ul>
        </>
      )}
      <p className="mt-3 mb-1 text-xs text-zinc-600">Run the same check from a terminal:</p>
      <Command>{command}</Command>
    </div>
  );
}
