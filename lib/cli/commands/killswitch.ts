import { getEventPaths } from "../../config/paths";
import { runAction } from "../../control/action";
import { getKillSwitchStatus } from "../../control/kill-switch";
import { engageKillSwitchAction, releaseKillSwitchAction } from "../../control/kill-switch-actions";
import type { RestartCheck } from "../../control/restart-checks";
import { EXIT, InputError } from "../../errors";
import { parseCommandArgs, requireFlag, writeResult, type Command, type CommandContext } from "../command";
import { getCliActor } from "../database";
import { getCliRoot, resolveCliSettings } from "../event";

const USAGE = `scripts/phase4-killswitch.sh engage --reason TEXT [--rollback-manifest] [--event NAME] [--json]
scripts/phase4-killswitch.sh release [--event NAME] [--json]
scripts/phase4-killswitch.sh status [--json]

The kill switch (DESIGN §7), acting as the CLI's service actor (named in the audit log).

  engage     persist the engagement (who, when, why) and abort work in flight, then run every
             step (disable the workflow, append the reason to AUTO_OBSERVER_SUMMARY.md, roll the
             manifest back when asked, …); prints each step's result. A failing step does not
             stop the others; the switch is engaged whatever they report.
  release    run the restart checks (required secrets present; manifest parses with no
             duplicate keys; a Supabase test request answers 2xx, skipped in embedded mode),
             print each, and release only when none fails.
  status     print the state, who changed it, when and why (read-only).

  --reason TEXT          why (3-500 characters; written to the event files and the audit log)
  --rollback-manifest    also roll _manifest.json back to its last backup
  --event NAME           the event folder (overrides AUDIT_EVENT)
  --json                 print one JSON line

Exit codes: 0 done; 1 bad usage, nothing to release, or release refused by the manifest check;
3 engage refused: the switch is engaged already; 78 release refused by a configuration or
service check (a required secret missing, Supabase not answering 2xx). While the switch is
engaged every other mutating command exits 3.`;

const OPTIONS = {
  reason: { type: "string" },
  "rollback-manifest": { type: "boolean" },
  event: { type: "string" },
} as const;

/** A value as one token of a key=value line: JSON-quoted when it holds blanks or quotes. */
function token(value: string | null): string {
  if (value === null) return "none";
  return /^[\w.@:/+,-]+$/.test(value) ? value : JSON.stringify(value);
}

/** A refused release exits 78 when configuration or a service is at fault, else 1 (DESIGN §10). */
export function releaseRefusalCode(failed: readonly RestartCheck[]): number {
  return failed.some((c) => c.id === "secrets" || c.id === "supabase") ? EXIT.serviceRefused : EXIT.input;
}

export const killswitchCommand: Command = {
  name: "killswitch",
  script: "scripts/phase4-killswitch.sh",
  summary: "Engage or release the kill switch, or show its state",
  usage: USAGE,
  async run(ctx) {
    const { values, positionals } = parseCommandArgs(ctx.argv, OPTIONS);
    const [verb, extra] = positionals;
    if (extra !== undefined) throw new InputError(`unexpected argument '${extra}' (see --help)`);
    if (verb !== "engage" && verb !== "release" && verb !== "status")
      throw new InputError(
        `expected 'engage', 'release' or 'status'${verb ? ` (got '${verb}')` : ""} (see --help)`,
      );
    if (verb !== "engage") {
      if (values.reason !== undefined) throw new InputError(`--reason is taken only by 'engage'`);
      if (values["rollback-manifest"]) throw new InputError(`--rollback-manifest is taken only by 'engage'`);
    }
    if (verb === "status" && values.event !== undefined)
      throw new InputError(`--event is not taken by 'status'`);
    if (verb === "status") return status(ctx, values.json);
    const root = getCliRoot(ctx);
    const settings = resolveCliSettings(ctx, values.event);
    const env = { settings, paths: getEventPaths(settings, root) };
    const call = { actor: getCliActor(ctx.env), db: await ctx.database(), signal: ctx.signal };
    // Messages name files by absolute path; a person reads them from the repository root.
    const shown = (text: string) => text.split(`${root}/`).join("");

    if (verb === "engage") {
      const reason = requireFlag(values.reason, "reason", "why the switch is engaged (3-500 characters)");
      const input = { reason, rollbackManifest: values["rollback-manifest"] ?? false };
      const steps = await runAction(engageKillSwitchAction(env), { ...call, input });
      const lines = [`kill_switch=engaged by=${token(call.actor.email)} reason=${token(reason)}`].concat(
        steps.map((s) => `  step=${s.id} status=${s.status} detail=${token(shown(s.detail))}`),
      );
      writeResult(ctx, values.json, { ok: true, state: "engaged", steps }, lines.join("\n"));
      return EXIT.ok;
    }

    const outcome = await runAction(releaseKillSwitchAction(env), { ...call, input: {} });
    const failed = outcome.checks.filter((c) => c.status === "fail");
    const lines = outcome.checks
      .map((c) => `  check=${c.id} status=${c.status} detail=${token(shown(c.detail))}`)
      .concat(outcome.steps.map((s) => `  step=${s.id} status=${s.status} detail=${token(shown(s.detail))}`))
      .concat(
        outcome.released
          ? [`kill_switch=released by=${token(call.actor.email)}`]
          : [`kill_switch=engaged release=refused failed=${failed.map((c) => c.id).join(",")}`],
      );
    writeResult(
      ctx,
      values.json,
      {
        ok: outcome.released,
        state: outcome.released ? "released" : "engaged",
        released: outcome.released,
        checks: outcome.checks,
        steps: outcome.steps,
        failed: failed.map((c) => c.id),
      },
      lines.join("\n"),
    );
    if (outcome.released) return EXIT.ok;
    ctx.stderr.write(
      `error: release refused: ${failed.map((c) => `${c.id} check failed (${shown(c.detail)})`).join("; ")}\n`,
    );
    return releaseRefusalCode(failed);
  },
};

async function status(ctx: CommandContext, json: boolean | undefined): Promise<number> {
  const s = await getKillSwitchStatus(await ctx.database());
  writeResult(
    ctx,
    json,
    { ok: true, state: s.state, changed_by: s.changedBy, changed_at: s.changedAt, reason: s.reason },
    `kill_switch=${s.state} changed_by=${token(s.changedBy)} changed_at=${s.changedAt} reason=${token(s.reason)}`,
  );
  return EXIT.ok;
}
