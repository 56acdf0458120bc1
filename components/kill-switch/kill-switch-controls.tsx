"use client";

import { useRef, useState, type FormEvent } from "react";
import type { KillSwitchState } from "@/lib/control/kill-switch";
import { useEngageKillSwitchMutation } from "./engage-kill-switch-mutation";
import { useReleaseKillSwitchMutation } from "./release-kill-switch-mutation";
import { RestartCheckResults, StepResults } from "./step-results";

const button = "h-8 rounded px-3 text-sm font-medium disabled:opacity-50";

/**
 * The commander's controls: engage asks for a reason, then a confirmation in a modal dialog
 * (keyboard: Tab between its buttons, Escape cancels); release runs the restart checks. The
 * server decides everything; the result is announced in the status region below.
 */
export function KillSwitchControls({ state }: { state: KillSwitchState }) {
  const engage = useEngageKillSwitchMutation();
  const release = useReleaseKillSwitchMutation();
  const dialog = useRef<HTMLDialogElement>(null);
  const [reason, setReason] = useState("");
  const [rollback, setRollback] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);
  const [last, setLast] = useState<"engage" | "release" | null>(null);

  function askConfirmation(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (reason.trim().length < 3) {
      setFormError("Give the reason in at least 3 characters.");
      return;
    }
    setFormError(null);
    dialog.current?.showModal();
  }

  function confirm() {
    setLast("engage");
    engage.mutate(
      { reason: reason.trim(), rollbackManifest: rollback },
      {
        onSuccess: () => {
          setReason("");
          setRollback(false);
        },
        onSettled: () => dialog.current?.close(),
      },
    );
  }

  return (
    <div className="space-y-4">
      {state === "engaged" ? (
        <div className="max-w-2xl rounded border border-zinc-200 bg-white px-4 py-3">
          <p className="text-zinc-700">
            Release runs the restart checks: the required secrets are present, the manifest parses with no
            duplicate keys, and a Supabase test request answers 2xx (skipped in embedded mode). The switch is
            released only when none fails.
          </p>
          <button
            type="button"
            disabled={release.isPending}
            onClick={() => {
              setLast("release");
              release.mutate();
            }}
            className={`${button} mt-3 bg-accent-700 text-white hover:bg-accent-800`}
          >
            {release.isPending ? "Running the restart checks…" : "Run the restart checks and release"}
          </button>
        </div>
      ) : (
        <form
          onSubmit={askConfirmation}
          noValidate
          className="max-w-2xl space-y-3 rounded border border-zinc-200 bg-white px-4 py-3"
        >
          <div>
            <label htmlFor="kill-switch-reason" className="block font-medium text-zinc-900">
              Reason (required)
            </label>
            <p id="kill-switch-reason-hint" className="text-xs text-zinc-600">
              Why the loop must stop. Written to AUTO_OBSERVER_SUMMARY.md and the audit log: no secrets.
            </p>
            <textarea
              id="kill-switch-reason"
              value={reason}
              onChange={(e) => setReason(e.target.value)}
              rows={2}
              maxLength={500}
              aria-required="true"
              aria-invalid={formError ? "true" : undefined}
              aria-describedby={
                formError ? "kill-switch-reason-hint kill-switch-reason-error" : "kill-switch-reason-hint"
              }
              className="mt-1 w-full rounded border border-zinc-300 px-2 py-1"
            />
            {formError ? (
              <p id="kill-switch-reason-error" className="text-xs text-red-800">
                {formError}
              </p>
            ) : null}
          </div>
          <label className="flex items-start gap-2 text-zinc-900">
            <input
              type="checkbox"
              checked={rollback}
              onChange={(e) => setRollback(e.target.checked)}
              className="mt-0.5"
            />
            <span>Roll the manifest back to its last backup (when the trip concerns manifest integrity)</span>
          </label>
          <button type="submit" className={`${button} bg-red-700 text-white hover:bg-red-800`}>
            Engage the kill switch…
          </button>
        </form>
      )}

      <dialog
        ref={dialog}
        aria-labelledby="kill-switch-confirm-title"
        aria-describedby="kill-switch-confirm-text"
        className="m-auto max-w-lg rounded border border-zinc-300 bg-white p-0 shadow-lg backdrop:bg-zinc-900/40"
      >
        <div className="space-y-3 px-5 py-4">
          <h2 id="kill-switch-confirm-title" className="text-base font-semibold text-zinc-900">
            Engage the kill switch?
          </h2>
          <p id="kill-switch-confirm-text" className="text-zinc-700">
            Work in flight stops now, the auto-audit workflow is disabled, and every change is refused until
            the commander releases the switch after the restart checks pass.
          </p>
          <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-1">
            <dt className="text-zinc-500">Reason</dt>
            <dd className="break-words text-zinc-900">{reason.trim()}</dd>
            <dt className="text-zinc-500">Manifest</dt>
            <dd className="text-zinc-900">{rollback ? "rolled back to its last backup" : "left as it is"}</dd>
          </dl>
          <div className="flex justify-end gap-2 pt-1">
            <button
              type="button"
              onClick={() => dialog.current?.close()}
              className={`${button} border border-zinc-300 bg-white text-zinc-900 hover:bg-zinc-50`}
            >
              Cancel
            </button>
            <button
              type="button"
              disabled={engage.isPending}
              onClick={confirm}
              className={`${button} bg-red-700 text-white hover:bg-red-800`}
            >
              {engage.isPending ? "Engaging…" : "Engage now"}
            </button>
          </div>
        </div>
      </dialog>

      <div role="status" aria-live="polite" aria-label="Kill switch result" className="max-w-2xl space-y-2">
        {last === "engage" && engage.isError ? (
          <p className="text-red-800">Not engaged: {engage.error.message}</p>
        ) : null}
        {last === "engage" && engage.data ? (
          <>
            <p className="font-medium text-zinc-900">Engaged. Each step&apos;s result:</p>
            <StepResults steps={engage.data} />
          </>
        ) : null}
        {last === "release" && release.isError ? (
          <p className="text-red-800">Not released: {release.error.message}</p>
        ) : null}
        {last === "release" && release.data ? (
          <>
            <p className={`font-medium ${release.data.released ? "text-emerald-800" : "text-red-800"}`}>
              {release.data.released
                ? "Released: every restart check passed."
                : `Release refused: ${release.data.checks
                    .filter((c) => c.status === "fail")
                    .map((c) => c.title)
                    .join("; ")}.`}
            </p>
            <RestartCheckResults checks={release.data.checks} />
            {release.data.steps.length > 0 ? (
              <StepResults steps={release.data.steps} label="Release steps" />
            ) : null}
          </>
        ) : null}
      </div>
    </div>
  );
}
