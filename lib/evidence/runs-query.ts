import { z } from "zod";
import { RUN_STATUSES, type RunRecord } from "./run-record";

/**
 * Filtering, sorting and paging of RUNS_SUMMARY records for the Runs view. Pure: the page parses
 * its URL with runsQuerySchema and hands the cached records here. One pass filters and counts
 * facets, so 100,000 runs answer in a few milliseconds.
 */
export const RUN_SORT_KEYS = ["run_started_at_utc", "duration_sec", "retries", "status", "run_id"] as const;
export type RunSortKey = (typeof RUN_SORT_KEYS)[number];
export type SortDir = "asc" | "desc";

export const DEFAULT_PAGE_SIZE = 50;
const MAX_PAGE_SIZE = 500;

// A URL value may repeat (?a=1&a=2): the first one counts.
const first = (v: unknown) => (Array.isArray(v) ? v[0] : v);
const param = <T extends z.ZodType>(schema: T) => z.preprocess(first, schema);
const flag = z.enum(["true", "false"]).transform((v) => v === "true");

// Every field falls back to its default on a bad value: a hand-edited URL never breaks the page.
export const runsQuerySchema = z.object({
  status: param(z.enum(RUN_STATUSES).optional()).catch(undefined),
  parity: param(flag.optional()).catch(undefined),
  trigger: param(
    z
      .string()
      .regex(/^[a-z_]{1,64}$/)
      .optional(),
  ).catch(undefined),
  source: param(z.enum(["manual", "auto"]).optional()).catch(undefined),
  retried: param(flag.optional()).catch(undefined),
  q: param(z.string().trim().max(100).optional())
    .catch(undefined)
    .transform((v) => v || undefined),
  sort: param(z.enum(RUN_SORT_KEYS)).catch("run_started_at_utc"),
  dir: param(z.enum(["asc", "desc"])).catch("desc"),
  page: param(z.coerce.number().int().min(1).max(1_000_000)).catch(1),
  pageSize: param(z.coerce.number().int().min(1).max(MAX_PAGE_SIZE)).catch(DEFAULT_PAGE_SIZE),
});

export type RunsQuery = z.infer<typeof runsQuerySchema>;
export type SearchParamsInput = URLSearchParams | Record<string, string | string[] | undefined>;

/** Parses URL search params into a query; never throws. */
export function parseRunsQuery(input: SearchParamsInput = {}): RunsQuery {
  const raw = input instanceof URLSearchParams ? Object.fromEntries(input.entries()) : input;
  return runsQuerySchema.parse(raw);
}

export const DEFAULT_RUNS_QUERY: RunsQuery = parseRunsQuery();
const QUERY_KEYS = Object.keys(runsQuerySchema.shape) as (keyof RunsQuery)[];

/** The query as URL params, leaving out defaults so links stay short and stable. */
export function toRunsSearchParams(query: RunsQuery, changes: Partial<RunsQuery> = {}): URLSearchParams {
  const merged: RunsQuery = { ...query, ...changes };
  const out = new URLSearchParams();
  for (const key of QUERY_KEYS) {
    const value = merged[key];
    if (value === undefined || value === DEFAULT_RUNS_QUERY[key]) continue;
    out.set(key, String(value));
  }
  return out;
}

export interface RunsFacets {
  status: Record<string, number>;
  parity: Record<"true" | "false", number>;
  trigger: Record<string, number>;
  source: Record<string, number>;
}

export interface RunsQueryResult {
  rows: RunRecord[];
  total: number;
  page: number;
  pageCount: number;
  pageSize: number;
  facets: RunsFacets;
}

type Dim = "status" | "parity" | "trigger" | "source";
const DIMS: readonly Dim[] = ["status", "parity", "trigger", "source"];

function keyOf(run: RunRecord, dim: Dim): string {
  switch (dim) {
    case "status":
      return run.status;
    case "parity":
      return String(run.sha_parity);
    case "trigger":
      return run.trigger_mode;
    case "source":
      return run.source ?? "unknown";
  }
}

/**
 * Applies the query. Facet counts for one dimension ignore that dimension's own filter (the usual
 * faceted-search rule), so a select shows what choosing each value would give.
 */
