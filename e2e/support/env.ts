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

/** The e2e servers' own event folders and databases, under test-results/ (cleared before each run). */
export const E2E_ENV = {
  // Hermetic: whatever the machine's environment holds, the e2e servers talk to no outside service.
  ...NO_OUTSIDE_SERVICES,
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
