import path from "node:path";
import { toRepoRelative } from "../config/paths";
import type { Database } from "../db";
import { EXIT, exitCodeOf, InputError, KillSwitchEngagedError, type ExitCode } from "../errors";
import type { Artifact, GitHubClient, WorkflowRun } from "../github";
import {
  finishCollections,
  insertCollection,
  updateCollection,
  updateCollections,
} from "./collections-store";
import { artifactFolder } from "./entries";
import type { EvidenceWriter } from "./evidence-writes";
import type { FetchContext, FetchedArtifact } from "./fetch-artifact";
import { gatherArtifacts, type GatherHooks } from "./gather";
import type { CollectOptions } from "./inputs";
import { recordRunId } from "./run-update";
import { closeRerunAttempt, reviewFailedRun, type HealContext } from "./self-heal";
import type { CollectEnv, CollectRunResult, SelfHealReport } from "./types";
import { redownloadOnce } from "./parity-heal";
import { recordRun } from "./record-run";
import { openWorkspace } from "./workspace";

/**
 * One run, end to end (the steps): the run and its artifacts from GitHub; each selected
 * artifact streamed to a workspace with GitHub's digest checked and extracted safely (hashed once);
 * parity against the provenance, re-downloaded once when false; then, unless a dry run, the
 * folders moved into artifacts/<run_id>/raw/ and RUNS_SUMMARY.json, _manifest.json and
 * _evidence_index.md updated atomically; last, a failed run is reviewed for a re-run.
 */
export interface RunDeps {
  env: CollectEnv;
  github: GitHubClient;
  db: Database;
  actor: string;
  signal: AbortSignal;
  /** Shared by the runs of a window collection (group commits); one per run otherwise. */
  writer?: EvidenceWriter;
  /** The window's concurrency slot: given back once the downloads are done (see collect-window). */
  releaseSlot?: () => void;
  /** Other runs are collected at the same time (a window at concurrency > 1). */
  besideOthers?: boolean;
}

export interface RunTarget {
  runId: string;
  /** Given by the window collection, which has listed them already. */
  run?: WorkflowRun;
  artifacts?: Artifact[];
}

/** The worst of several exit codes: the kill switch, then refusals (a person must act), then exhausted retries. */
export function worstExit(codes: readonly ExitCode[]): ExitCode {
  for (const code of [EXIT.killSwitch, EXIT.serviceRefused, EXIT.retryExhausted, EXIT.input] as const) {
    if (codes.includes(code)) return code;
  }
  return EXIT.ok;
}

const isoSeconds = (date: Date) => date.toISOString().replace(/\.\d{3}Z$/, "Z");

