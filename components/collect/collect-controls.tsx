"use client";

import { useState, type FormEvent } from "react";
import { useKillSwitchBannerQuery } from "@/components/kill-switch/kill-switch-banner-query";
import type { CollectJob } from "@/lib/web/collect-jobs";
import type { KillSwitchBanner } from "@/lib/web/kill-switch-state";
import { CollectJobStatus } from "./collect-job-status";
import { useCollectRunMutation } from "./collect-run-mutation";
import { useCollectWindowMutation } from "./collect-window-mutation";

const input = "mt-1 h-8 rounded border border-zinc-300 px-2 font-mono text-sm";
const button =
  "h-8 rounded bg-accent-700 px-3 text-sm font-medium text-white hover:bg-accent-800 disabled:cursor-not-allowed disabled:opacity-50";
const panel = "space-y-3 rounded border border-zinc-200 bg-white px-4 py-3";

/**
 * The operator's two forms: one run (by GitHub run id) and the whole window. A dry run downloads
 * and compares but writes nothing (handbook step 4 asks for one with a sample run id first, so it
 * is ticked until the event has one). The server decides everything again; while the kill switch is
 * engaged (read live) the buttons are disabled. Outcomes are announced in one status region.
 */
export function CollectControls({
  initialBanner,
  defaultDryRun,
  sampleRunId,
  blockedBy,
}: {
  initialBanner: KillSwitchBanner;
  defaultDryRun: boolean;
  sampleRunId: string | null;
  /** Why nothing can start (GitHub not configured), or null. */
  blockedBy: string | null;
}) {
  const { data: banner } = useKillSwitchBannerQuery(initialBanner);
  const engaged = banner.state === "engaged";
  const collectRun = useCollectRunMutation();
  const collectWindow = useCollectWindowMutation();
  const [runId, setRunId] = useState("");
  const [runDry, setRunDry] = useState(defaultDryRun);
  const [days, setDays] = useState("7");
  const [windowDry, setWindowDry] = useState(false);
  const [formError, setFormError] = useState<{ form: "run" | "window"; message: string } | null>(null);
  const [last, setLast] = useState<{ job: CollectJob | null; error: string | null } | null>(null);
  const disabled = engaged || blockedBy !== null;

  const onStarted = { onSuccess: (job: CollectJob) => setLast({ job, error: null }) };
  const onFailed = { onError: (error: Error) => setLast({ job: null, error: error.message }) };

  function submitRun(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const id = runId.trim();
    if (!/^\d{1,20}$/.test(id)) {
      setFormError({ form: "run", message: "Enter a GitHub run id: digits only, e.g. 19421003747." });
      return;
    }
    setFormError(null);
    collectRun.mutate({ runId: id, dryRun: runDry }, { ...onStarted, ...onFailed });
  }

  function submitWindow(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const n = Number(days);
    if (!Number.isInteger(n) || n < 1 || n > 90) {
      setFormError({ form: "window", message: "Enter the window in whole days, from 1 to 90." });
      return;
    }
    setFormError(null);
    collectWindow.mutate({ windowDays: n, dryRun: windowDry }, { ...onStarted, ...onFailed });
  }

  const error = (form: "run" | "window") =>
    formError?.form === form ? (
      <p id={`collect-${form}-error`} className="text-xs text-red-800">
        {formError.message}
      </p>
    ) : null;

  return (
    <div className="space-y-3">
      {engaged ? (
        <p className="max-w-3xl rounded border border-red-300 bg-red-50 px-3 py-2 text-red-900">
          The kill switch is engaged: collection is refused until the incident commander releases it.
        </p>
      ) : null}
      <div className="grid max-w-4xl gap-4 md:grid-cols-2">
        <form onSubmit={submitRun} noValidate aria-labelledby="collect-run-title" className={panel}>
          <h3 id="collect-run-title" className="font-semibold text-zinc-900">
            Collect a run
          </h3>
          <div>
            <label htmlFor="collect-run-id" className="block font-medium text-zinc-900">
              Run id
            </label>
            <input
              id="collect-run-id"
              value={runId}
              onChange={(e) => setRunId(e.target.value)}
              inputMode="numeric"
              autoComplete="off"
              aria-required="true"
              aria-invalid={formError?.form === "run" ? "true" : undefined}
              aria-describedby={
                formError?.form === "run" ? "collect-run-hint collect-run-error" : "collect-run-hint"
              }
              className={`${input} w-full`}
            />
            <p id="collect-run-hint" className="mt-1 text-xs text-zinc-600">
              A GitHub Actions run id (digits)
              {sampleRunId ? `, e.g. ${sampleRunId}, the event's newest run` : ""}.
            </p>
            {error("run")}
          </div>
          <label className="flex items-start gap-2 text-zinc-900">
            <input
              type="checkbox"
              checked={runDry}
              onChange={(e) => setRunDry(e.target.checked)}
              className="mt-0.5"
            />
            <span>Dry run: download and compare SHA-256, write nothing</span>
          </label>
          <button type="submit" disabled={disabled || collectRun.isPending} className={button}>
            {collectRun.isPending ? "Starting…" : runDry ? "Dry-run the run" : "Collect the run"}
          </button>
        </form>

        <form onSubmit={submitWindow} noValidate aria-labelledby="collect-window-title" className={panel}>
          <h3 id="collect-window-title" className="font-semibold text-zinc-900">
            Collect the window
          </h3>
          <div>
            <label htmlFor="collect-window-days" className="block font-medium text-zinc-900">
              Window (days)
            </label>
            <input
              id="collect-window-days"
              type="number"
              min={1}
              max={90}
              step={1}
              value={days}
              onChange={(e) => setDays(e.target.value)}
              aria-invalid={formError?.form === "window" ? "true" : undefined}
              aria-describedby={
                formError?.form === "window"
                  ? "collect-window-hint collect-window-error"
                  : "collect-window-hint"
              }
              className={`${input} w-24`}
            />
            <p id="collect-window-hint" className="mt-1 text-xs text-zinc-600">
              Every completed run of the last 1 to 90 days; runs already collected with the same digests are
              skipped.
            </p>
            {error("window")}
          </div>
          <label className="flex items-start gap-2 text-zinc-900">
            <input
              type="checkbox"
              checked={windowDry}
              onChange={(e) => setWindowDry(e.target.checked)}
              className="mt-0.5"
            />
            <span>Dry run: write nothing</span>
          </label>
          <button type="submit" disabled={disabled || collectWindow.isPending} className={button}>
            {collectWindow.isPending ? "Starting…" : windowDry ? "Dry-run the window" : "Collect the window"}
          </button>
        </form>
      </div>
      <CollectJobStatus job={last?.job ?? null} error={last?.error ?? null} />
    </div>
  );
}
