/** The e2e servers' own event folders and databases, under test-results/ (cleared before each run). */
export const E2E_ENV = {
  AUDIT_EVENT: "e2e-sample",
  AUDIT_REPORTS_ROOT: "test-results/e2e-reports",
  AUDIT_DATA_DIR: "test-results/e2e-data",
} as const;

export const PORT = 3100;

/** A second server over an event with broken files, for the error states. */
export const BROKEN_PORT = 3101;
export const BROKEN_ENV = {
  AUDIT_EVENT: "e2e-broken",
  AUDIT_REPORTS_ROOT: "test-results/e2e-reports",
  AUDIT_DATA_DIR: "test-results/e2e-data-broken",
} as const;
