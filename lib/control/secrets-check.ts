import type { Settings } from "../config/settings";
import { InputError } from "../errors";

/**
 * The one definition of which settings the loop needs (DESIGN §7, §12 step 1), shared by the
 * secrets check, its view and the kill switch's restart checks.
 *
 * The configured mode is read from the settings that say where the loop works, never from the
 * secrets themselves: GITHUB_REPOSITORY (always set inside GitHub Actions) means the loop observes
 * and collects from GitHub, so GITHUB_TOKEN is required; SUPABASE_URL means metrics go to
 * Supabase, so SUPABASE_SERVICE_KEY is required; NEXT_PUBLIC_SUPABASE_URL means Supabase Auth, so
 * its anon key is required. A setting that names the mode is required once set. Everything else
 * is recommended: the loop runs without it (embedded database, local accounts, no Slack post
 * but the excerpt is still written), and the check notes it. `--require` makes more names required.
 *
 * The result carries names and present/missing only: never a value, a length or a prefix.
 */
export const CHECKED_SETTINGS = [
  "GITHUB_REPOSITORY",
  "GITHUB_TOKEN",
  "SUPABASE_URL",
  "SUPABASE_SERVICE_KEY",
  "NEXT_PUBLIC_SUPABASE_URL",
  "NEXT_PUBLIC_SUPABASE_ANON_KEY",
  "DATABASE_URL",
  "SLACK_WEBHOOK_URL",
] as const satisfies readonly (keyof Settings)[];

export type CheckedSetting = (typeof CHECKED_SETTINGS)[number];
export type SecretRequirement = "required" | "recommended";

export interface SecretCheckItem {
  name: CheckedSetting;
  requirement: SecretRequirement;
  status: "present" | "missing";
  /** Why it is required or recommended, in words a person acts on. */
  why: string;
}

export interface SecretsCheckResult {
  ok: boolean;
  items: SecretCheckItem[];
  missingRequired: CheckedSetting[];
  missingRecommended: CheckedSetting[];
}

/** A mode setting and the secret it makes required; the mode setting is required once set. */
const MODES: { mode: CheckedSetting; secret: CheckedSetting; purpose: string }[] = [
  { mode: "GITHUB_REPOSITORY", secret: "GITHUB_TOKEN", purpose: "observing and collecting GitHub runs" },
  { mode: "SUPABASE_URL", secret: "SUPABASE_SERVICE_KEY", purpose: "the Supabase metrics upsert" },
  { mode: "NEXT_PUBLIC_SUPABASE_URL", secret: "NEXT_PUBLIC_SUPABASE_ANON_KEY", purpose: "Supabase Auth" },
];

const RECOMMENDED_WHY: Record<CheckedSetting, string> = {
  GITHUB_REPOSITORY: "without it the loop does not observe GitHub (imported runs only)",
  GITHUB_TOKEN: "needed once GITHUB_REPOSITORY is set",
  SUPABASE_URL: "without it metrics stay in the local database",
  SUPABASE_SERVICE_KEY: "needed once SUPABASE_URL is set",
  NEXT_PUBLIC_SUPABASE_URL: "without it the console uses local accounts",
  NEXT_PUBLIC_SUPABASE_ANON_KEY: "needed once NEXT_PUBLIC_SUPABASE_URL is set",
  DATABASE_URL: "without it the embedded database is used",
  SLACK_WEBHOOK_URL: "without it summaries are written to slack_excerpts/ but not posted",
};

export function isCheckedSetting(name: string): name is CheckedSetting {
  return (CHECKED_SETTINGS as readonly string[]).includes(name);
}

/** `--require A,B`: names the check must treat as required; an unknown name is a usage error. */
export function parseRequiredNames(list: string, flag = "--require"): CheckedSetting[] {
  const names = list
    .split(",")
    .map((n) => n.trim())
    .filter((n) => n !== "");
  const unknown = names.filter((n) => !isCheckedSetting(n));
  if (unknown.length > 0 || names.length === 0) {
    throw new InputError(
      `${flag}: expected a comma-separated list of ${CHECKED_SETTINGS.join(", ")}` +
        (unknown.length > 0
          ? ` (unknown: ${unknown.map((n) => JSON.stringify(n.slice(0, 60))).join(", ")})`
          : ""),
    );
  }
  return [...new Set(names.filter(isCheckedSetting))];
}

function isSet(settings: Settings, name: CheckedSetting): boolean {
  const value = settings[name];
  return typeof value === "string" && value.trim() !== "";
}

/** Requirement and presence of every checked setting, for the configured mode. */
export function checkSecrets(
  settings: Settings,
  extraRequired: readonly CheckedSetting[] = [],
): SecretsCheckResult {
  const items = CHECKED_SETTINGS.map((name): SecretCheckItem => {
    const status = isSet(settings, name) ? "present" : "missing";
    const asMode = MODES.find((m) => m.mode === name && isSet(settings, m.mode));
    if (asMode) return { name, requirement: "required", status, why: `selects ${asMode.purpose}` };
    const asSecret = MODES.find((m) => m.secret === name && isSet(settings, m.mode));
    if (asSecret) return { name, requirement: "required", status, why: `needed by ${asSecret.mode}` };
    if (extraRequired.includes(name))
      return { name, requirement: "required", status, why: "required by --require" };
    return { name, requirement: "recommended", status, why: RECOMMENDED_WHY[name] };
  });
  const missing = (requirement: SecretRequirement) =>
    items.filter((i) => i.requirement === requirement && i.status === "missing").map((i) => i.name);
  const missingRequired = missing("required");
  return {
    ok: missingRequired.length === 0,
    items,
    missingRequired,
    missingRecommended: missing("recommended"),
  };
}

/** "missing: GITHUB_TOKEN (needed by GITHUB_REPOSITORY)" — names only. */
export function describeMissingRequired(result: SecretsCheckResult): string {
  const missing = result.items.filter((i) => i.requirement === "required" && i.status === "missing");
  return `missing: ${missing.map((i) => `${i.name} (${i.why})`).join(", ")}`;
}
