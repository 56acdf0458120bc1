import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { RunCollectionSection } from "@/components/collect/run-collection-section";
import { ManifestTable } from "@/components/evidence/manifest-table";
import { RunFields } from "@/components/runs/run-fields";
import { ParityBadge, StatusBadge } from "@/components/ui/badges";
import { PageHeader, Section } from "@/components/ui/page-header";
import { Command, EmptyState, ErrorPanel } from "@/components/ui/panels";
import { isAllowed } from "@/lib/control/roles";
import { parseRunsQuery, toRunsSearchParams } from "@/lib/evidence/runs-query";
import { getGitHubSetup, loadCollections, loadSelfHealAttempts } from "@/lib/web/collect-view";
import { getEventContext, loadRunEvidence, loadRuns } from "@/lib/web/event-data";
import { getKillSwitchBanner } from "@/lib/web/kill-switch-state";
import { getSessionActor } from "@/lib/web/session";

export const dynamic = "force-dynamic";

type Props = {
  params: Promise<{ runId: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

// The GitHub run behind a record: its id, or `<run_id>-attempt-<n>` for a re-run attempt (lib/collect).
function toGitHubRunId(recordRunId: string): string | null {
  return /^(\d{1,20})(?:-attempt-\d+)?$/.exec(recordRunId)?.[1] ?? null;
}

// A segment may arrive percent-encoded; a lone "%" in an id must not turn into a 500.
function decodeRunId(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: `Run ${decodeRunId((await params).runId)}` };
}

export default async function RunDetailPage({ params, searchParams }: Props) {
  const ctx = getEventContext();
  const [{ runId: rawId }, search, loaded] = await Promise.all([params, searchParams, loadRuns(ctx)]);
  const runId = decodeRunId(rawId);
  if (loaded.state === "invalid") {
    return (
      <>
        <PageHeader title={`Run ${runId}`} />
        <ErrorPanel title="RUNS_SUMMARY.json cannot be shown" message={loaded.message} />
      </>
    );
  }
  const runs = loaded.state === "ok" ? loaded.value : [];
  const run = runs.find((r) => r.run_id === runId);
  if (!run) notFound();

  const githubRunId = toGitHubRunId(run.run_id);
  const [evidence, actor, banner, collections, attempts] = await Promise.all([
    loadRunEvidence(ctx, run.run_id),
    getSessionActor(),
    getKillSwitchBanner(),
    githubRunId ? loadCollections(githubRunId) : [],
    githubRunId ? loadSelfHealAttempts(githubRunId) : [],
  ]);
  const github = getGitHubSetup();
  const origin = run.retry_origin ? runs.find((r) => r.run_id === run.retry_origin) : undefined;
  const retriedBy = runs.filter((r) => r.retry_origin === run.run_id);
  // Back to the list exactly as it was filtered, sorted and paged.
  const back = toRunsSearchParams(parseRunsQuery(search)).toString();
  const runLink = (id: string) => (
    <Link
      href={`/runs/${encodeURIComponent(id)}`}
      className="font-mono text-accent-700 underline-offset-2 hover:underline"
    >
      {id}
    </Link>
  );

  return (
    <>
      <Link
        href={`/runs${back ? `?${back}` : ""}`}
        className="mb-2 inline-block text-zinc-600 hover:text-zinc-900"
      >
        ← Back to runs
      </Link>
      <PageHeader
        title={
          <>
            Run <span className="font-mono">{run.run_id}</span>
          </>
        }
      >
        <span className="flex items-center gap-2">
          <StatusBadge status={run.status} />
          <ParityBadge parity={run.sha_parity} />
          <span className="text-zinc-500">
            {run.trigger_mode} · {run.source ?? "source not recorded"}
          </span>
        </span>
      </PageHeader>

      <div className="grid gap-6 lg:grid-cols-[minmax(0,3fr)_minmax(0,2fr)]">
        <Section title="Run record" id="run-record">
          <RunFields run={run} />
        </Section>
        <div>
          <Section title="Observer notes" id="observer-notes">
            <div
              className={`rounded border px-3 py-2 whitespace-pre-wrap ${
                run.sha_parity ? "border-zinc-200 bg-white" : "border-amber-300 bg-amber-50"
              }`}
            >
              {run.observer_notes || <span className="text-zinc-400 italic">No notes.</span>}
            </div>
            <p className="mt-1 text-xs text-zinc-500">
              Observer run <span className="font-mono">{run.observer_run_id || "—"}</span>
            </p>
          </Section>
          <Section title="Retries" id="retries">
            <dl className="grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1 rounded border border-zinc-200 bg-white px-3 py-2">
              <dt className="text-zinc-500">Retries</dt>
              <dd className="tabular-nums">
                {run.retries}
                {run.retry_exhausted ? <span className="ml-2 text-red-700">retries exhausted</span> : null}
              </dd>
              <dt className="text-zinc-500">Retry of</dt>
              <dd>
                {run.retry_origin ? (
                  origin ? (
                    runLink(origin.run_id)
                  ) : (
                    <span className="font-mono">{run.retry_origin}</span>
                  )
                ) : (
                  "—"
                )}
              </dd>
              <dt className="text-zinc-500">Retried by</dt>
              <dd className="flex flex-wrap gap-x-2">
                {retriedBy.length > 0
                  ? retriedBy.map((r) => <span key={r.run_id}>{runLink(r.run_id)}</span>)
                  : "—"}
              </dd>
            </dl>
          </Section>
        </div>
      </div>

      <Section title="Evidence" id="run-evidence" aside={<code>{ctx.shown.manifest}</code>}>
        {evidence.state === "invalid" ? (
          <ErrorPanel title="_manifest.json cannot be read" message={evidence.message} />
        ) : evidence.state === "ok" && evidence.value.length > 0 ? (
          <ManifestTable
            entries={evidence.value}
            caption={`Evidence of run ${run.run_id}`}
            showRunId={false}
            eventDir={ctx.shown.dir}
          />
        ) : (
          <EmptyState title="No evidence recorded for this run">
            <p>Record an artifact (or its provenance, log, metrics row) with:</p>
            <Command>{`scripts/phase4-manifest-atomic.sh --event ${ctx.event} --run-id ${run.run_id} --evidence-type artifact \\
  --artifact-path ${ctx.shown.dir}/artifacts/${run.run_id}/raw/ARTIFACT --recorded-at UTC --sha-parity true`}</Command>
          </EmptyState>
        )}
      </Section>

      <Section title="Collection" id="run-collection" aside="from GitHub Actions · live">
        {githubRunId ? (
          <RunCollectionSection
            githubRunId={githubRunId}
            collections={collections}
            attempts={attempts}
            collect={
              actor && isAllowed(actor, "collect.run")
                ? {
                    initialBanner: banner,
                    blockedBy: github.configured ? null : `missing ${github.missing.join(", ")}`,
                  }
                : null
            }
          />
        ) : (
          <p className="text-zinc-600">
            <span className="font-mono">{run.run_id}</span> is not a GitHub run id (digits): this record was
            not collected from GitHub Actions.
          </p>
        )}
      </Section>
    </>
  );
}
