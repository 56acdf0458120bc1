import type { EventPaths } from "../config/paths";
import type { Settings } from "../config/settings";
import { checkManifest } from "../evidence/manifest";
import { checkSecrets, describeMissingRequired } from "./secrets-check";

/**
 * The restart checks a release requires (DESIGN §7): the secrets the configured integrations need
 * are present; the manifest parses with no duplicate keys; a Supabase test request answers 2xx
 * (skipped, with a note, in embedded mode).
 */
export interface RestartCheck {
  id: "secrets" | "manifest" | "supabase";
  title: string;
  status: "pass" | "fail" | "skipped";
  detail: string;
}

function checkRequiredSecrets(settings: Settings): RestartCheck {
  // The secrets check's one definition of "required" (secrets-check.ts); names only, never values.
  const result = checkSecrets(settings);
  const recommended = result.missingRecommended.length;
  const noted = recommended === 0 ? "" : ` (${recommended} recommended missing: see the secrets check)`;
  return {
    id: "secrets",
    title: "Required secrets present",
    status: result.ok ? "pass" : "fail",
    detail: result.ok ? `every required setting is present${noted}` : describeMissingRequired(result),
  };
}

async function checkManifestIntegrity(paths: EventPaths): Promise<RestartCheck> {
  const title = "Manifest parses with no duplicate keys";
  try {
    const report = await checkManifest(paths.manifest);
    return report.ok
      ? { id: "manifest", title, status: "pass", detail: `${report.entryCount} entries valid` }
      : { id: "manifest", title, status: "fail", detail: report.problems.join("; ") };
  } catch (error) {
    return { id: "manifest", title, status: "fail", detail: (error as Error).message };
  }
}

async function checkSupabase(settings: Settings, fetchImpl: typeof fetch): Promise<RestartCheck> {
  const title = "Supabase test request returns 2xx";
  if (!settings.SUPABASE_URL) {
    return { id: "supabase", title, status: "skipped", detail: "embedded mode: SUPABASE_URL is not set" };
  }
  if (!settings.SUPABASE_SERVICE_KEY) {
    return {
      id: "supabase",
      title,
      status: "fail",
      detail: "SUPABASE_URL is set but SUPABASE_SERVICE_KEY is not",
    };
  }
  const url = new URL(
    `rest/v1/${settings.SUPABASE_METRICS_TABLE}?select=run_id&limit=1`,
    settings.SUPABASE_URL.replace(/\/?$/, "/"),
  );
  try {
    const response = await fetchImpl(url, {
      headers: {
        apikey: settings.SUPABASE_SERVICE_KEY,
        authorization: `Bearer ${settings.SUPABASE_SERVICE_KEY}`,
      },
      signal: AbortSignal.timeout(10_000),
    });
    await response.body?.cancel();
    return response.ok
      ? { id: "supabase", title, status: "pass", detail: `SUPABASE_URL answered ${response.status}` }
      : { id: "supabase", title, status: "fail", detail: `SUPABASE_URL answered ${response.status}` };
  } catch (error) {
    return {
      id: "supabase",
      title,
      status: "fail",
      detail: `SUPABASE_URL unreachable (${(error as Error).name})`,
    };
  }
}

export async function runRestartChecks(
  settings: Settings,
  paths: EventPaths,
  fetchImpl: typeof fetch = fetch,
): Promise<RestartCheck[]> {
  return [
    checkRequiredSecrets(settings),
    await checkManifestIntegrity(paths),
    await checkSupabase(settings, fetchImpl),
  ];
}
