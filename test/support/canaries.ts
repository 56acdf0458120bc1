/**
 * Canary values for every secret setting (lib/config/settings.ts SECRET_SETTINGS) and the forms
 * they could leak in, shared by the CLI masking tests (vitest) and the masking journey
 * (Playwright). Each value is valid for the settings schema and carries characters that make its
 * base64, URL and JSON forms differ from the raw one, so every encoding is a separate search.
 */
export const CANARY_GITHUB_TOKEN = "canary-gh+Q7x9/Lm2Pz=K1\\v";
export const CANARY_SERVICE_KEY = "canary+service/key=K3y_V4lue\\z";
export const CANARY_ANON_KEY = "canary-anon+ZX9/Jq=Wd\\4";
export const CANARY_DB_PASSWORD = "canary+Pw/db=9X";
/** The webhook's secret lies in its path, as Slack's does. */
export const CANARY_SLACK_PATH = "/services/T0CANARY/B0CANARY/canarySlackHook7Rw";

export function canaryDatabaseUrl(socketDir: string): string {
  return `postgres://canary_user:${encodeURIComponent(CANARY_DB_PASSWORD)}@localhost:5432/postgres?host=${socketDir}`;
}

export function canarySlackUrl(port: number): string {
  return `http://127.0.0.1:${port}${CANARY_SLACK_PATH}`;
}

/** Every secret setting with its canary; the two URLs depend on where the test's servers listen. */
export function canarySettings(where: { slackPort: number; dbSocketDir: string }): Record<string, string> {
  return {
    GITHUB_TOKEN: CANARY_GITHUB_TOKEN,
    SUPABASE_SERVICE_KEY: CANARY_SERVICE_KEY,
    SLACK_WEBHOOK_URL: canarySlackUrl(where.slackPort),
    DATABASE_URL: canaryDatabaseUrl(where.dbSocketDir),
    NEXT_PUBLIC_SUPABASE_ANON_KEY: CANARY_ANON_KEY,
  };
}

/** Token shapes of DESIGN §8 that must never appear, whatever the settings hold. */
export const TOKEN_SHAPES = [
  "ghp_CanaryClassicToken0123456789abcdEF",
  "gho_CanaryOauthToken0123456789abcdEFgh",
  "ghs_CanaryServerToken0123456789abcdEFg",
  "github_pat_11CANARY0123456789_abcdefghijklmnopqrstuv",
  "xoxb-123456789012-canarySlackBot-Tok3n",
  "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJjYW5hcnkifQ.Y2FuYXJ5LXNpZ25hdHVyZQ",
] as const;

/** The forms a value could leak in: raw, base64 (padded or not, url-safe), URL- and JSON-encoded. */
export function encodedForms(value: string): string[] {
  const base64 = Buffer.from(value, "utf8").toString("base64");
  return [
    ...new Set([
      value,
      base64,
      base64.replace(/=+$/, ""),
      Buffer.from(value, "utf8").toString("base64url"),
      encodeURIComponent(value),
      JSON.stringify(value).slice(1, -1),
    ]),
  ];
}

/**
 * What to search outputs for: every encoded form, and each JSON form escaped once more, as a
 * leaked value would appear inside a page's inline data (a JSON string inside a script).
 */
export function leakForms(value: string): string[] {
  const forms = encodedForms(value);
  return [...new Set([...forms, ...forms.map((f) => JSON.stringify(f).slice(1, -1))])];
}

/** The secret-bearing parts worth searching for on their own (a URL's secret path, a password). */
export function canaryNeedles(settings: Record<string, string>): string[] {
  const parts = [...Object.values(settings), CANARY_DB_PASSWORD, CANARY_SLACK_PATH, "canarySlackHook7Rw"];
  return [...new Set([...parts.flatMap(leakForms), ...TOKEN_SHAPES])];
}

/** Run notes carrying every canary in every encoding, and every token shape. */
export function canaryNotes(settings: Record<string, string>): string {
  const values = Object.values(settings).flatMap(encodedForms);
  return `leak test: ${[...values, ...TOKEN_SHAPES].join(" | ")}`;
}

/** The needles found in `text`: an empty list is the only passing answer. */
export function findLeaks(text: string, needles: readonly string[]): string[] {
  return needles.filter((needle) => text.includes(needle));
}
