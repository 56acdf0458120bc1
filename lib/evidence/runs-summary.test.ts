import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import fc from "fast-check";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { InputError } from "../errors";
import type { RunRecord } from "./run-record";
import {
  loadRunsSummaryCached,
  mergeRunRecords,
  readRunsSummary,
  updateRunsSummary,
  writeRunsSummary,
} from "./runs-summary";

const SHA = "a".repeat(64);

function run(runId: string, startedAt = "2025-11-14T09:00:00Z", extra: Partial<RunRecord> = {}): RunRecord {
  return {
    run_id: runId,
    trigger_mode: "scheduled",
    status: "success",
    sha_parity: true,
    retries: 0,
    retry_origin: null,
    run_started_at_utc: startedAt,
    run_completed_at_utc: "2025-11-21T00:00:00Z",
    duration_sec: 60,
    prov_sha: SHA,
    computed_sha: SHA,
    observer_run_id: "obs-1",
    observer_notes: "",
    ...extra,
  };
}

const isoAt = (minute: number) =>
  new Date(Date.parse("2025-11-14T00:00:00Z") + minute * 60_000).toISOString();
const recordArb = fc
  .record({
    id: fc.integer({ min: 0, max: 15 }),
    minute: fc.integer({ min: 0, max: 30 }),
    tag: fc.string({ maxLength: 4 }),
  })
  .map(({ id, minute, tag }) => run(`r${id}`, isoAt(minute), { observer_notes: tag }));
const runsArb = fc.uniqueArray(recordArb, { selector: (r) => r.run_id, maxLength: 16 });

let dir: string;
let file: string;

beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), "runs-summary-"));
  file = path.join(dir, "RUNS_SUMMARY.json");
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

describe("mergeRunRecords", () => {
  it("keeps every run_id of both inputs exactly once, and the incoming record wins", () => {
    fc.assert(
      fc.property(runsArb, runsArb, (existing, incoming) => {
        const before = structuredClone([existing, incoming]);
        const merged = mergeRunRecords(existing, incoming);
        const ids = merged.map((r) => r.run_id);
        const expected = new Set([...existing, ...incoming].map((r) => r.run_id));
        expect(ids.length).toBe(expected.size);
        expect(new Set(ids)).toEqual(expected);
        for (const r of merged) {
          const winner =
            incoming.find((i) => i.run_id === r.run_id) ?? existing.find((e) => e.run_id === r.run_id);
          expect(r).toBe(winner);
        }
        expect([existing, incoming]).toEqual(before); // pure: inputs untouched
      }),
    );
  });

  it("sorts by run_started_at_utc as an instant, then by run_id", () => {
    fc.assert(
      fc.property(runsArb, runsArb, (existing, incoming) => {
        const merged = mergeRunRecords(existing, incoming);
        for (let i = 1; i < merged.length; i++) {
          const [a, b] = [merged[i - 1] as RunRecord, merged[i] as RunRecord];
          const order =
            Date.parse(a.run_started_at_utc) - Date.parse(b.run_started_at_utc) ||
            a.run_id.localeCompare(b.run_id);
          expect(order).toBeLessThanOrEqual(0);
        }
      }),
    );
    // A fraction or +00:00 must not fool a string comparison.
    const merged = mergeRunRecords(
      [run("b", "2025-11-14T09:00:00.500Z")],
      [run("a", "2025-11-14T09:00:00+00:00")],
    );
    expect(merged.map((r) => r.run_id)).toEqual(["a", "b"]);
  });
});

describe("readRunsSummary", () => {
  it("reads a missing file as an empty summary", async () => {
    await expect(readRunsSummary(file)).resolves.toEqual([]);
  });

  it("names the file, index, run_id, field and expectation of a bad record", async () => {
    await fs.writeFile(file, JSON.stringify([run("ok"), { ...run("bad-1"), retries: -1 }]));
    const error = await readRunsSummary(file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toContain(file);
    expect((error as Error).message).toMatch(/\[1\] \(run_id bad-1\) retries: expected an integer ≥ 0/);
  });

  it("refuses duplicate keys and repeated run_ids", async () => {
    await fs.writeFile(file, `[{"run_id":"x","run_id":"y"}]`);
    await expect(readRunsSummary(file)).rejects.toThrow(/duplicate key "run_id"/);
    await fs.writeFile(file, JSON.stringify([run("x"), run("x")]));
    await expect(readRunsSummary(file)).rejects.toThrow(
      /\[1\] \(run_id x\) run_id: expected each run_id once \(also at \[0\]\)/,
    );
  });

  it("refuses a document that is not an array", async () => {
    await fs.writeFile(file, `{"runs":[]}`);
    await expect(readRunsSummary(file)).rejects.toThrow(/expected a JSON array of run records/);
  });
});

describe("writeRunsSummary and updateRunsSummary", () => {
  it("writes sorted, validated JSON that reads back equal", async () => {
    await writeRunsSummary(file, [run("late", "2025-11-15T00:00:00Z"), run("early")]);
    const text = await fs.readFile(file, "utf8");
    expect(text.endsWith("]\n")).toBe(true);
    expect((await readRunsSummary(file)).map((r) => r.run_id)).toEqual(["early", "late"]);
  });

  it("refuses an invalid record and leaves the file as it was", async () => {
    await writeRunsSummary(file, [run("keep")]);
    const before = await fs.readFile(file, "utf8");
    const bad = { ...run("bad"), sha_parity: false, observer_notes: "" };
    await expect(writeRunsSummary(file, [bad])).rejects.toThrow(
      /observer_notes: expected a reason when sha_parity is false/,
    );
    expect(await fs.readFile(file, "utf8")).toBe(before);
  });

  it("loses no run when many updates race", async () => {
    await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        updateRunsSummary(file, (runs) => mergeRunRecords(runs, [run(`r${i}`, isoAt(i))])),
      ),
    );
    expect((await readRunsSummary(file)).map((r) => r.run_id)).toEqual(
      Array.from({ length: 12 }, (_, i) => `r${i}`),
    );
  });

  it("stops before writing when the signal is aborted", async () => {
    const controller = new AbortController();
    const attempt = updateRunsSummary(
      file,
      (runs) => {
        controller.abort(new Error("stop"));
        return [...runs, run("never")];
      },
      { signal: controller.signal },
    );
    await expect(attempt).rejects.toThrow("stop");
    await expect(fs.stat(file)).rejects.toThrow(/ENOENT/);
  });
});

describe("loadRunsSummaryCached", () => {
  it("serves the same parsed runs until the file is replaced, even by one of equal size", async () => {
    await expect(loadRunsSummaryCached(file)).resolves.toEqual([]);
    await writeRunsSummary(file, [run("aaa")]);
    const first = await loadRunsSummaryCached(file);
    expect(first.map((r) => r.run_id)).toEqual(["aaa"]);
    expect(await loadRunsSummaryCached(file)).toBe(first);
    await writeRunsSummary(file, [run("bbb")]);
    const second = await loadRunsSummaryCached(file);
    expect(second.map((r) => r.run_id)).toEqual(["bbb"]);
  });

  it("does not remember a failed read", async () => {
    await fs.writeFile(file, "[ not json");
    await expect(loadRunsSummaryCached(file)).rejects.toThrow(InputError);
    await writeRunsSummary(file, [run("fixed")]);
    expect((await loadRunsSummaryCached(file)).map((r) => r.run_id)).toEqual(["fixed"]);
  });
});