export async function collectOneRun(
  deps: RunDeps,
  options: CollectOptions,
  target: RunTarget,
): Promise<CollectRunResult> {
  const { env, github, db, signal } = deps;
  const { paths } = env;
  const now = env.now ?? (() => new Date());
  const run = target.run ?? (await github.getRun(target.runId));
  if (run.status !== "completed") {
    throw new InputError(
      `run ${run.runId}: its status is ${run.status}, expected completed; collect it once it has finished`,
    );
  }
  const listed = target.artifacts ?? (await github.listArtifacts(run.runId));
  const selected = listed.filter((a) => path.matchesGlob(a.name, options.artifactPattern));
  const heal: HealContext = {
    github,
    db,
    settings: env.settings,
    event: paths.event,
    actor: deps.actor,
    signal,
    dryRun: options.dryRun,
  };
  const closure = await closeRerunAttempt(heal, run);
  const recordId = recordRunId(run);
  const workspace = await openWorkspace(paths.artifacts, run.runId, options.dryRun);
  let comparing: ReturnType<typeof setTimeout> | undefined;
  // Rows fetched whole but not yet finished: a stop marks them failed, never leaves them hanging.
  const pending = new Map<number, FetchedArtifact>();
  const context = (dir: string): FetchContext => ({
    github,
    db,
    settings: env.settings,
    event: paths.event,
    runId: run.runId,
    runAttempt: run.runAttempt,
    actor: deps.actor,
    dryRun: options.dryRun,
    workspace: dir,
    signal,
    fetchImpl: env.fetchImpl,
    onProgress: env.onProgress,
    algorithms: ["sha256"],
    besideOthers: deps.besideOthers === true,
  });
  const progress = (f: FetchedArtifact, phase: "comparing" | "done" | "failed") =>
    env.onProgress?.({
      runId: run.runId,
      artifact: f.outcome.name,
      bytes: f.outcome.bytes,
      total: f.outcome.bytes,
      percent: 100,
      phase,
    });
  const hooks: GatherHooks = {
    onFetched: (f) => {
      if (f.outcome.state === "done") pending.set(f.collectionId, f);
    },
    beforeCompare: async (fetched) => {
      const done = fetched.filter((one) => one.outcome.state === "done");
      for (const f of done) progress(f, "comparing");
      // Like the rows' other phases: written only when the comparison lasts (SHA-512 hashing).
      comparing = setTimeout(() => {
        void updateCollections(
          db,
          done.map((f) => f.collectionId),
          { state: "comparing" },
        ).catch(() => undefined);
      }, 1_000);
      comparing.unref();
    },
  };
  // Every row still open, in one statement: done (with its folder once placed) or failed.
  const finishOpen = async (
    fetched: readonly FetchedArtifact[],
    patch: Parameters<typeof finishCollections>[2],
    folderOf: (f: FetchedArtifact) => string | null = () => null,
  ) => {
    const open = fetched.filter((f) => pending.has(f.collectionId));
    clearTimeout(comparing);
    await finishCollections(
      db,
      open.map((f) => ({
        id: f.collectionId,
        bytes: f.outcome.bytes,
        zipDigest: f.outcome.zipDigest,
        artifactPath: folderOf(f),
      })),
      patch,
    );
    for (const f of open) {
      pending.delete(f.collectionId);
      progress(f, patch.state === "done" ? "done" : "failed");
    }
  };

  try {
    let gathered = await gatherArtifacts(context(workspace.dir), selected, options.metadataPattern, hooks);
    const selfHeal: SelfHealReport = { parity: null, rerun: null, healed: closure.healed };
    if (gathered.match && !gathered.match.shaParity && !options.dryRun) {
      const healed = await redownloadOnce(
        { db, event: paths.event, runId: run.runId, actor: deps.actor, now },
        gathered,
        {
          closeFirst: () =>
            finishOpen(gathered.fetched, {
              state: "done",
              shaParity: false,
              error: "sha_parity=false: downloaded again",
            }),
          again: async () => {
            const relisted = (await github.listArtifacts(run.runId)).filter((a) =>
              path.matchesGlob(a.name, options.artifactPattern),
            );
            const dir = path.join(workspace.dir, "again");
            return gatherArtifacts(context(dir), relisted, options.metadataPattern, hooks);
          },
        },
      );
      gathered = healed.gathered;
      selfHeal.parity = healed.report;
    }

    const result = await recordRun(deps, options, {
      run,
      recordId,
      gathered,
      listedNone: selected.length === 0,
      closure,
      recordedAt: isoSeconds(now()),
    });
    const folderOf = (f: FetchedArtifact) => {
      if (!result.written) return null;
      const folder = toRepoRelative(artifactFolder(paths, recordId, f.outcome.name), paths.root);
      f.outcome.path = folder;
      return folder;
    };
    await finishOpen(
      gathered.fetched,
      result.record
        ? { state: "done", shaParity: result.parity?.shaParity ?? null }
        : { state: "failed", error: `not recorded: ${result.notes.join("; ")}`.slice(0, 1000) },
      folderOf,
    );
    if (selected.length === 0 && result.record) {
      await insertCollection(db, {
        event: paths.event,
        runId: run.runId,
        runAttempt: run.runAttempt,
        artifactId: null,
        artifactName: null,
        size: null,
        actor: deps.actor,
        dryRun: options.dryRun,
        state: "done",
      }).then((id) => updateCollection(db, id, { finished: true }));
    }
    deps.releaseSlot?.();
    selfHeal.rerun = await reviewFailedRun(heal, run).catch((error: unknown) => {
      // The evidence is written; a failed review is reported with its code, not lost with the run.
      if (signal.aborted || error instanceof KillSwitchEngagedError || !(error instanceof Error)) throw error;
      return {
        healable: false,
        because: `the re-run review failed: ${error.message}`,
        action: "failed" as const,
        attempt: null,
        exitCode: exitCodeOf(error),
      };
    });
    const artifacts = gathered.fetched.map((f) => f.outcome);
    const codes = [...artifacts.map((a) => a.exitCode), selfHeal.rerun.exitCode];
    return {
      runId: run.runId,
      recordRunId: recordId,
      runAttempt: run.runAttempt,
      conclusion: run.conclusion,
      dryRun: options.dryRun,
      status: result.record ? "collected" : "failed",
      artifacts,
      parity: result.parity,
      record: result.record,
      manifestEntries: result.entries,
      selfHeal,
      exitCode: worstExit(codes.filter((c): c is ExitCode => c !== undefined)),
      error: result.record ? undefined : result.notes.join("; "),
    };
  } catch (error) {
    clearTimeout(comparing);
    const reason =
      signal.aborted && signal.reason instanceof Error
        ? signal.reason.message
        : String(error instanceof Error ? error.message : error);
    for (const id of pending.keys()) {
      await updateCollection(db, id, {
        state: "failed",
        error: `stopped: ${reason}`.slice(0, 1000),
        finished: true,
      }).catch(() => undefined);
    }
    throw error;
  } finally {
    await workspace.remove();
  }
}
