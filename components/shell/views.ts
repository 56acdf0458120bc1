/**
 * Every view of the console (DESIGN §1, §12), in navigation order. Views whose issue has not
 * landed yet name it, so the shell shows the whole product from the first day.
 */
export interface View {
  href: string;
  label: string;
  group: "Evidence" | "Observe" | "Control" | "Operate";
  /** Set while the view is a placeholder: the issue that brings it. */
  arrivesWith?: "observer" | "GitHub collection";
  summary: string;
}

export const VIEWS: readonly View[] = [
  {
    href: "/runs",
    label: "Runs",
    group: "Evidence",
    summary: "Every run of RUNS_SUMMARY.json: status, SHA parity, retries, duration; filter, sort, open one.",
  },
  {
    href: "/evidence",
    label: "Evidence",
    group: "Evidence",
    summary: "The _manifest.json entries, its integrity check and the backups a rollback restores.",
  },
  {
    href: "/kpis",
    label: "KPIs",
    group: "Observe",
    summary:
      "Live KPIs over window_days: success rate, SHA parity pass rate, retry invocations and their success " +
      "rate, retries exhausted, p50/p90 latency, observer lag and self-heal time, with hourly and daily charts " +
      "and the quality gate's pass / warn / fail and every reason.",
  },
  {
    href: "/checklist",
    label: "Checklist",
    group: "Control",
    summary:
      "The handbook's twelve steps in running order, each with its role, who ticked it and when. Steps the " +
      "system can verify (secrets check, manifest check, observer run, …) tick themselves from the evidence.",
  },
  {
    href: "/decision",
    label: "Go/No-Go",
    group: "Control",
    summary:
      "The reviewer records Go or No-Go beside the quality gate's recommendation; overriding a failing gate " +
      "needs a written rationale. The decision is written to PHASE3_AUDIT_SUMMARY.md and the audit log.",
  },
  {
    href: "/kill-switch",
    label: "Kill switch",
    group: "Control",
    summary:
      "The incident commander engages it with a reason: in-flight work stops, the auto-audit workflow is " +
      "disabled and its runs cancelled, the manifest can roll back, a masked Slack status is posted. Release " +
      "requires the restart checks.",
  },
  {
    href: "/secrets",
    label: "Secrets",
    group: "Operate",
    summary:
      "Checks that the required secrets are present and notes the recommended ones, without ever showing a " +
      "value; the result feeds checklist step 1 and the kill switch's restart checks.",
  },
  {
    href: "/collect",
    label: "Collect",
    group: "Operate",
    summary:
      "Operators collect a run's artifacts from GitHub Actions (dry-run first with a sample run id), check " +
      "each artifact's SHA-256 against its provenance in one streaming pass, and record the evidence in " +
      "_manifest.json atomically. Re-runs follow the retry policy.",
  },
];

export function getView(href: string): View {
  const view = VIEWS.find((v) => v.href === href);
  if (!view) throw new Error(`No view is registered for ${href} (components/shell/views.ts)`);
  return view;
}
