import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { checkRetryPolicy, parsePolicyTable } from "./guard";

const POLICY_FILE = path.resolve(__dirname, "../../docs/retry-policy.md");
const policy = readFileSync(POLICY_FILE, "utf8");

describe("retry guard", () => {
  it("finds the code and the committed policy in agreement, row by row", () => {
    const rows = parsePolicyTable(policy, "docs/retry-policy.md");
    expect(rows.map((r) => [r.response.split(" ")[0], r.retry, r.retries, r.waitsSec])).toEqual([
      ["2xx", false, 0, []],
      ["409", false, 0, []],
      ["403", false, 0, []],
      ["422,", false, 0, []],
      ["429", true, 3, [1, 4, 9]],
      ["500–504,", true, 3, [5, 15, 45]],
      ["connection", true, 3, [5, 15, 45]],
    ]);
    expect(checkRetryPolicy(rows)).toEqual({ ok: true, rows: 7, findings: [] });
  });

  it("names the row whose waits the code no longer follows", () => {
    const drifted = policy.replace("| 429 | yes | 3 | 1 s, 4 s, 9 s;", "| 429 | yes | 3 | 2 s, 4 s, 8 s;");
    const report = checkRetryPolicy(parsePolicyTable(drifted, "p.md"));
    expect(report.ok).toBe(false);
    expect(report.findings).toEqual([
      {
        response: "429",
        expected: "retry 3 time(s) after 2, 4, 8 s",
        actual: "retry 3 time(s) after 1, 4, 9 s",
      },
    ]);
  });

  it("catches a policy that would retry 409, and one that drops a response class", () => {
    const retries409 = policy.replace(/\| 409 \| no[^|]*\| – \| – \|/, "| 409 | yes | 3 | 5 s, 15 s, 45 s |");
    expect(checkRetryPolicy(parsePolicyTable(retries409, "p.md")).findings).toEqual([
      { response: "409", expected: "retry 3 time(s) after 5, 15, 45 s", actual: "no retry" },
    ]);
    const without403 = policy.replace(/\| 403 \|[^\n]*\n/, "");
    expect(checkRetryPolicy(parsePolicyTable(without403, "p.md")).findings).toEqual([
      { response: "(table)", expected: "7 response classes", actual: "6" },
    ]);
  });

  it("refuses a table it cannot read, naming the file and line", () => {
    expect(() => parsePolicyTable("# nothing here\n", "p.md")).toThrow(/p\.md: no table headed/);
    const bad = policy.replace("| 2xx | no |", "| 2xx | maybe |");
    expect(() => parsePolicyTable(bad, "p.md")).toThrow(
      /p\.md:\d+: the "retry\?" cell must start with yes or no/,
    );
  });
});
