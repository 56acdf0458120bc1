import type { Metadata } from "next";
import { RunsFilters } from "@/components/runs/runs-filters";
import { RunsTable } from "@/components/runs/runs-table";
import { formatCount } from "@/components/ui/format";
import { PageHeader } from "@/components/ui/page-header";
import { Pagination } from "@/components/ui/pagination";
import { Command, EmptyState, ErrorPanel } from "@/components/ui/panels";
import { parseRunsQuery, queryRuns, toRunsSearchParams } from "@/lib/evidence/runs-query";
import { getEventContext, loadRuns } from "@/lib/web/event-data";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Runs" };

export default async function RunsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const ctx = getEventContext();
  const [loaded, params] = await Promise.all([loadRuns(ctx), searchParams]);
  const header = (
    <PageHeader title="Runs">
      Run records of <code className="text-[13px]">{ctx.shown.runsSummary}</code>
    </PageHeader>
  );

  if (loaded.state === "invalid") {
    return (
      <>
        {header}
        <ErrorPanel title="RUNS_SUMMARY.json cannot be shown" message={loaded.message}>
          <p>
            Fix the named record and field, or re-import the Phase 3 results (the import validates before it
            writes):
          </p>
          <Command>{`scripts/phase4-runs-import.sh FILE --event ${ctx.event}`}</Command>
        </ErrorPanel>
      </>
    );
  }
  if (loaded.state === "missing" || loaded.value.length === 0) {
    return (
      <>
        {header}
        <EmptyState title={`No runs recorded for event ${ctx.event} yet`}>
          <p>
            <code>{ctx.shown.runsSummary}</code> is {loaded.state === "missing" ? "missing" : "empty"}. Import
            the Phase 3 manual results into it:
          </p>
          <Command>{`scripts/phase4-runs-import.sh FILE --event ${ctx.event}`}</Command>
          <p>
            or start the console with <code>npm start</code>, which generates the deterministic sample event
            when it is missing:
          </p>
          <Command>{`node dist/cli/main.mjs sample --event ${ctx.event} --if-missing`}</Command>
        </EmptyState>
      </>
    );
  }

  const query = parseRunsQuery(params);
  const result = queryRuns(loaded.value, query);
  const first = result.total === 0 ? 0 : (result.page - 1) * result.pageSize + 1;
  const last = Math.min(result.total, result.page * result.pageSize);
  const summary =
    result.total === loaded.value.length
      ? `${formatCount(result.total, "run")}`
      : `${formatCount(result.total, "run")} of ${loaded.value.length.toLocaleString("en-US")} match`;

  return (
    <>
      {header}
      {/* Keyed by the query: a client-side navigation (Reset, back) must remount the form, since
          defaultValue does not reset controls that are already in the page. */}
      <RunsFilters key={toRunsSearchParams(query).toString()} query={query} facets={result.facets} />
      <p role="status" className="mb-2 text-zinc-600" data-testid="runs-count">
        {result.total === 0 ? "No runs match these filters." : `Showing ${first}–${last} · ${summary}`}
      </p>
      {result.total > 0 ? (
        <>
          <RunsTable
            rows={result.rows}
            query={{ ...query, page: result.page }}
            caption={`Runs, sorted by ${query.sort} ${query.dir === "asc" ? "ascending" : "descending"}`}
          />
          <Pagination
            page={result.page}
            pageCount={result.pageCount}
            total={summary}
            noun="Runs"
            hrefFor={(page) => `/runs?${toRunsSearchParams(query, { page }).toString()}`}
          />
        </>
      ) : null}
    </>
  );
}
