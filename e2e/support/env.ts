import path from "node:path";
import { canarySettings } from "../../test/support/canaries";

const NO_OUTSIDE_SERVICES = {
  DATABASE_URL: "",
  GITHUB_TOKEN: "",
  GITHUB_REPOSITORY: "",
  SUPABASE_URL: "",
  SUPABASE_SERVICE_KEY: "",
  NEXT_PUBLIC_SUPABASE_URL: "",
  NEXT_PUBLIC_SUPABASE_ANON_KEY: "",
  SLACK_WEBHOOK_URL: "",
} as const;

/**
 * The e2e GitHub: a local GitHub API server (test/support/github-server) on a fixed loopback port,
 * serving the e2e event's own runs and artifacts (scripts/github-server/serve.mjs). Test-only token.
 */
export const GITHUB_PORT = 3120;
export const E2E_GITHUB = {
  GITHUB_API_URL: `http://127.0.0.1:${GITHUB_PORT}`,
  GITHUB_TOKEN: "ghs_e2eLocalGitHubServerTestToken0001",
  GITHUB_REPOSITORY: "acme/app",
} as const;

/** The e2e servers' own event folders and databases, under test-results/ (cleared before each run). */
export const E2E_ENV = {
  // Hermetic: whatever the machine's environment holds, the e2e servers talk to no outside service
  // but the local GitHub server above.
  ...NO_OUTSIDE_SERVICES,
  ...E2E_GITHUB,
  AUDIT_EVENT: "e2e-sample",
  AUDIT_REPORTS_ROOT: "test-results/e2e-reports",
  AUDIT_DATA_DIR: "test-results/e2e-data",
} as const;

export const PORT = 3100;

/** A second server over an event with broken files, for the error states. */
export const BROKEN_PORT = 3101;
export const BROKEN_ENV = {
  ...NO_OUTSIDE_SERVICES,
  AUDIT_EVENT: "e2e-broken",
  AUDIT_REPORTS_ROOT: "test-results/e2e-reports",
  AUDIT_DATA_DIR: "test-results/e2e-data-broken",
} as const;

/**
 * A third server whose every secret setting holds a canary (e2e/masking.spec.ts): DATABASE_URL
 * reaches its own embedded database over the socket e2e/support/canary-server.mjs serves, with a
 * canary password; SLACK_WEBHOOK_URL points at the receiver the spec starts on CANARY_SLACK_PORT.
 */
export const CANARY_PORT = 3102;
export const CANARY_SLACK_PORT = 3103;
const CANARY_DATA_DIR = "test-results/e2e-data-canary";
export const CANARY_SECRETS = canarySettings({
  slackPort: CANARY_SLACK_PORT,
  dbSocketDir: path.resolve(CANARY_DATA_DIR),
});
export const CANARY_ENV = {
  ...NO_OUTSIDE_SERVICES,
  AUDIT_EVENT: "e2e-canary",
  AUDIT_REPORTS_ROOT: "test-results/e2e-reports",
  AUDIT_DATA_DIR: CANARY_DATA_DIR,
  RETRY_BACKOFF_SCALE: "0",
  ...CANARY_SECRETS,
};
