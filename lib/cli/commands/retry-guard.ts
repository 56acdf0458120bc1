import path from "node:path";
import { runAction } from "../../control/action";
import { retryGuardAction } from "../../control/retry-guard-action";
import { EXIT, InputError } from "../../errors";
import { parseCommandArgs, writeResult, type Command } from "../command";
import { getCliActor } from "../database";
import { getCliRoot } from "../event";

const USAGE = `scripts/phase4-retry-guard.sh [--policy FILE] [--json]

Checks that the retry table in code still matches the policy: for every row of the policy's table
(docs/retry-policy.md) it asks the code's own decision function whether it retries, how often and
after which waits, and reports each row that differs. The result is recorded in the audit log
(checklist step 2 reads it from there).

  --policy FILE   the policy's markdown (default: docs/retry-policy.md in the repository)
  --json          one JSON line: { ok, rows, findings: [{ response, expected, actual }] }

Exit codes: 0 the code matches the policy; 1 it does not (each difference is named), or bad usage.`;

export const retryGuardCommand: Command = {
  name: "retry-guard",
  script: "scripts/phase4-retry-guard.sh",
  summary: "Check that the retry table in code still matches the retry policy",
  usage: USAGE,
  async run(ctx) {
    const { values, positionals } = parseCommandArgs(ctx.argv, { policy: { type: "string" } }, false);
    if (positionals.length > 0) throw new InputError(`unexpected argument '${positionals[0]}' (see --help)`);
    const root = getCliRoot(ctx);
    const file = path.resolve(root, values.policy ?? "docs/retry-policy.md");
    const shown = path.relative(root, file) || file;
    const report = await runAction(retryGuardAction(file, shown), {
      actor: getCliActor(ctx.env),
      input: {},
      db: await ctx.database(),
      signal: ctx.signal,
    });
    const line = report.ok
      ? `retry_guard=green rows=${report.rows} policy=${shown}`
      : `retry_guard=red rows=${report.rows} differences=${report.findings.length} policy=${shown}`;
    writeResult(ctx, values.json, report, line);
    for (const f of report.findings)
      ctx.stderr.write(`error: ${shown}: "${f.response}" says ${f.expected}; the code does: ${f.actual}\n`);
    return report.ok ? EXIT.ok : EXIT.input;
  },
};
