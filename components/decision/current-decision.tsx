import { formatUtc } from "@/components/ui/format";
import { decisionLabel, type DecisionRecord, type DecisionStatus } from "@/lib/control/decisions-store";

/** The decision that counts, or the go waiting for its second reviewer, said plainly. */
export function CurrentDecision({
  status,
  twoReviewerRule,
}: {
  status: DecisionStatus;
  twoReviewerRule: boolean;
}) {
  const { latest, standing } = status;
  if (!latest) {
    return (
      <p
        className="rounded border border-dashed border-zinc-300 bg-white px-4 py-3 text-zinc-700"
        data-testid="current-decision"
      >
        No Go/No-Go decision recorded yet.
        {twoReviewerRule ? " A go needs two different reviewers (AUDIT_GO_REQUIRES_TWO_REVIEWERS)." : ""}
      </p>
    );
  }
  return (
    <div className="rounded border border-zinc-200 bg-white px-4 py-3" data-testid="current-decision">
      {status.awaitingSecondReviewer ? (
        <>
          <p className="font-medium text-amber-900">
            <span aria-hidden="true">⏳ </span>
            {decisionLabel(latest.decision)} awaiting a second reviewer
          </p>
          <p className="mt-1 text-zinc-700">
            {who(latest)}. It counts once a different reviewer records go next; any other decision in between
            starts over.
          </p>
          <p className="mt-1 text-zinc-700">
            {standing
              ? `Standing decision until then: ${decisionLabel(standing.decision)} (decision #${standing.id}).`
              : "No decision stands until then."}
          </p>
        </>
      ) : (
        <>
          <p className="text-base font-semibold text-zinc-900">
            Current decision: {decisionLabel(latest.decision)}
          </p>
          <p className="mt-1 text-zinc-700">
            {who(latest)}
            {latest.confirms !== null
              ? ` — confirms the go of decision #${latest.confirms}: two reviewers.`
              : "."}
          </p>
        </>
      )}
      {latest.rationale ? (
        <p className="mt-2 whitespace-pre-wrap text-zinc-800">
          <span className="font-medium">Rationale: </span>
          {latest.rationale}
        </p>
      ) : null}
    </div>
  );
}

function who(d: DecisionRecord): string {
  return `Decision #${d.id} by ${d.decidedBy} at ${formatUtc(d.decidedAt)}, gate ${d.gateStatus}${d.override ? " (overridden)" : ""}`;
}
