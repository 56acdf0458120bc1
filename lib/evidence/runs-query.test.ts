import { describe, expect, it } from "vitest";
import type { RunRecord } from "./run-record";
import { parseRunsQuery, queryRuns, toRunsSearchParams, DEFAULT_PAGE_SIZE } from "./runs-query";

function run(i: number, overrides: Partial<RunRecord> = {}): RunRecord {
  const started = new Date(Date.UTC(2025, 10, 14, 0, 0, 0) + i * 60_000).toISOString().replace(".000", "");
  return {
    run_id: `run-${String(i).padStart(6, "0")}`,
    trigger_mode: ["manual_dispatch", "scheduled", "retry"][i % 3] as string,
    status: (["success", "failure", "cancelled"] as const)[i % 3 === 0 ? 1 : i % 7 === 0 ? 2 : 0],
    sha_parity: i % 5 !== 0,
    retries: i % 4 === 0 ? 2 : 0,
    retry_origin: null,
    run_started_at_utc: started,
    run_completed_at_utc: started,
    duration_sec: 10 + ((i * 37) % 500),
    prov_sha: "",
    computed_sha: "",
    observer_run_id: "obs-1",
    observer_notes: i % 5 === 0 ? "digest mismatch" : "",
    source: i % 2 === 0 ? "manual" : "auto",
    ...overrides,
  };
}

const runs = Array.from({ length: 120 }, (_, i) => run(i));

describe("parseRunsQuery", () => {
  it("reads filters, sort and paging from URL params", () => {
    const q = parseRunsQuery(
      new URLSearchParams(
        "status=failure&parity=false&trigger=retry&source=auto&retried=true&q=%20run-1%20&sort=duration_sec&dir=asc&page=3&pageSize=20",
      ),
    );
    expect(q).toEqual({
      status: "failure",
      parity: false,
      trigger: "retry",
      source: "auto",
      retried: true,
      q: "run-1",
      sort: "duration_sec",
      dir: "asc",
      page: 3,
      pageSize: 20,
    });
  });

  it("falls back to defaults on bad values instead of throwing", () => {
    const q = parseRunsQuery({
      status: "exploded",
      parity: "maybe",
      trigger: "Bad Trigger!",
      source: "robot",
      sort: "drop table",
      dir: "sideways",
      page: "-4",
      pageSize: "100000",
      q: "",
    });
    expect(q).toEqual(parseRunsQuery({}));
    expect(q.sort).toBe("run_started_at_utc");
    expect(q.dir).toBe("desc");
    expect(q.page).toBe(1);
    expect(q.pageSize).toBe(DEFAULT_PAGE_SIZE);
  });

  it("takes the first of repeated params", () => {
    expect(parseRunsQuery({ status: ["cancelled", "success"] }).status).toBe("cancelled");
  });

  it("round-trips through toRunsSearchParams, leaving defaults out", () => {
    const q = parseRunsQuery({ status: "success", sort: "retries", page: "2" });
    const params = toRunsSearchParams(q);
    expect(params.toString()).toBe("status=success&sort=retries&page=2");
    expect(parseRunsQuery(params)).toEqual(q);
    expect(toRunsSearchParams(q, { page: 1, status: undefined }).toString()).toBe("sort=retries");
  });
});

describe("queryRuns", () => {
  it("keeps only rows matching every filter", () => {
    const q = parseRunsQuery({
      status: "success",
      parity: "true",
      source: "manual",
      retried: "false",
      pageSize: "500",
    });
    const result = queryRuns(runs, q);
    expect(result.total).toBeGreaterThan(0);
    expect(result.total).toBe(
      runs.filter((r) => r.status === "success" && r.sha_parity && r.source === "manual" && r.retries === 0)
        .length,
    );
    for (const r of result.rows) {
      expect([r.status, r.sha_parity, r.source, r.retries]).toEqual(["success", true, "manual", 0]);
    }
  });

  it("searches run ids case-insensitively", () => {
    const result = queryRuns(runs, parseRunsQuery({ q: "Run-00011" }));
    expect(result.rows.map((r) => r.run_id).sort()).toEqual([
      "run-000110",
      "run-000111",
      "run-000112",
      "run-000113",
      "run-000114",
      "run-000115",
      "run-000116",
      "run-000117",
      "run-000118",
      "run-000119",
    ]);
  });

  it("counts facets without a dimension's own filter", () => {
    const result = queryRuns(runs, parseRunsQuery({ status: "failure" }));
    // The status facet still shows every status, as if status were unfiltered.
    expect(result.facets.status.success).toBe(runs.filter((r) => r.status === "success").length);
    expect(result.facets.status.failure).toBe(result.total);
    // Other facets count only failures.
    expect(result.facets.parity.true + result.facets.parity.false).toBe(result.total);
    expect(Object.keys(result.facets.trigger).sort()).toEqual(["manual_dispatch", "retry", "scheduled"]);
  });

  it("sorts by duration both ways with run_id breaking ties", () => {
    const asc = queryRuns(runs, parseRunsQuery({ sort: "duration_sec", dir: "asc", pageSize: "500" })).rows;
    const durations = asc.map((r) => r.duration_sec);
    expect(durations).toEqual([...durations].sort((a, b) => a - b));
    const desc = queryRuns(runs, parseRunsQuery({ sort: "duration_sec", dir: "desc", pageSize: "500" })).rows;
    expect(desc.map((r) => r.run_id)).toEqual([...asc].reverse().map((r) => r.run_id));
  });

  it("sorts newest first by default and does not mutate its input", () => {
    const before = runs.map((r) => r.run_id);
    const rows = queryRuns(runs, parseRunsQuery({})).rows;
    expect(rows[0]?.run_id).toBe("run-000119");
    expect(runs.map((r) => r.run_id)).toEqual(before);
  });

  it("pages and clamps a page past the end", () => {
    const q = parseRunsQuery({ pageSize: "50", page: "3" });
    const result = queryRuns(runs, q);
    expect([result.page, result.pageCount, result.total, result.rows.length]).toEqual([3, 3, 120, 20]);
    const past = queryRuns(runs, { ...q, page: 99 });
    expect(past.page).toBe(3);
    expect(queryRuns([], q)).toMatchObject({ page: 1, pageCount: 1, total: 0, rows: [] });
  });

  it("answers over 100,000 runs quickly, re-using the sort for the same loaded array", () => {
    const many = Array.from({ length: 100_000 }, (_, i) => run(i));
    let started = performance.now();
    const cold = queryRuns(many, parseRunsQuery({ sort: "duration_sec", parity: "true" }));
    const coldMs = performance.now() - started;
    started = performance.now();
    const warm = queryRuns(
      many,
      parseRunsQuery({ sort: "duration_sec", parity: "false", status: "failure" }),
    );
    const warmMs = performance.now() - started;
    expect(cold.total).toBe(80_000);
    expect(warm.total).toBe(many.filter((r) => !r.sha_parity && r.status === "failure").length);
    const durations = warm.rows.map((r) => r.duration_sec);
    expect(durations).toEqual([...durations].sort((a, b) => b - a));
    // Budget: the Runs page answers in < 300 ms server time at 100,000 runs (DESIGN §11).
    expect(coldMs).toBeLessThan(1000);
    expect(warmMs).toBeLessThan(150);
  });
});
