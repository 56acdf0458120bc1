import { z } from "zod";
import { defineAction } from "../control/action";
import { throwIfKillSwitchEngaged } from "../control/kill-switch";
import { applyManifestChange } from "./manifest";
import { manifestEntrySchema } from "./manifest-entry";
import { importRuns } from "./runs-import";

/**
 * The evidence mutations as actions: the CLI and the dashboard both run these through runAction
 * (role, kill switch, validation, audit log). The file paths are set by the server or the CLI
 * from settings and flags, never taken from a browser.
 */
const filePath = z.string().min(1, "a file path");

export const updateManifestAction = defineAction({
  name: "manifest.update",
  permission: "manifest.update",
  schema: z.object({ file: filePath, entry: manifestEntrySchema }),
  run: ({ input, db, signal }) =>
    applyManifestChange(
      input.file,
      { kind: "update", entry: input.entry },
      {
        signal,
        beforeWrite: () => throwIfKillSwitchEngaged(db),
      },
    ),
  audit: (input, output) => ({
    target: input.entry.run_id,
    detail: {
      evidence_type: input.entry.evidence_type,
      artifact_path: input.entry.artifact_path,
      kind: output.kind,
    },
  }),
});

export const rollbackManifestAction = defineAction({
  name: "manifest.rollback",
  permission: "manifest.rollback",
  schema: z.object({ file: filePath }),
  run: ({ input, db, signal }) =>
    applyManifestChange(
      input.file,
      { kind: "rollback" },
      { signal, beforeWrite: () => throwIfKillSwitchEngaged(db) },
    ),
  audit: (_input, output) => ({ detail: { kind: output.kind } }),
});

export const importRunsAction = defineAction({
  name: "runs.import",
  permission: "runs.import",
  schema: z.object({
    file: filePath,
    runsSummary: filePath,
    source: z.enum(["manual", "auto"]).optional(),
    skipInvalid: z.boolean().default(false),
  }),
  run: ({ input, db, signal }) =>
    importRuns(input.file, input.runsSummary, {
      source: input.source,
      skipInvalid: input.skipInvalid,
      signal,
      // Checked again under the file lock: an engagement since the first check refuses the write.
      beforeWrite: () => throwIfKillSwitchEngaged(db),
    }),
  audit: (input, output) => ({
    target: input.runsSummary,
    detail: {
      imported: output.imported,
      added: output.added,
      replaced: output.replaced,
      source: input.source ?? null,
    },
  }),
});
