import "server-only";
import { promises as fs } from "node:fs";
import { getEventPaths, toRepoRelative, type EventPaths } from "../config/paths";
import { getSettings } from "../config/settings";
import {
  checkManifest,
  listManifestBackups,
  readManifest,
  type ManifestCheckReport,
} from "../evidence/manifest";
import type { ManifestEntry } from "../evidence/manifest-entry";
import type { RunRecord } from "../evidence/run-record";
import { loadRunsSummaryCached } from "../evidence/runs-summary";
import { createMasker } from "../notify/mask";

/**
 * What the pages read from the event folder, shaped for display. Each loader tells a missing file
 * from an empty or invalid one, so a page can name the command that fills it or the broken field.
 */

export interface EventContext {
  event: string;
  mode: "embedded" | "postgres";
  paths: EventPaths;
  /** Paths as a person types them from the repository root. */
  shown: { dir: string; runsSummary: string; manifest: string };
}

export function getEventContext(): EventContext {
  const settings = getSettings();
  const paths = getEventPaths(settings);
  return {
    event: settings.AUDIT_EVENT,
    mode: settings.DATABASE_URL ? "postgres" : "embedded",
    paths,
    shown: {
      dir: toRepoRelative(paths.dir, paths.root),
      runsSummary: toRepoRelative(paths.runsSummary, paths.root),
      manifest: toRepoRelative(paths.manifest, paths.root),
    },
  };
}

export type Loaded<T> =
  { state: "ok"; value: T } | { state: "missing" } | { state: "invalid"; message: string };

async function exists(file: string): Promise<boolean> {
  return fs.stat(file).then(
    () => true,
    () => false,
  );
}

/** Messages name files by absolute path; a person reads them from the repository root. */
function relativize(message: string, ctx: EventContext): string {
  return message.split(`${ctx.paths.root}/`).join("");
}

function invalid(error: unknown, ctx: EventContext): { state: "invalid"; message: string } {
  return {
    state: "invalid",
    message: relativize(error instanceof Error ? error.message : String(error), ctx),
  };
}

// Run notes are free text from people and from GitHub: masked before any page shows them (DESIGN
// §8). Once per loaded summary (the cache keeps one array per file version), not per request.
const maskedRuns = new WeakMap<readonly RunRecord[], readonly RunRecord[]>();

function maskRunNotes(runs: readonly RunRecord[]): readonly RunRecord[] {
  let masked = maskedRuns.get(runs);
  if (!masked) {
    const mask = createMasker(getSettings());
    masked = runs.map((run) => {
      const notes = mask(run.observer_notes);
      return notes === run.observer_notes ? run : { ...run, observer_notes: notes };
    });
    maskedRuns.set(runs, masked);
  }
  return masked;
}

export async function loadRuns(ctx: EventContext): Promise<Loaded<readonly RunRecord[]>> {
  if (!(await exists(ctx.paths.runsSummary))) return { state: "missing" };
  try {
    return { state: "ok", value: maskRunNotes(await loadRunsSummaryCached(ctx.paths.runsSummary)) };
  } catch (error) {
    return invalid(error, ctx);
  }
}

export interface EvidenceData {
  entries: ManifestEntry[];
  generatedAt: string;
  check: ManifestCheckReport;
  backups: { name: string; createdAt: Date; size: number }[];
}

export async function loadEvidence(ctx: EventContext): Promise<Loaded<EvidenceData>> {
  // Checked first: the manifest's lock would otherwise create the event folder on a mere read.
  if (!(await exists(ctx.paths.manifest))) return { state: "missing" };
  const [check, backups] = await Promise.all([
    checkManifest(ctx.paths.manifest),
    listManifestBackups(ctx.paths.manifest),
  ]);
  // A manifest that fails its check still shows the check's problems and the backups a rollback
  // needs; the read error itself is among check.problems.
  const manifest = check.ok ? await readManifest(ctx.paths.manifest) : null;
  return {
    state: "ok",
    value: {
      entries: manifest?.entries ?? [],
      generatedAt: manifest?.generated_at_utc ?? "",
      check: {
        ...check,
        file: ctx.shown.manifest,
        problems: check.problems.map((p) => relativize(p, ctx)),
      },
      backups: backups.map(({ name, createdAt, size }) => ({ name, createdAt, size })),
    },
  };
}

/** The manifest entries of one run; null when the manifest is missing, a message when it is invalid. */
export async function loadRunEvidence(ctx: EventContext, runId: string): Promise<Loaded<ManifestEntry[]>> {
  if (!(await exists(ctx.paths.manifest))) return { state: "missing" };
  try {
    const manifest = await readManifest(ctx.paths.manifest);
    return { state: "ok", value: manifest.entries.filter((e) => e.run_id === runId) };
  } catch (error) {
    return invalid(error, ctx);
  }
}
