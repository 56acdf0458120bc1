import type { Metadata } from "next";
import Link from "next/link";
import { VIEWS } from "@/components/shell/views";
import { PageHeader, Section } from "@/components/ui/page-header";
import { DEFAULT_RUNS_QUERY, queryRuns } from "@/lib/evidence/runs-query";
import { getEventContext, loadRuns } from "@/lib/web/event-data";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Overview" };

export default async function OverviewPage() {
  const ctx = getEventContext();
  const runs = await loadRuns(ctx);
  // One pass over the runs gives every count the tiles need (facets of the unfiltered query).
  const facets =
    runs.state === "ok" ? queryRuns(runs.value, { ...DEFAULT_RUNS_QUERY, pageSize: 1 }).facets : null;
  const total = runs.state === "ok" ? runs.value.length : 0;
  const tiles = facets
    ? [
        { label: "Runs", value: total, href: "/runs" },
        { label: "Success", value: facets.status.success ?? 0, href: "/runs?status=success" },
        { label: "Failure", value: facets.status.failure ?? 0, href: "/runs?status=failure" },
        { label: "Cancelled", value: facets.status.cancelled ?? 0, href: "/runs?status=cancelled" },
        { label: "Parity mismatch", value: facets.parity.false, href: "/runs?parity=false" },
      ]
    : [];

  return (
    <>
      <PageHeader title="Overview">
        Event <code className="text-[13px]">{ctx.event}</code> ·{" "}
        <code className="text-[13px]">{ctx.shown.dir}</code>
      </PageHeader>
      {runs.state === "invalid" ? (
        <p role="alert" className="mb-4 rounded border border-red-300 bg-red-50 px-3 py-2 text-red-900">
          RUNS_SUMMARY.json cannot be read: see{" "}
          <Link href="/runs" className="underline">
            Runs
          </Link>
          .
        </p>
      ) : null}
      {tiles.length > 0 ? (
        <ul className="mb-6 grid grid-cols-2 gap-3 sm:grid-cols-5" aria-label="Run counts">
          {tiles.map((tile) => (
            <li key={tile.label}>
              <Link
                href={tile.href}
                className="block rounded border border-zinc-200 bg-white px-3 py-2 hover:border-accent-600"
              >
                <span className="block text-xs text-zinc-500">{tile.label}</span>
                <span className="text-xl font-semibold tabular-nums">
                  {tile.value.toLocaleString("en-US")}
                </span>
              </Link>
            </li>
          ))}
        </ul>
      ) : null}
      <Section title="Views" id="views">
        <ul className="grid gap-3 md:grid-cols-2">
          {VIEWS.map((view) => (
            <li key={view.href} className="rounded border border-zinc-200 bg-white px-4 py-3">
              <Link
                href={view.href}
                className="font-medium text-accent-700 underline-offset-2 hover:underline"
              >
                {view.label}
              </Link>
              {view.arrivesWith ? (
                <span className="ml-2 text-xs text-zinc-500">arrives with the {view.arrivesWith} issue</span>
              ) : null}
              <p className="mt-1 line-clamp-2 text-zinc-600">{view.summary}</p>
            </li>
          ))}
        </ul>
      </Section>
    </>
  );
}
