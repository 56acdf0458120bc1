import { EXIT, InputError } from "../../errors";
import { runAction } from "../../control/action";
import { rollbackManifestAction, updateManifestAction } from "../../evidence/actions";
import { checkManifest } from "../../evidence/manifest";
import { getCliActor } from "../database";
import { EVIDENCE_TYPES, manifestEntrySchema, type ManifestEntry } from "../../evidence/manifest-entry";
import { displayPath, getCliRoot, resolveEventFile } from "../event";
import { getEventPaths } from "../../config/paths";
import { tripIfManifestUnparseable, type AutoTrippedError } from "../../control/auto-trip-checks";
import { resolveCliSettings } from "../event";
import { parseCommandArgs, requireFlag, writeResult, type Command, type CommandContext } from "../command";

const USAGE = `scripts/phase4-manifest-atomic.sh --run-id ID --artifact-path PATH --evidence-type TYPE --recorded-at UTC
    [--sha-parity true|false|unknown] [--notes TEXT] [--manifest PATH] [--event NAME] [--json]
scripts/phase4-manifest-atomic.sh --rollback [--manifest PATH] [--event NAME] [--json]
scripts/phase4-manifest-atomic.sh --check [--manifest PATH] [--event NAME] [--json]

Adds an evidence entry to _manifest.json, or replaces the one with the same run id and evidence
type, under an exclusive lock with an atomic write; the previous version is kept as a backup.

  --run-id ID            the run the evidence belongs to
  --artifact-path PATH   relative to the repository root (no absolute path, no '..')
  --evidence-type TYPE   ${EVIDENCE_TYPES.join(" | ")}
  --recorded-at UTC      ISO 8601 UTC, e.g. 2025-11-14T09:30:00Z
  --sha-parity VALUE     true | false | unknown (default unknown)
  --notes TEXT           at most 200 characters; no URLs, no secrets
  --manifest PATH        default: <AUDIT_REPORTS_ROOT>/<event>/_manifest.json
  --event NAME           the event folder (overrides AUDIT_EVENT)
  --rollback             restore the newest backup; repeat to step further back
  --check                validate (strict JSON, no duplicate keys, schema, one entry per run and type)
  --json                 print one JSON line

Exit codes: 0 done (check ok); 1 bad input, a failed check or a refused write (the manifest is
left untouched; a temporary file that failed validation is named).`;

const OPTIONS = {
  "run-id": { type: "string" },
  "artifact-path": { type: "string" },
  "evidence-type": { type: "string" },
  "recorded-at": { type: "string" },
  "sha-parity": { type: "string" },
  notes: { type: "string" },
  manifest: { type: "string" },
  event: { type: "string" },
  rollback: { type: "boolean" },
  check: { type: "boolean" },
} as const;

const ENTRY_FLAGS = [
  "run-id",
  "artifact-path",
  "evidence-type",
  "recorded-at",
  "sha-parity",
  "notes",
] as const;
const FLAG_OF_FIELD: Record<string, string> = {
  run_id: "--run-id",
  artifact_path: "--artifact-path",
  evidence_type: "--evidence-type",
  recorded_at_utc: "--recorded-at",
  sha_parity: "--sha-parity",
  notes: "--notes",
};

