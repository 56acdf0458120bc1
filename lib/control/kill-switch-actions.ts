import { z } from "zod";
import type { EventPaths } from "../config/paths";
import type { Settings } from "../config/settings";
import { KillSwitchEngagedError } from "../errors";
import { hasSecretShape } from "../notify/patterns";
import { defineAction } from "./action";
import { describeEngagement, getKillSwitchStatus } from "./kill-switch";
import { engageKillSwitch, releaseKillSwitch } from "./kill-switch-engage";
import "./kill-switch-steps";

/**
 * The commander's kill switch actions (DESIGN §7), for the dashboard and the CLI alike. Where
 * they act (event folder, settings) is bound by the server or the CLI, never sent by a browser.
 */
export interface KillSwitchEnv {
  settings: Settings;
  paths: EventPaths;
  fetchImpl?: typeof fetch;
}

export const engageInputSchema = z.object({
  reason: z
    .string()
    .trim()
    .min(3, "a reason of at least 3 characters")
    .max(500, "a reason of at most 500 characters")
    .refine(
      (text) => !hasSecretShape(text),
      "a reason without tokens or keys (it is written to the event files)",
    ),
  rollbackManifest: z.boolean().default(false),
});

export type EngageInput = z.input<typeof engageInputSchema>;

export function engageKillSwitchAction(env: KillSwitchEnv) {
  return defineAction({
    name: "killswitch.engage",
    permission: "killswitch.engage",
    schema: engageInputSchema,
    // Checked here rather than by runAction: its watcher would abort this very action the
    // moment the state it persists turns engaged.
    allowWhileEngaged: true,
    run: async ({ actor, input, db, signal }) => {
      const status = await getKillSwitchStatus(db);
      if (status.state === "engaged")
        throw new KillSwitchEngagedError(`Refused: ${describeEngagement(status)}; it is engaged already`);
      return engageKillSwitch({
        actor,
        db,
        reason: input.reason,
        rollbackManifest: input.rollbackManifest,
        paths: env.paths,
        settings: env.settings,
        fetchImpl: env.fetchImpl,
        ownSignal: signal,
      });
    },
    audit: (input, steps) => ({
      detail: {
        reason: input.reason,
        rollback_manifest: input.rollbackManifest,
        steps: steps.map((s) => ({ id: s.id, status: s.status })),
      },
    }),
  });
}

export function releaseKillSwitchAction(env: KillSwitchEnv) {
  return defineAction({
    name: "killswitch.release",
    permission: "killswitch.release",
    schema: z.object({}).strict(),
    allowWhileEngaged: true,
    run: ({ actor, db }) =>
      releaseKillSwitch({ actor, db, paths: env.paths, settings: env.settings, fetchImpl: env.fetchImpl }),
    audit: (_input, outcome) => ({
      detail: {
        released: outcome.released,
        checks: outcome.checks.map((c) => ({ id: c.id, status: c.status })),
      },
    }),
  });
}
