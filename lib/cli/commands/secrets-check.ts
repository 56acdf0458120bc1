import { runAction } from "../../control/action";
import {
  describeMissingRequired,
  parseRequiredNames,
  type SecretCheckItem,
} from "../../control/secrets-check";
import { secretsCheckAction } from "../../control/secrets-check-actions";
import { EXIT, InputError } from "../../errors";
import { parseCommandArgs, writeResult, type Command } from "../command";
import { getCliActor } from "../database";
import { resolveCliSettings } from "../event";

const USAGE = `scripts/phase4-secrets-check.sh [--require NAME,...] [--json]

Checks that the settings the loop needs in the configured mode are present (DESIGN §12 step 1)
and notes the recommended ones. Prints names and present/missing only: never a value, a length
or a prefix. The check is recorded in the audit log; checklist step 1 verifies from the last one.

Required in the configured mode: GITHUB_TOKEN once GITHUB_REPOSITORY is set (always, in GitHub
Actions); SUPABASE_SERVICE_KEY once SUPABASE_URL is set; NEXT_PUBLIC_SUPABASE_ANON_KEY once
NEXT_PUBLIC_SUPABASE_URL is set; and each of those mode settings once set. Everything else
(DATABASE_URL, SLACK_WEBHOOK_URL, …) is recommended.

  --require NAME,...   also require these (e.g. GITHUB_TOKEN,SUPABASE_URL,SLACK_WEBHOOK_URL)
  --json               print one JSON line: { ok, items: [{ name, requirement, status, why }],
                       missing_required, missing_recommended }

Prints one line per setting, then the verdict:
  setting=<NAME> requirement=required|recommended status=present|missing why="<why>"
  secrets_check=passed|failed missing_required=<names|none> missing_recommended=<names|none>

Exit codes: 0 every required setting is present; 1 bad usage; 78 a required setting is missing
(named on stderr).`;

const OPTIONS = { require: { type: "string" } } as const;

const list = (names: readonly string[]) => (names.length > 0 ? names.join(",") : "none");
const itemLine = (i: SecretCheckItem) =>
  `setting=${i.name} requirement=${i.requirement} status=${i.status} why=${JSON.stringify(i.why)}`;

export const secretsCheckCommand: Command = {
  name: "secrets-check",
  script: "scripts/phase4-secrets-check.sh",
  summary: "Check the required settings are present and note the recommended ones (names only)",
  usage: USAGE,
  async run(ctx) {
    const { values, positionals } = parseCommandArgs(ctx.argv, OPTIONS, false);
    if (positionals.length > 0) throw new InputError(`unexpected argument '${positionals[0]}' (see --help)`);
    const require = values.require === undefined ? [] : parseRequiredNames(values.require);
    const settings = resolveCliSettings(ctx, undefined);
    const result = await runAction(secretsCheckAction(settings), {
      actor: getCliActor(ctx.env),
      input: { require },
      db: await ctx.database(),
      signal: ctx.signal,
    });
    const verdict = `secrets_check=${result.ok ? "passed" : "failed"} missing_required=${list(result.missingRequired)} missing_recommended=${list(result.missingRecommended)}`;
    writeResult(
      ctx,
      values.json,
      {
        ok: result.ok,
        items: result.items,
        missing_required: result.missingRequired,
        missing_recommended: result.missingRecommended,
      },
      [...result.items.map(itemLine), verdict].join("\n"),
    );
    if (result.ok) return EXIT.ok;
    ctx.stderr.write(`error: secrets check failed: ${describeMissingRequired(result)}\n`);
    return EXIT.serviceRefused;
  },
};
