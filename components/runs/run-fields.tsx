import type { RunRecord } from "@/lib/evidence/run-record";
import { formatDuration, formatUtc } from "@/components/ui/format";

/** Every field of the run record (DESIGN §3), named as on disk, required ones first. */
const FIELDS: readonly (keyof RunRecord)[] = [
  "run_id",
  "status",
  "sha_parity",
  "trigger_mode",
  "source",
  "retries",
  "retry_origin",
  "retry_exhausted",
  "run_started_at_utc",
  "run_completed_at_utc",
  "duration_sec",
  "window_days",
  "prov_sha",
  "computed_sha",
  "head_sha",
  "workflow_name",
  "branch",
  "supabase_response_code",
  "observer_run_id",
  "observer_notes",
];

function Value({ field, value }: { field: keyof RunRecord; value: unknown }) {
  if (value === undefined) return <span className="text-zinc-400 italic">not recorded</span>;
  if (value === null) return <span className="font-mono text-zinc-500">null</span>;
  if (value === "") return <span className="text-zinc-400 italic">empty</span>;
  if (typeof value === "boolean") return <span className="font-mono">{String(value)}</span>;
  if (field.endsWith("_utc") && typeof value === "string") {
    return (
      <time dateTime={value} className="font-mono">
        {formatUtc(value)}
      </time>
    );
  }
  if (field === "duration_sec" && typeof value === "number") {
    return (
      <span className="font-mono">
        {value} <span className="font-sans text-zinc-500">({formatDuration(value)})</span>
      </span>
    );
  }
  if (field === "observer_notes") return <span className="whitespace-pre-wrap">{String(value)}</span>;
  return <span className="font-mono break-all">{String(value)}</span>;
}

export function RunFields({ run }: { run: RunRecord }) {
  return (
    <dl className="grid grid-cols-[minmax(10rem,max-content)_1fr] rounded border border-zinc-200 bg-white text-sm">
      {FIELDS.map((field) => (
        <div key={field} className="contents">
          <dt className="border-b border-zinc-100 px-3 py-1.5 font-mono text-xs leading-5 text-zinc-500">
            {field}
          </dt>
          <dd className="min-w-0 border-b border-zinc-100 px-3 py-1.5 text-zinc-900">
            <Value field={field} value={run[field]} />
          </dd>
        </div>
      ))}
    </dl>
  );
}
