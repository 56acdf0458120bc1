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
  sample: {
    summary: "Generate the deterministic sample event (about 200 runs over 7 days)",
    load: async () => (await import("./commands/sample")).sampleCommand,
  },
};
