import type { Queryable } from "../db";
import type { RunRecord } from "../evidence/run-record";
import { getLatestChangeId, readChanges, type ChangeEvent } from "../live/change-feed";
import { loadEventRuns, loadEventRunsById, loadRunVersions, type VersionedRun } from "./kpi-runs";

/**
 * An event's runs kept in process, kept current by the change feed (lib/live/change-feed.ts):
 * reading 100,000 rows over the embedded socket costs most of a second, asking the feed what
 * changed costs a millisecond (DESIGN §11: the KPI view answers in under 300 ms).
 * - a change to one run (the feed names its run_id) re-reads that run ("partial");
 * - a statement that changed several runs (the feed names none) compares every run's row version
 *   with the one held and re-reads only the runs that differ ("diff");
 * - no runs held yet, a quarter of them changed, or more changes than one page of the feed:
 *   the event is read whole ("full").
 */
export type Refresh = "full" | "diff" | "partial" | "none";

export interface CachedRuns {
  runs: readonly RunRecord[];
  /** What this read had to do: a test and the bench see the cache work. */
  refresh: Refresh;
}

interface Entry {
  byId: Map<string, VersionedRun>;
  list: readonly RunRecord[];
  /** Each run's place in `list`, so a changed run replaces its old self in a copy of the list. */
  at: Map<string, number>;
  lastChangeId: number;
  /** Change ids already applied at or below lastChangeId (a slow commit may land below it). */
  seen: Set<number>;
}

/** How far below the last id a late commit is still looked for (as the change broker does). */
const LOOKBACK = 64;
const PAGE = 500;
/** Past this share of changed runs, one read of them all is cheaper than reading them by id. */
const DIFF_LIMIT = 0.25;

export interface RunsCache {
  getRuns(db: Queryable, event: string): Promise<CachedRuns>;
  /** Forget everything (tests; a database swapped under a running process). */
  clear(): void;
}

/**
 * One refresh at a time per event. A reader arriving while one runs waits for the next, which
 * starts after it: the running one may have read the feed before the reader's change committed
 * (the reader was told of that change), so sharing its answer could hand out a stale list.
 * Every reader arriving meanwhile shares that next one.
 */
interface Flight {
  running: Promise<CachedRuns> | null;
  queued: Promise<CachedRuns> | null;
}

export function createRunsCache(): RunsCache {
  let byDb = new WeakMap<Queryable, Map<string, Entry>>();
  let flights = new WeakMap<Queryable, Map<string, Flight>>();

  const refresh = async (db: Queryable, event: string, events: Map<string, Entry>): Promise<CachedRuns> => {
    const entry = events.get(event);
    if (!entry) return reloadAll(db, event, events);
    const floor = Math.max(0, entry.lastChangeId - LOOKBACK);
    const page = await readChanges(db, entry.lastChangeId, floor, PAGE);
    if (page.length >= PAGE) return reloadAll(db, event, events);
    const changes = page.filter((c) => !entry.seen.has(c.id));
    if (changes.length === 0) return { runs: entry.list, refresh: "none" };
    const keys = singleRunKeys(changes.filter((c) => c.table === "runs"));

    // Everything is read before the entry moves on: a failed read leaves it where it was.
    let read: { found: VersionedRun[]; gone: string[] };
    let kind: Refresh;
    if (keys === null) {
      const versions = await loadRunVersions(db, event);
      const stale = [...versions].filter(([id, v]) => entry.byId.get(id)?.version !== v).map(([id]) => id);
      if (stale.length > versions.size * DIFF_LIMIT) return reloadAll(db, event, events);
      const gone = [...entry.byId.keys()].filter((id) => !versions.has(id));
      read = { found: await loadEventRunsById(db, event, stale), gone: [...gone, ...stale] };
      kind = "diff";
    } else {
      read = { found: await loadEventRunsById(db, event, keys), gone: keys };
      kind = keys.length === 0 ? "none" : "partial";
    }
    for (const c of changes) {
      entry.seen.add(c.id);
      entry.lastChangeId = Math.max(entry.lastChangeId, c.id);
    }
    for (const id of entry.seen) if (id <= floor) entry.seen.delete(id);
    if (kind === "none") return { runs: entry.list, refresh: kind };
    // A run asked for and not found was deleted meanwhile.
    const found = new Set(read.found.map((v) => v.run.run_id));
    const deleted = read.gone.filter((id) => !found.has(id) && entry.byId.has(id));
    for (const id of deleted) entry.byId.delete(id);
    for (const v of read.found) entry.byId.set(v.run.run_id, v);
    entry.list = deleted.length > 0 ? rebuild(entry) : patch(entry, read.found);
    return { runs: entry.list, refresh: kind };
  };

  return {
    getRuns(db, event) {
      let events = byDb.get(db);
      if (!events) byDb.set(db, (events = new Map()));
      let byEvent = flights.get(db);
      if (!byEvent) flights.set(db, (byEvent = new Map()));
      let flight = byEvent.get(event);
      if (!flight) byEvent.set(event, (flight = { running: null, queued: null }));
      const f = flight;
      const cached = events;
      const start = () => {
        const run: Promise<CachedRuns> = refresh(db, event, cached).finally(() => {
          if (f.running === run) f.running = null;
        });
        f.running = run;
        return run;
      };
      if (!f.running) return start();
      f.queued ??= f.running
        .catch(() => undefined)
        .then(() => {
          f.queued = null;
          return start();
        });
      return f.queued;
    },
    clear() {
      byDb = new WeakMap();
      flights = new WeakMap();
    },
  };
}

