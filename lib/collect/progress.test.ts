import { describe, expect, it } from "vitest";
import { formatProgress, throttleProgress } from "./progress";
import type { CollectProgress } from "./types";

const event = (
  bytes: number,
  total: number | null,
  phase: CollectProgress["phase"] = "downloading",
): CollectProgress => ({
  runId: "42",
  artifact: "app",
  bytes,
  total,
  percent: total ? Math.floor((bytes / total) * 100) : null,
  phase,
});

describe("CLI progress", () => {
  it("prints one line per phase change and about one per 10 % of a download", () => {
    const lines: string[] = [];
    const onProgress = throttleProgress((line) => lines.push(line));
    const total = 1024 ** 3;
    onProgress(event(0, total, "queued"));
    for (let bytes = 0; bytes <= total; bytes += 4 * 1024 * 1024) onProgress(event(bytes, total));
    onProgress(event(total, total, "extracting"));
    onProgress(event(total, total, "done"));
    expect(lines).toHaveLength(1 + 11 + 2);
    expect(lines[5]).toMatch(
      /^collect run_id=42 artifact="app" phase=downloading bytes=\d+\/1073741824 percent=40$/,
    );
  });

  it("steps by 64 MiB when the size is unknown, and keeps artifacts apart", () => {
    const lines: string[] = [];
    const onProgress = throttleProgress((line) => lines.push(line));
    for (let bytes = 0; bytes < 256 * 1024 * 1024; bytes += 1024 * 1024) {
      onProgress(event(bytes, null));
      onProgress({ ...event(bytes, null), artifact: "docs" });
    }
    expect(lines).toHaveLength(8);
    expect(formatProgress(event(5, null))).toBe('collect run_id=42 artifact="app" phase=downloading bytes=5');
  });
});
