import { verifyAuditChain } from "../../control/audit-log";
import { EXIT, InputError } from "../../errors";
import { parseCommandArgs, writeResult, type Command } from "../command";

const USAGE = `scripts/phase4-audit-verify.sh [--json]

Proves the append-only audit log intact: walks every row in id order, checks that it links to
the previous row's hash and recomputes its own hash here (not with the database's function, so a
tampered database cannot vouch for itself).

Prints one line:
  audit_log=intact rows=<n>
  audit_log=broken rows=<n> first_bad_id=<id> reason="<why>"

  --json   print one JSON line: { ok, rows, first_bad_id, reason }

Exit codes: 0 the chain is intact; 1 bad usage, or the chain is broken (the first bad row is named).`;

export const auditVerifyCommand: Command = {
  name: "audit-verify",
  script: "scripts/phase4-audit-verify.sh",
  summary: "Verify the audit log's hash chain and name the first tampered row",
  usage: USAGE,
  async run(ctx) {
    const { values, positionals } = parseCommandArgs(ctx.argv, {}, false);
    if (positionals.length > 0) throw new InputError(`unexpected argument '${positionals[0]}' (see --help)`);
    const report = await verifyAuditChain(await ctx.database());
    const line = report.ok
      ? `audit_log=intact rows=${report.rows}`
      : `audit_log=broken rows=${report.rows} first_bad_id=${report.firstBadId} reason=${JSON.stringify(report.reason)}`;
    writeResult(
      ctx,
      values.json,
      { ok: report.ok, rows: report.rows, first_bad_id: report.firstBadId, reason: report.reason },
      line,
    );
    if (!report.ok)
      ctx.stderr.write(
        `error: the audit log was changed behind the application's back at row ${report.firstBadId}: ${report.reason}\n`,
      );
    return report.ok ? EXIT.ok : EXIT.input;
  },
};
