"use client";

import { useRunSecretsCheckMutation } from "./run-secrets-check-mutation";

/**
 * Runs and records the secrets check; the verdict is announced in the status region and the page
 * re-reads the server, so the table and "last recorded check" show what was just recorded.
 */
export function RunSecretsCheckButton() {
  const check = useRunSecretsCheckMutation();
  const result = check.data;
  return (
    <div className="space-y-2">
      <button
        type="button"
        disabled={check.isPending}
        onClick={() => check.mutate()}
        className="h-8 rounded bg-accent-700 px-3 text-sm font-medium text-white hover:bg-accent-800 disabled:opacity-50"
      >
        {check.isPending ? "Checking…" : "Run secrets check"}
      </button>
      <p role="status" aria-live="polite" aria-label="Secrets check result" className="min-h-5 text-sm">
        {check.isError ? <span className="text-red-800">Not recorded: {check.error.message}</span> : null}
        {result ? (
          <span className={result.ok ? "text-emerald-800" : "text-red-800"}>
            {result.ok
              ? `Recorded: passed. Every required setting is present${
                  result.missingRecommended.length > 0
                    ? `; recommended missing: ${result.missingRecommended.join(", ")}`
                    : ""
                }.`
              : `Recorded: failed. Required missing: ${result.missingRequired.join(", ")}.`}
          </span>
        ) : null}
      </p>
    </div>
  );
}
