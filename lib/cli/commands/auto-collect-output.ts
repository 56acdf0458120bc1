import type { CollectRunResult, CollectWindowResult } from "../../collect";
import type { Mask } from "../../notify/mask";

/**
 * What auto-collect prints. Digests are printed whole (they are the evidence, as sha-compare
 * prints them); the free text that comes from elsewhere (error messages, notes) goes through the
 * masker first, so a secret, a URL or an e-mail address never reaches the output.
 */
const quote = (value: string) => (/^[^\s"]+$/.test(value) ? value : JSON.stringify(value));

export function maskResult(result: CollectRunResult, mask: Mask): CollectRunResult {
  return {
    ...result,
    error: result.error === undefined ? undefined : mask(result.error),
    artifacts: result.artifacts.map((a) => ({
      ...a,
      error: a.error === undefined ? undefined : mask(a.error),
    })),
    record: result.record && { ...result.record, observer_notes: mask(result.record.observer_notes) },
    parity: result.parity && {
      ...result.parity,
      reason: result.parity.reason === null ? null : mask(result.parity.reason),
    },
    selfHeal: {
      ...result.selfHeal,
      rerun: result.selfHeal.rerun && {
        ...result.selfHeal.rerun,
        because: mask(result.selfHeal.rerun.because),
      },
    },
  };
}

export function describeRun(result: CollectRunResult): string[] {
  const bytes = result.artifacts.reduce((sum, a) => sum + a.bytes, 0);
  const p = result.parity;
  const head = [
    `run_id=${result.recordRunId}`,
    `run_attempt=${result.runAttempt}`,
    `status=${result.status}`,
    `conclusion=${result.conclusion ?? "none"}`,
    `artifacts=${result.artifacts.filter((a) => a.state === "done").length}/${result.artifacts.length}`,
    `bytes=${bytes}`,
    `sha_parity=${p ? String(p.shaParity) : "unknown"}`,
    `computed_sha=${p?.computedSha || "-"}`,
    `prov_sha=${p?.provSha || "-"}`,
    `digest_alg=${p?.digestAlg ?? "-"}`,
    `subject=${quote(p?.subject ?? "-")}`,
    `dry_run=${result.dryRun}`,
  ].join(" ");
  const lines = [head];
  for (const a of result.artifacts) {
    const detail =
      a.state === "done" ? `path=${quote(a.path ?? "-")} files=${a.files}` : `error=${quote(a.error ?? "")}`;
    lines.push(
      `  artifact=${quote(a.name)} id=${a.artifactId} state=${a.state} bytes=${a.bytes}${a.expired ? " expired=true" : ""} ${detail}`,
    );
  }
  if (p && !p.shaParity && p.reason) lines.push(`  sha_parity_reason=${quote(p.reason)}`);
  const { parity, rerun, healed } = result.selfHeal;
  if (parity) lines.push(`  self_heal=parity-redownload healed=${parity.healed}`);
  if (rerun && rerun.action !== "none") {
    const attempt = rerun.attempt === null ? "" : ` attempt=${rerun.attempt}`;
    lines.push(
      `  self_heal=rerun-failed-jobs action=${rerun.action}${attempt} because=${quote(rerun.because)}`,
    );
  }
  if (healed)
    lines.push(`  self_heal=healed heal_sec=${healed.healSec} within_24h=${healed.withinObjective}`);
  if (result.status === "failed" && result.error) lines.push(`  error=${quote(result.error)}`);
  return lines;
}

export function describeWindow(result: CollectWindowResult): string[] {
  const lines = result.runs.flatMap((run) =>
    run.status === "skipped"
      ? [`run_id=${run.recordRunId} status=skipped (already collected with the same digest)`]
      : describeRun(run),
  );
  lines.push(
    [
      `window_days=${result.windowDays}`,
      `workflow=${result.workflow ?? "all"}`,
      `runs=${result.runs.length}`,
      `collected=${result.collected}`,
      `skipped=${result.skipped}`,
      `failed=${result.failed}`,
      `concurrency=${result.concurrency}`,
      `elapsed_ms=${result.elapsedMs}`,
      `dry_run=${result.dryRun}`,
      `exit_code=${result.exitCode}`,
    ].join(" "),
  );
  return lines;
}
