"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition, type FormEvent } from "react";
import type { GateStatus } from "@/lib/observer/quality-gate";
import { recordDecision } from "@/lib/web/actions/record-decision";

/**
 * The reviewer's form. It shows the rules (rationale for no-go and for an override) but decides
 * nothing: the server recomputes the gate and refuses what the rules refuse, and its answer is
 * announced in the live region.
 */
export function DecisionForm({
  gateStatus,
  twoReviewerRule,
}: {
  gateStatus: GateStatus;
  twoReviewerRule: boolean;
}) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [decision, setDecision] = useState<"go" | "no_go">("no_go");
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const gateFails = gateStatus === "fail";

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    startTransition(async () => {
      const result = await recordDecision({
        decision,
        rationale: String(data.get("rationale") ?? ""),
        override: data.get("override") === "on",
      });
      if (!result.ok) {
        setMessage({ ok: false, text: `Not recorded: ${result.error}` });
        return;
      }
      const d = result.data.decision;
      const label = d.decision === "go" ? "GO" : "NO-GO";
      const state = d.state === "awaiting_second_reviewer" ? ", awaiting a second reviewer" : "";
      const warnings = result.data.warnings.join(" ");
      setMessage({
        ok: warnings === "",
        text: `Recorded decision #${d.id}: ${label}${state} (gate ${d.gateStatus}).${warnings ? ` ${warnings}` : ""}`,
      });
      form.reset();
      setDecision("no_go");
      router.refresh();
    });
  }

  const rationaleRequired = decision === "no_go" || (decision === "go" && gateFails);
  return (
    <form onSubmit={submit} className="max-w-2xl space-y-3 rounded border border-zinc-200 bg-white px-4 py-3">
      <fieldset>
        <legend className="text-sm font-medium text-zinc-900">Decision</legend>
        <div className="mt-1 flex gap-4">
          {(["go", "no_go"] as const).map((value) => (
            <label key={value} className="flex items-center gap-1.5">
              <input
                type="radio"
                name="decision"
                value={value}
                checked={decision === value}
                onChange={() => setDecision(value)}
              />
              {value === "go" ? "Go" : "No-Go"}
            </label>
          ))}
        </div>
      </fieldset>
      <div>
        <label htmlFor="decision-rationale" className="block text-sm font-medium text-zinc-900">
          Rationale{rationaleRequired ? " (required)" : " (optional)"}
        </label>
        <p id="decision-rationale-hint" className="text-xs text-zinc-600">
          Required for No-Go and for overriding a failing gate. Written to PHASE3_AUDIT_SUMMARY.md: no
          secrets.
        </p>
        <textarea
          id="decision-rationale"
          name="rationale"
          rows={3}
          maxLength={2000}
          aria-describedby="decision-rationale-hint"
          aria-required={rationaleRequired}
          className="mt-1 w-full rounded border border-zinc-300 px-2 py-1 text-sm"
        />
      </div>
      {gateFails ? (
        <label className="flex items-start gap-2 text-sm text-zinc-900">
          <input type="checkbox" name="override" className="mt-0.5" />
          <span>Override the failing quality gate (needed to record Go; the rationale must say why)</span>
        </label>
      ) : null}
      {twoReviewerRule ? (
        <p className="text-xs text-zinc-600">
          Two reviewers: a Go counts only when a different reviewer records Go right after it.
        </p>
      ) : null}
      <div className="flex items-center gap-3">
        <button
          type="submit"
          disabled={pending}
          className="h-8 rounded bg-accent-700 px-3 text-sm font-medium text-white hover:bg-accent-800 disabled:opacity-50"
        >
          Record decision
        </button>
        <p
          role="status"
          aria-live="polite"
          data-testid="decision-result"
          className={`text-sm ${message?.ok === false ? "text-red-800" : "text-emerald-800"}`}
        >
          {message?.text ?? ""}
        </p>
      </div>
    </form>
  );
}
