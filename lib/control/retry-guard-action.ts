import { promises as fs } from "node:fs";
import { z } from "zod";
import { InputError } from "../errors";
import { checkRetryPolicy, parsePolicyTable, type GuardReport } from "../retry/guard";
import { defineAction } from "./action";

/**
 * Runs the retry guard and records its result in the audit log, which is where checklist step 2
 * ("the retry guard is green") reads it from. Allowed while the kill switch is engaged: it only
 * reads the code and the policy, and a restart wants to know the guard is green.
 */
export function retryGuardAction(policyFile: string, shownAs: string) {
  return defineAction({
    name: "retry.guard",
    permission: "retry.guard",
    schema: z.object({}).strict(),
    allowWhileEngaged: true,
    run: async (): Promise<GuardReport> => {
      const markdown = await fs.readFile(policyFile, "utf8").catch((error: unknown) => {
        throw new InputError(`${shownAs}: cannot read the retry policy (${(error as Error).message})`, {
          cause: error,
        });
      });
      try {
        return checkRetryPolicy(parsePolicyTable(markdown, shownAs));
      } catch (error) {
        throw new InputError((error as Error).message, { cause: error });
      }
    },
    audit: (_input, report) => ({
      target: shownAs,
      detail: { ok: report.ok, rows: report.rows, findings: report.findings.length },
    }),
  });
}
