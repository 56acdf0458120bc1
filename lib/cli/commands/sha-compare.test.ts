import { spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, inject, it } from "vitest";
import { InputError } from "../../errors";
import type { CommandContext } from "../command";
import { shaCompareCommand } from "./sha-compare";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const CORPUS = path.join(ROOT, "test/fixtures/provenance-real");
const ARTIFACT = path.join(CORPUS, "intoto-jsonl/binary-linux-amd64-multi-subject-second");
const PROVENANCE = path.join(CORPUS, "intoto-jsonl/binary-linux-amd64-multi-subject-second.intoto.jsonl");
const SHA = "89cfc6954e88b2f92a7c2879d9eb085c42f3c7065d012a5066f450dbe59b2c00";
const LINE = `run_id=77 metadata_sha=${SHA} computed_sha=${SHA} sha_parity=true digest_alg=sha256 subject=artifact2`;

async function run(argv: string[]) {
  let stdout = "";
  let stderr = "";
  const ctx: CommandContext = {
    argv,
    env: {},
    stdout: { write: (chunk: string) => (stdout += chunk) },
    stderr: { write: (chunk: string) => (stderr += chunk) },
    signal: new AbortController().signal,
    database: () => Promise.reject(new Error("this command needs no database")),
  };
  const code = await shaCompareCommand.run(ctx);
  return { code, stdout, stderr };
}

describe("sha-compare run()", () => {
  it("prints one parity line and exits 0", async () => {
    expect(await run([ARTIFACT, PROVENANCE, "--run-id", "77"])).toEqual({
      code: 0,
      stdout: `${LINE}\n`,
      stderr: "",
    });
  });

  it("exits 0 with sha_parity=false when no subject matches", async () => {
    const other = path.join(CORPUS, "build-slsa/gha_delegator/v2.1.0/binary-linux-amd64-workflow_dispatch");
    const { code, stdout } = await run([other, PROVENANCE]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^run_id=- .* sha_parity=false digest_alg=sha256 subject=artifact1\n$/);
  });

  it("prints one JSON object with --json", async () => {
    const { stdout } = await run([ARTIFACT, PROVENANCE, "--json"]);
    expect(stdout.trim().split("\n")).toHaveLength(1);
    expect(JSON.parse(stdout)).toEqual({
      run_id: "-",
      metadata_sha: SHA,
      computed_sha: SHA,
      sha_parity: true,
      digest_alg: "sha256",
      subject: "artifact2",
      format: "dsse-envelope",
      artifact_bytes: 10,
    });
  });

  it("refuses a wrong number of arguments, an unknown flag and a run id with blanks", async () => {
    await expect(run([ARTIFACT])).rejects.toThrow(
      new InputError("expected 2 arguments, <artifact> <provenance>, got 1 (see --help)"),
    );
    await expect(run([ARTIFACT, PROVENANCE, "--sha"])).rejects.toThrow(/--sha/);
    await expect(run([ARTIFACT, PROVENANCE, "--run-id", "a b"])).rejects.toThrow(
      /--run-id: expected 1-100 characters/,
    );
  });
});

describe("scripts/phase4-sha-compare.sh (bundled CLI as a process)", () => {
  const script = (args: string[], cwd = ROOT) =>
    spawnSync("bash", [path.join(inject("cliRoot"), "scripts/phase4-sha-compare.sh"), ...args], {
      cwd,
      encoding: "utf8",
    });

  it("prints the parity line for a corpus case, paths relative to the current directory", () => {
    const result = script(
      [path.relative(CORPUS, ARTIFACT), path.relative(CORPUS, PROVENANCE), "--run-id", "77"],
      CORPUS,
    );
    expect(result.stderr).toBe("");
    expect(result.stdout).toBe(`${LINE}\n`);
    expect(result.status).toBe(0);
  });

  it("exits 1 naming the missing file on stderr", () => {
    const result = script(["no-such-artifact.bin", PROVENANCE]);
    expect(result.status).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain("no-such-artifact.bin");
  });

  it("prints JSON that parses with --json", () => {
    const result = script([ARTIFACT, PROVENANCE, "--json", "--run-id", "77"]);
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ run_id: "77", sha_parity: true, subject: "artifact2" });
  });

  it("answers --help with usage and exit codes", () => {
    const result = script(["--help"]);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^Usage: scripts\/phase4-sha-compare\.sh <artifact> <provenance>/);
    expect(result.stdout).toContain("Exit codes:");
  });
});