export const manifestAtomicCommand: Command = {
  name: "manifest-atomic",
  script: "scripts/phase4-manifest-atomic.sh",
  summary: "Add or replace an evidence entry in _manifest.json atomically; --rollback; --check",
  usage: USAGE,
  async run(ctx) {
    const { values, positionals } = parseCommandArgs(ctx.argv, OPTIONS, false);
    if (positionals.length > 0) throw new InputError(`unexpected argument '${positionals[0]}' (see --help)`);
    const root = getCliRoot(ctx);
    const file = resolveEventFile(
      ctx,
      { name: "manifest", value: values.manifest },
      values.event,
      (p) => p.manifest,
    );
    const shown = displayPath(file, root);

    if (values.rollback || values.check) {
      if (values.rollback && values.check) throw new InputError("--rollback and --check exclude each other");
      const extra = ENTRY_FLAGS.find((flag) => values[flag] !== undefined);
      if (extra)
        throw new InputError(`--${extra} is not taken with --${values.rollback ? "rollback" : "check"}`);
    }

    if (values.check) {
      const report = await checkManifest(file, { signal: ctx.signal });
      const line = [`manifest=${shown} check=${report.ok ? "ok" : "failed"} entries=${report.entryCount}`]
        .concat(report.problems.map((p) => `  problem: ${p}`))
        .join("\n");
      // A manifest that no longer parses trips the kill switch (DESIGN §7), which rolls it back.
      const trip = report.ok ? null : await tripOnUnparseableManifest(ctx, values.event, file);
      writeResult(
        ctx,
        values.json,
        { ...report, file: shown, ...(trip ? { kill_switch: "engaged", trip: trip.message } : {}) },
        line,
      );
      if (trip)
        ctx.stderr.write(`kill_switch=engaged automatically (manifest_unparseable): ${trip.message}\n`);
      return report.ok ? EXIT.ok : EXIT.input;
    }

    if (values.rollback) {
      const result = await runAction(rollbackManifestAction, {
        actor: getCliActor(ctx.env),
        input: { file },
        db: await ctx.database(),
        signal: ctx.signal,
      });
      if (result.kind !== "rollback") throw new Error("unreachable: rollback returned an update");
      const restored = displayPath(result.restoredFrom, root);
      writeResult(
        ctx,
        values.json,
        {
          ok: true,
          action: "rolled_back",
          manifest: shown,
          restored_from: restored,
          entries: result.entryCount,
          backups_left: result.backupsLeft,
        },
        `manifest=${shown} action=rolled_back restored_from=${restored} entries=${result.entryCount} backups_left=${result.backupsLeft}`,
      );
      return EXIT.ok;
    }

    const entry = parseEntryFlags(values);
    const result = await runAction(updateManifestAction, {
      actor: getCliActor(ctx.env),
      input: { file, entry },
      db: await ctx.database(),
      signal: ctx.signal,
    });
    if (result.kind !== "update") throw new Error("unreachable: update returned a rollback");
    const action = result.replaced ? "replaced" : "added";
    const backup = result.backupPath ? displayPath(result.backupPath, root) : "none";
    writeResult(
      ctx,
      values.json,
      {
        ok: true,
        action,
        manifest: shown,
        run_id: entry.run_id,
        evidence_type: entry.evidence_type,
        entries: result.entryCount,
        backup: result.backupPath ? backup : null,
      },
      `manifest=${shown} run_id=${entry.run_id} evidence_type=${entry.evidence_type} action=${action} entries=${result.entryCount} backup=${backup}`,
    );
    return EXIT.ok;
  },
};

type EntryFlags = Partial<Record<(typeof ENTRY_FLAGS)[number], string>>;

/** Flags → a typed entry; every refusal names the flag and what it expects. */
function parseEntryFlags(values: EntryFlags): ManifestEntry {
  const parity = values["sha-parity"] ?? "unknown";
  if (!["true", "false", "unknown"].includes(parity)) {
    throw new InputError(`--sha-parity: expected true, false or unknown (got '${parity}')`);
  }
  const candidate = {
    run_id: requireFlag(values["run-id"], "run-id", "the run id the evidence belongs to"),
    artifact_path: requireFlag(
      values["artifact-path"],
      "artifact-path",
      "a path relative to the repository root",
    ),
    evidence_type: requireFlag(values["evidence-type"], "evidence-type", EVIDENCE_TYPES.join(" | ")),
    recorded_at_utc: requireFlag(
      values["recorded-at"],
      "recorded-at",
      "an ISO 8601 UTC timestamp like 2025-11-14T09:30:00Z",
    ),
    sha_parity: parity === "unknown" ? "unknown" : parity === "true",
    notes: values.notes ?? "",
  };
  const result = manifestEntrySchema.safeParse(candidate);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const field = String(issue.path[0] ?? "");
    const flag = FLAG_OF_FIELD[field] ?? field;
    const message = field === "evidence_type" ? `one of ${EVIDENCE_TYPES.join(", ")}` : issue.message;
    // Notes may hold the secret being refused: never echo them.
    const got = field === "notes" ? "" : ` (got '${String((candidate as Record<string, unknown>)[field])}')`;
    return `${flag}: expected ${message}${got}`;
  });
  throw new InputError(problems.join("; "));
}

/** Trips only for the event's own manifest (another file is no event's evidence). */
async function tripOnUnparseableManifest(
  ctx: CommandContext,
  event: string | undefined,
  file: string,
): Promise<AutoTrippedError | null> {
  const settings = resolveCliSettings(ctx, event);
  const paths = getEventPaths(settings, getCliRoot(ctx));
  if (file !== paths.manifest) return null;
  return tripIfManifestUnparseable({ db: await ctx.database(), settings, paths });
}
