"use client";

import { formatDuration, formatUtc } from "@/components/ui/format";
import type { SelfHealAttempt } from "@/lib/collect/self-heal-store";
import { useSelfHealAttemptsQuery } from "./self-heal-attempts-query";

const th =
  "border-b border-zinc-200 px-3 py-2 text-left text-xs font-semibold text-zinc-600 whitespace-nowrap";
const td = "border-b border-zinc-100 px-3 py-1.5 align-top";

const KIND: Record<SelfHealAttempt["kind"], string> = {
  "parity-redownload": "download again (parity)",
  "rerun-failed-jobs": "re-run failed jobs",
};

function HealTime({ attempt }: { attempt: SelfHealAttempt }) {
  if (attempt.healSec === null) return <span className="text-zinc-500">—</span>;
  // The database decides against HEAL_OBJECTIVE_SEC when it records the heal time.
  const within = attempt.withinObjective === true;
  return (
    <span className={within ? "text-emerald-800" : "text-red-800"}>
      {formatDuration(attempt.healSec)} <span aria-hidden="true">{within ? "✓" : "✕"}</span>
      {within ? " within 24 h" : " over 24 h"}
    </span>
  );
}

/** A run's self-heal attempts, live: why each was made, what came of it, and the heal time against 24 h. */
export function SelfHealTable({ runId, initial }: { runId: string; initial: SelfHealAttempt[] }) {
  const { data } = useSelfHealAttemptsQuery(runId, initial);
  if (data.length === 0) {
    return (
      <p className="text-zinc-600">
        No self-heal attempt: nothing needed healing, or it has not been collected.
      </p>
    );
  }
  return (
    <div className="overflow-x-auto rounded border border-zinc-200 bg-white">
      <table className="w-full border-collapse text-sm">
        <caption className="sr-only">{`Self-heal attempts of run ${runId}`}</caption>
        <thead className="bg-zinc-50">
          <tr>
            {[
              "Requested (UTC)",
              "Attempt",
              "What",
              "Why",
              "Outcome",
              "Time to heal (objective 24 h)",
              "Who",
            ].map((label) => (
              <th key={label} scope="col" className={th}>
                {label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {data.map((attempt) => (
            <tr key={attempt.id}>
              <td className={`${td} font-mono text-xs whitespace-nowrap`}>
                {formatUtc(attempt.requestedAt)}
              </td>
              <td className={`${td} tabular-nums`}>{attempt.attempt} of 3</td>
              <td className={`${td} whitespace-nowrap`}>{KIND[attempt.kind]}</td>
              <td className={`${td} max-w-md text-xs break-words`}>{attempt.decidedBecause}</td>
              <td className={td}>{attempt.outcome}</td>
              <td className={`${td} whitespace-nowrap`}>
                <HealTime attempt={attempt} />
              </td>
              <td className={`${td} text-xs`}>{attempt.actor}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
