import type { Metadata } from "next";
import { BackupsTable } from "@/components/evidence/backups-table";
import { IntegrityPanel } from "@/components/evidence/integrity-panel";
import { ManifestTable } from "@/components/evidence/manifest-table";
import { formatCount, formatUtc } from "@/components/ui/format";
import { PageHeader, Section } from "@/components/ui/page-header";
import { Pagination } from "@/components/ui/pagination";
import { Command, EmptyState } from "@/components/ui/panels";
import { getEventContext, loadEvidence, loadRuns } from "@/lib/web/event-data";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Evidence" };

const PAGE_SIZE = 100;

export default async function EvidencePage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const ctx = getEventContext();
  const [loaded, runs, params] = await Promise.all([loadEvidence(ctx), loadRuns(ctx), searchParams]);
  const eventFlag = `--event ${ctx.event}`;
  const header = (
    <PageHeader title="Evidence">
      Evidence entries of <code className="text-[13px]">{ctx.shown.manifest}</code>
    </PageHeader>
  );

  if (loaded.state !== "ok") {
    return (
      <>
        {header}
        <EmptyState title={`No evidence recorded for event ${ctx.event} yet`}>
          <p>
            <code>{ctx.shown.manifest}</code> is missing. Collection fills it; an entry can also be recorded
            by hand (atomically, under the manifest&apos;s lock):
          </p>
          <Command>{`scripts/phase4-manifest-atomic.sh ${eventFlag} --run-id ID --evidence-type artifact \\
  --artifact-path ${ctx.shown.dir}/artifacts/ID/raw/ARTIFACT --recorded-at UTC --sha-parity true`}</Command>
          <p>
            or start the console with <code>npm start</code>, which generates the sample event when it is
            missing.
          </p>
        </EmptyState>
      </>
    );
  }

  const { entries, generatedAt, check, backups } = loaded.value;
  const runIds = new Set(runs.state === "ok" ? runs.value.map((r) => r.run_id) : []);
  const pageCount = Math.max(1, Math.ceil(entries.length / PAGE_SIZE));
  const requested = Number.parseInt(String([params.page].flat()[0] ?? "1"), 10);
  const page = Math.min(pageCount, Number.isInteger(requested) && requested > 0 ? requested : 1);
  const shown = entries.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE);

  return (
    <>
      {header}
      {/* Check and rollback first: together they answer "can this manifest be trusted?" */}
      <Section title="Integrity check" id="integrity">
        <IntegrityPanel check={check} command={`scripts/phase4-manifest-atomic.sh --check ${eventFlag}`} />
      </Section>
      <Section title="Backups" id="backups" aside={formatCount(backups.length, "backup")}>
        <BackupsTable
          backups={backups}
          rollbackCommand={`scripts/phase4-manifest-atomic.sh --rollback ${eventFlag}`}
        />
      </Section>
      <Section
        title="Entries"
        id="entries"
        aside={generatedAt ? `generated_at_utc ${formatUtc(generatedAt)}` : undefined}
      >
        {entries.length === 0 ? (
          <p className="rounded border border-dashed border-zinc-300 bg-white px-3 py-2 text-zinc-600">
            {check.ok
              ? "The manifest holds no entries yet."
              : "Entries cannot be listed until the check passes."}
          </p>
        ) : (
          <>
            <ManifestTable
              entries={shown}
              caption="Evidence entries of _manifest.json"
              linkRuns={runIds}
              eventDir={ctx.shown.dir}
            />
            {pageCount > 1 ? (
              <Pagination
                page={page}
                pageCount={pageCount}
                total={formatCount(entries.length, "entry", "entries")}
                noun="Evidence"
                hrefFor={(p) => `/evidence?page=${p}`}
              />
            ) : (
              <p className="mt-2 text-zinc-600">{formatCount(entries.length, "entry", "entries")}</p>
            )}
          </>
        )}
      </Section>
    </>
  );
}