export function queryRuns(runs: readonly RunRecord[], query: RunsQuery): RunsQueryResult {
  const wanted: Record<Dim, string | undefined> = {
    status: query.status,
    parity: query.parity === undefined ? undefined : String(query.parity),
    trigger: query.trigger,
    source: query.source,
  };
  const needle = query.q?.toLowerCase();
  const facets: RunsFacets = {
    status: Object.fromEntries(RUN_STATUSES.map((s) => [s, 0])),
    parity: { true: 0, false: 0 },
    trigger: {},
    source: {},
  };
  const counts = facets as unknown as Record<Dim, Record<string, number>>;
  const matched: RunRecord[] = [];
  const keys: string[] = ["", "", "", ""];
  // Filtering a sorted list keeps its order, so the sort is done once per loaded array.
  for (const run of getSortedRuns(runs, query.sort, query.dir)) {
    if (needle !== undefined && !run.run_id.toLowerCase().includes(needle)) continue;
    if (query.retried !== undefined && run.retries > 0 !== query.retried) continue;
    let misses = 0;
    let missed = -1;
    for (let d = 0; d < DIMS.length; d++) {
      const dim = DIMS[d] as Dim;
      const key = keyOf(run, dim);
      keys[d] = key;
      const want = wanted[dim];
      if (want !== undefined && want !== key) {
        misses++;
        missed = d;
      }
    }
    for (let d = 0; d < DIMS.length; d++) {
      const bucket = counts[DIMS[d] as Dim];
      const key = keys[d] as string;
      bucket[key] ??= 0;
      // Counted for dimension d when every other dimension matches.
      if (misses === 0 || (misses === 1 && missed === d)) bucket[key] += 1;
    }
    if (misses === 0) matched.push(run);
  }
  const total = matched.length;
  const pageCount = Math.max(1, Math.ceil(total / query.pageSize));
  const page = Math.min(query.page, pageCount);
  const start = (page - 1) * query.pageSize;
  return {
    rows: matched.slice(start, start + query.pageSize),
    total,
    page,
    pageCount,
    pageSize: query.pageSize,
    facets,
  };
}

// Keyed by the array itself: the mtime-keyed loader hands out the same array until the file changes.
const sortedCache = new WeakMap<readonly RunRecord[], Map<string, RunRecord[]>>();

function getSortedRuns(runs: readonly RunRecord[], sort: RunSortKey, dir: SortDir): RunRecord[] {
  let bySort = sortedCache.get(runs);
  if (!bySort) {
    bySort = new Map();
    sortedCache.set(runs, bySort);
  }
  const key = `${sort}:${dir}`;
  let sorted = bySort.get(key);
  if (!sorted) {
    sorted = sortRuns(runs, sort, dir);
    bySort.set(key, sorted);
  }
  return sorted;
}

const STATUS_ORDER: Record<string, number> = { failure: 0, cancelled: 1, success: 2 };

/** Sorts a copy; ties fall back to run_id so the order is stable across requests. */
export function sortRuns(runs: readonly RunRecord[], sort: RunSortKey, dir: SortDir): RunRecord[] {
  const sign = dir === "asc" ? 1 : -1;
  // Decorate once: parsing a timestamp inside the comparator would cost n·log n parses.
  const decorated = runs.map((run) => ({ run, key: sortKey(run, sort) }));
  decorated.sort((a, b) => {
    if (a.key !== b.key) return (a.key < b.key ? -1 : 1) * sign;
    if (a.run.run_id === b.run.run_id) return 0;
    return (a.run.run_id < b.run.run_id ? -1 : 1) * sign;
  });
  return decorated.map((d) => d.run);
}

function sortKey(run: RunRecord, sort: RunSortKey): number | string {
  switch (sort) {
    case "run_started_at_utc":
      return Date.parse(run.run_started_at_utc);
    case "duration_sec":
      return run.duration_sec;
    case "retries":
      return run.retries;
    case "status":
      return STATUS_ORDER[run.status] ?? 3;
    case "run_id":
      return run.run_id;
  }
}
