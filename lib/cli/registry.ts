import type { Command } from "./command";

/**
 * Every subcommand, loaded lazily so `--help` stays fast (DESIGN §11: under 300 ms): only the
 * command that runs is parsed and evaluated.
 */
export const COMMANDS: Record<string, { summary: string; load: () => Promise<Command> }> = {
  "sha-compare": {
    summary: "Compare an artifact's digest with its provenance's subjects",
    load: async () => (await import("./commands/sha-compare")).shaCompareCommand,
  },
  "manifest-atomic": {
    summary: "Add or replace an evidence entry in _manifest.json atomically; --rollback; --check",
    load: async () => (await import("./commands/manifest-atomic")).manifestAtomicCommand,
  },
  "runs-import": {
    summary: "Validate Phase 3 run results and merge them into RUNS_SUMMARY.json",
    load: async () => (await import("./commands/runs-import")).runsImportCommand,
  },
  db: {
    summary: "Serve the embedded database to other processes, or show its status",
    load: async () => (await import("./commands/db")).dbCommand,
  },
  users: {
    summary: "Add a dashboard account with a role, or list the accounts",
    load: async () => (await import("./commands/users")).usersCommand,
  },
  killswitch: {
    summary: "Engage or release the kill switch, or show its state",
    load: async () => (await import("./commands/killswitch")).killswitchCommand,
  },
  "audit-verify": {
    summary: "Verify the audit log's hash chain and name the first tampered row",
    load: async () => (await import("./commands/audit-verify")).auditVerifyCommand,
  },
  "runs-validate": {
    summary: "Validate RUNS_SUMMARY.json against the run record schema",
    load: async () => (await import("./commands/runs-validate")).runsValidateCommand,
  },
  "retry-guard": {
    summary: "Check that the retry table in code still matches the retry policy",
    load: async () => (await import("./commands/retry-guard")).retryGuardCommand,
  },
  "supabase-upsert": {
    summary: "Upsert one metrics row to Supabase keyed by run_id, under the retry policy",
    load: async () => (await import("./commands/supabase-upsert")).supabaseUpsertCommand,
  },
  "slack-summary": {
    summary: "Write the masked Slack summary to slack_excerpts/ and post it when a webhook is set",
    load: async () => (await import("./commands/slack-summary")).slackSummaryCommand,
  },
  "secrets-check": {
    summary: "Check the required settings are present and note the recommended ones (names only)",
    load: async () => (await import("./commands/secrets-check")).secretsCheckCommand,
  },
  "observer-report": {
    summary: "Observer run: KPIs over the window, both audit summaries, KPI snapshot, metrics upsert, Slack",
    load: async () => (await import("./commands/observer-report")).observerReportCommand,
  },
  "auto-collect": {
    summary: "Collect a run's (or a window's) artifacts, check SHA parity, update the evidence; self-heal",
    load: async () => (await import("./commands/auto-collect")).autoCollectCommand,
  },
  sample: {
    summary: "Generate the deterministic sample event (about 200 runs over 7 days)",
    load: async () => (await import("./commands/sample")).sampleCommand,
  },
};
