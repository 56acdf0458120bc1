import Link from "next/link";
import type { ReactNode } from "react";
import { RUN_STATUSES } from "@/lib/evidence/run-record";
import { DEFAULT_RUNS_QUERY, type RunsFacets, type RunsQuery } from "@/lib/evidence/runs-query";

/**
 * A plain GET form: it works without JavaScript, and the URL it produces is the page's state
 * (shareable, back-button friendly). Sort and page size ride along as hidden fields; the page
 * starts again at 1 whenever a filter changes.
 */
export function RunsFilters({ query, facets }: { query: RunsQuery; facets: RunsFacets }) {
  const withCount = (label: string, n: number | undefined) =>
    `${label} (${(n ?? 0).toLocaleString("en-US")})`;
  return (
    <form
      action="/runs"
      method="get"
      role="search"
      aria-label="Filter runs"
      className="mb-3 flex flex-wrap items-end gap-x-2.5 gap-y-2 rounded border border-zinc-200 bg-white px-3 py-2.5"
    >
      <Field id="filter-q" label="Run id">
        <input
          id="filter-q"
          name="q"
          type="search"
          defaultValue={query.q ?? ""}
          placeholder="contains…"
          className={`${control} w-36 font-mono`}
        />
      </Field>
      <Field id="filter-status" label="Status">
        <select id="filter-status" name="status" defaultValue={query.status ?? ""} className={control}>
          <option value="">Any status</option>
          {RUN_STATUSES.map((s) => (
            <option key={s} value={s}>
              {withCount(s, facets.status[s])}
            </option>
          ))}
        </select>
      </Field>
      <Field id="filter-parity" label="SHA parity">
        <select
          id="filter-parity"
          name="parity"
          defaultValue={query.parity === undefined ? "" : String(query.parity)}
          className={control}
        >
          <option value="">Any parity</option>
          <option value="true">{withCount("match", facets.parity.true)}</option>
          <option value="false">{withCount("mismatch", facets.parity.false)}</option>
        </select>
      </Field>
      <Field id="filter-trigger" label="Trigger">
        <select id="filter-trigger" name="trigger" defaultValue={query.trigger ?? ""} className={control}>
          <option value="">Any trigger</option>
          {Object.keys(facets.trigger)
            .sort()
            .map((t) => (
              <option key={t} value={t}>
                {withCount(t, facets.trigger[t])}
              </option>
            ))}
        </select>
      </Field>
      <Field id="filter-source" label="Source">
        <select id="filter-source" name="source" defaultValue={query.source ?? ""} className={control}>
          <option value="">Any source</option>
          {(["manual", "auto"] as const).map((s) => (
            <option key={s} value={s}>
              {withCount(s, facets.source[s])}
            </option>
          ))}
        </select>
      </Field>
      <Field id="filter-retried" label="Retries">
        <select
          id="filter-retried"
          name="retried"
          defaultValue={query.retried === undefined ? "" : String(query.retried)}
          className={control}
        >
          <option value="">Any</option>
          <option value="true">Retried</option>
          <option value="false">Not retried</option>
        </select>
      </Field>
      {query.sort !== DEFAULT_RUNS_QUERY.sort ? <input type="hidden" name="sort" value={query.sort} /> : null}
      {query.dir !== DEFAULT_RUNS_QUERY.dir ? <input type="hidden" name="dir" value={query.dir} /> : null}
      {query.pageSize !== DEFAULT_RUNS_QUERY.pageSize ? (
        <input type="hidden" name="pageSize" value={query.pageSize} />
      ) : null}
      <div className="flex items-center gap-2">
        <button
          type="submit"
          className="h-8 rounded bg-accent-700 px-3 text-sm font-medium text-white hover:bg-accent-800"
        >
          Apply filters
        </button>
        <Link href="/runs" className="px-1 text-sm text-zinc-600 underline-offset-2 hover:underline">
          Reset
        </Link>
      </div>
    </form>
  );
}

const control =
  "h-8 rounded border border-zinc-300 bg-white px-2 text-sm text-zinc-900 hover:border-zinc-400 focus:border-accent-600";

function Field({ id, label, children }: { id: string; label: string; children: ReactNode }) {
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={id} className="text-xs font-medium text-zinc-600">
        {label}
      </label>
      {children}
    </div>
  );
}
