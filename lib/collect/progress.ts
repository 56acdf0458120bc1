import type { CollectPhase, CollectProgress, OnCollectProgress } from "./types";

/**
 * Progress as the CLI prints it on stderr: one line per phase change and, while downloading, one
 * per ~10 % (or per 64 MiB when the size is unknown), so a 1 GiB download prints about ten lines,
 * not thousands.
 *
 *   collect run_id=19421000123 artifact=audit-report phase=downloading bytes=5242880/10485760 percent=50
 */
const STEP_PERCENT = 10;
const STEP_BYTES_UNKNOWN = 64 * 1024 * 1024;

export function formatProgress(p: CollectProgress): string {
  const size = p.total === null ? `${p.bytes}` : `${p.bytes}/${p.total}`;
  const percent = p.percent === null ? "" : ` percent=${p.percent}`;
  return `collect run_id=${p.runId} artifact=${JSON.stringify(p.artifact)} phase=${p.phase} bytes=${size}${percent}`;
}

/** Wraps `write` so it sees each artifact's phase changes and about every tenth of its download. */
export function throttleProgress(write: (line: string) => void): OnCollectProgress {
  const last = new Map<string, { phase: CollectPhase; step: number }>();
  return (p) => {
    const key = `${p.runId}\u0000${p.artifact}`;
    const step =
      p.percent !== null ? Math.floor(p.percent / STEP_PERCENT) : Math.floor(p.bytes / STEP_BYTES_UNKNOWN);
    const seen = last.get(key);
    if (seen && seen.phase === p.phase && seen.step === step) return;
    last.set(key, { phase: p.phase, step });
    if (p.phase === "done" || p.phase === "failed" || p.phase === "refused") last.delete(key);
    write(formatProgress(p));
  };
}
