import { spawnSync } from "node:child_process";
import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { openEmbedded } from "../lib/db/embedded";
import { startDbServer } from "./support/db-server";
import { makeRunRecord } from "./support/run-record";

/**
 * The kill switch across processes, as an operator meets it: the bundled CLI's scripts against a
 * data root whose embedded database another process serves (as the dashboard does).
 */
const scripts = path.join(inject("cliRoot"), "scripts");
let root: string;
let server: { stop: () => Promise<void> };
const eventDir = () => path.join(root, "docs/reports/ev");

beforeAll(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), "killswitch-process-"));
  server = await startDbServer(root);
}, 60_000);

afterAll(async () => {
  await server?.stop();
  await fs.rm(root, { recursive: true, force: true });
});

function sh(script: string, args: string[]) {
  // Only what the scripts need: no integration settings leak in from the test's environment.
  const env = {
    NODE_ENV: process.env.NODE_ENV,
    PATH: process.env.PATH ?? "",
    HOME: root,
    AUDITLOOP_ROOT: root,
    AUDIT_EVENT: "ev",
    GITHUB_ACTOR: "ci",
  };
  const result = spawnSync("bash", [path.join(scripts, `phase4-${script}.sh`), ...args], {
    cwd: root,
    env,
    encoding: "utf8",
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const record = (runId: string) => makeRunRecord(runId);

const manifestArgs = (runId: string) => [
  "--run-id",
  runId,
  "--artifact-path",
  `docs/reports/ev/artifacts/${runId}/raw/app.zip`,
  "--evidence-type",
  "artifact",
  "--recorded-at",
  "2025-11-14T09:30:00Z",
];

/** Every file of the event folder, byte for byte. */
async function snapshot(): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>();
  for (const entry of await fs.readdir(eventDir(), { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    files.set(path.relative(eventDir(), file), await fs.readFile(file));
  }
  return files;
}

describe("scripts/phase4-killswitch.sh and the other scripts as processes", () => {
  it("while engaged, manifest-atomic and runs-import exit 3 and change nothing; after release they work", async () => {
    await fs.writeFile(path.join(root, "phase3.json"), JSON.stringify([record("1")]));
    expect(sh("manifest-atomic", manifestArgs("1")).code).toBe(0);
    expect(sh("runs-import", ["phase3.json", "--source", "manual"]).code).toBe(0);

    const engaged = sh("killswitch", ["engage", "--reason", "parity drift on run 1"]);
    expect(engaged).toMatchObject({ code: 0, stderr: "" });
    expect(engaged.stdout).toMatch(/^kill_switch=engaged by=cli:github:ci reason="parity drift on run 1"\n/);
    const before = await snapshot();

    await fs.writeFile(path.join(root, "phase3.json"), JSON.stringify([record("2")]));
    const refusals = [sh("manifest-atomic", manifestArgs("2")), sh("runs-import", ["phase3.json"])];
    for (const refused of refusals) {
      expect(refused.code).toBe(3);
      expect(refused.stderr).toMatch(
        /kill switch is engaged \(by cli:github:ci at \S+Z: parity drift on run 1\)/,
      );
    }
    expect(await snapshot()).toEqual(before);
    expect(JSON.parse(sh("killswitch", ["status", "--json"]).stdout)).toMatchObject({ state: "engaged" });

    const released = sh("killswitch", ["release"]);
    expect(released.stdout).toMatch(
      /check=secrets status=pass.*\n.*check=manifest status=pass.*\n.*check=supabase status=skipped/,
    );
    expect(released).toMatchObject({
      code: 0,
      stdout: expect.stringMatching(/kill_switch=released by=cli:github:ci\n$/),
    });

    expect(sh("manifest-atomic", manifestArgs("2")).code).toBe(0);
    expect(sh("runs-import", ["phase3.json"]).code).toBe(0);
    const manifest = JSON.parse(await fs.readFile(path.join(eventDir(), "_manifest.json"), "utf8")) as {
      entries: { run_id: string }[];
    };
    expect(manifest.entries.map((e) => e.run_id).sort()).toEqual(["1", "2"]);
  });

  it("audit-verify proves the chain the scripts wrote, then names a row changed behind the app's back", async () => {
    const intact = sh("audit-verify", []);
    expect(intact).toMatchObject({ code: 0, stdout: expect.stringMatching(/^audit_log=intact rows=\d+\n$/) });

    // The served database, reached as its owner over the socket, like a person with psql.
    const db = await openEmbedded(path.join(root, ".data"));
    try {
      await db.exec("alter table audit_log disable trigger audit_log_append_only");
      await db.query('update audit_log set detail = \'{"reason": "nothing happened"}\' where id = 2');
      await db.exec("alter table audit_log enable trigger audit_log_append_only");
    } finally {
      await db.close();
    }
    const broken = sh("audit-verify", ["--json"]);
    expect(broken.code).toBe(1);
    expect(JSON.parse(broken.stdout)).toMatchObject({
      ok: false,
      first_bad_id: 2,
      reason: expect.stringMatching(/row changed/),
    });
  });
});
