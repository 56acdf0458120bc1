import type { Metadata } from "next";
import { RunSecretsCheckButton } from "@/components/secrets/run-secrets-check-button";
import { SecretsTable } from "@/components/secrets/secrets-table";
import { formatUtc } from "@/components/ui/format";
import { PageHeader, Section } from "@/components/ui/page-header";
import { Command } from "@/components/ui/panels";
import { getSettings } from "@/lib/config/settings";
import { isAllowed } from "@/lib/control/roles";
import { checkSecrets } from "@/lib/control/secrets-check";
import { getLastSecretsCheck } from "@/lib/control/secrets-check-actions";
import { getDatabase } from "@/lib/db";
import { getSessionActor } from "@/lib/web/session";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Secrets" };

export default async function SecretsPage() {
  const settings = getSettings();
  const db = await getDatabase(settings);
  const [actor, last] = await Promise.all([getSessionActor(), getLastSecretsCheck(db)]);
  // Evaluated here on the server; only names and present/missing reach the page.
  const current = checkSecrets(settings);
  const canRun = actor !== null && isAllowed(actor, "secrets.check");
  const missingRequired =
    last?.items.filter((i) => i.requirement === "required" && i.status === "missing") ?? [];

  return (
    <>
      <PageHeader title="Secrets">
        Whether the settings the loop needs are present, without ever showing a value. A recorded check feeds
        checklist step 1; the same definition gates the kill switch&apos;s release.
      </PageHeader>

      <Section
        title="Last recorded check"
        id="secrets-last-check"
        aside={last ? `#${last.id} · ${formatUtc(last.at)} by ${last.actor}` : undefined}
      >
        <div className="max-w-2xl space-y-3 rounded border border-zinc-200 bg-white px-4 py-3">
          <p data-testid="secrets-last-check" className="text-zinc-800">
            {last === null
              ? "No secrets check recorded yet."
              : last.ok
                ? `Passed: every required setting was present (checked ${formatUtc(last.at)} by ${last.actor}).`
                : `Failed: required missing ${missingRequired.map((i) => i.name).join(", ")} (checked ${formatUtc(last.at)} by ${last.actor}).`}
          </p>
          {canRun ? <RunSecretsCheckButton /> : <p className="text-zinc-600">Read-only without a session.</p>}
          <p className="mb-1 text-xs text-zinc-600">
            The same from a terminal or a workflow (exit 78 when a required one is missing):
          </p>
          <Command>scripts/phase4-secrets-check.sh [--require NAME,...] [--json]</Command>
        </div>
      </Section>

      <Section
        title="Settings"
        id="secrets-settings"
        aside={
          current.ok
            ? `required: all present · recommended missing: ${current.missingRecommended.length}`
            : `required missing: ${current.missingRequired.length}`
        }
      >
        <p className="mb-2 max-w-3xl text-zinc-600">
          As this server sees them now. Required follows the configured mode: a mode setting
          (GITHUB_REPOSITORY, SUPABASE_URL, NEXT_PUBLIC_SUPABASE_URL) once set, and the secret it needs;
          everything else is recommended.
        </p>
        <SecretsTable items={current.items} />
      </Section>
    </>
  );
}