/**
 * A new list (readers may still hold the old one) with the changed runs in their places and new
 * runs at the end: copying references is cheap, rebuilding 100,000 entries from the map is not.
 */
function patch(entry: Entry, changed: readonly VersionedRun[]): RunRecord[] {
  const next = entry.list.slice();
  for (const { run } of changed) {
    const i = entry.at.get(run.run_id);
    if (i === undefined) {
      entry.at.set(run.run_id, next.length);
      next.push(run);
    } else next[i] = run;
  }
  return next;
}

/** The list and the places anew from the map, after deletions. */
function rebuild(entry: Entry): RunRecord[] {
  const list = [...entry.byId.values()].map((v) => v.run);
  entry.at = new Map(list.map((run, i) => [run.run_id, i]));
  return list;
}

async function reloadAll(db: Queryable, event: string, events: Map<string, Entry>): Promise<CachedRuns> {
  const entry = await loadAll(db, event);
  events.set(event, entry);
  return { runs: entry.list, refresh: "full" };
}

/** The run ids the changes name, or null when one of them changed several rows (no key). */
function singleRunKeys(changes: readonly ChangeEvent[]): string[] | null {
  const keys = new Set<string>();
  for (const c of changes) {
    if (c.key === null || c.rows !== 1) return null;
    keys.add(c.key);
  }
  return [...keys];
}

/**
 * The feed is read before the rows: every change visible then is in the rows read after it, and a
 * change committed later (even with a lower id) is not yet in `seen`, so the next read applies it.
 */
async function loadAll(db: Queryable, event: string): Promise<Entry> {
  const latest = await getLatestChangeId(db);
  const visible = await readChanges(db, latest, Math.max(0, latest - LOOKBACK), PAGE);
  const runs = await loadEventRuns(db, event);
  return {
    byId: new Map(runs.map((v) => [v.run.run_id, v])),
    list: runs.map((v) => v.run),
    at: new Map(runs.map((v, i) => [v.run.run_id, i])),
    lastChangeId: visible.reduce((max, c) => Math.max(max, c.id), latest),
    seen: new Set(visible.map((c) => c.id)),
  };
}

// One cache per process, on globalThis so Next's separate module graphs share it.
const holder = globalThis as typeof globalThis & { __auditloopRunsCache?: RunsCache };

export function getRunsCache(): RunsCache {
  holder.__auditloopRunsCache ??= createRunsCache();
  return holder.__auditloopRunsCache;
}
