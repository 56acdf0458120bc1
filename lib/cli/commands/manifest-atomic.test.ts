import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { InputError } from "../../errors";
import type { CommandContext } from "../command";
import type { Database } from "../../db";
import { openTestDatabase } from "../../../test/support/test-database";
import { manifestAtomicCommand } from "./manifest-atomic";

// One database per file, opened on first use: the commands check the kill switch and audit in it.
let database: Promise<Database> | null = null;
const testDatabase = () => (database ??= openTestDatabase());
afterAll(async () => {
  await (await database)?.close();
});

let root: string;
let file: string;

function context(argv: string[], env: Record<string, string | undefined> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const ctx: CommandContext = {
    argv,
    env: { AUDITLOOP_ROOT: root, ...env },
    stdout: { write: (chunk: string) => out.push(chunk) },
    stderr: { write: (chunk: string) => err.push(chunk) },
    signal: new AbortController().signal,
    database: testDatabase,
  };
  return { ctx, out, err };
}

async function run(argv: string[], env?: Record<string, string | undefined>) {
  const { ctx, out } = context(argv, env);
  const code = await manifestAtomicCommand.run(ctx);
  return { code, stdout: out.join("") };
}

function entryArgs(overrides: Record<string, string> = {}): string[] {
  const flags = {
    "--run-id": "1001",
    "--artifact-path": "docs/reports/2025-11-14/artifacts/1001/raw/app.zip",
    "--evidence-type": "artifact",
    "--recorded-at": "2025-11-14T09:30:00Z",
    "--manifest": file,
    ...overrides,
  };
  return Object.entries(flags).flat();
}

beforeEach(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), "manifest-cli-"));
  file = path.join(root, "docs/reports/2025-11-14/_manifest.json");
});
afterEach(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

describe("manifest-atomic", () => {
  it("adds an entry and prints one line, then reports a replacement with its backup", async () => {
    const added = await run(entryArgs());
    expect(added).toEqual({
      code: 0,
      stdout:
        "manifest=docs/reports/2025-11-14/_manifest.json run_id=1001 evidence_type=artifact action=added entries=1 backup=none\n",
    });
    const replaced = await run(entryArgs({ "--sha-parity": "false", "--notes": "digest differs" }));
    expect(replaced.stdout).toMatch(
      /^manifest=\S+ run_id=1001 evidence_type=artifact action=replaced entries=1 backup=docs\/reports\/2025-11-14\/\.backups\/_manifest\.json\.\S+\.bak\n$/,
    );
    const manifest = JSON.parse(await fs.readFile(file, "utf8")) as { entries: unknown[] };
    expect(manifest.entries).toEqual([
      expect.objectContaining({ sha_parity: false, notes: "digest differs" }),
    ]);
  });

  it("accepts February 29th of a leap year and fractional seconds", async () => {
    expect((await run(entryArgs({ "--recorded-at": "2024-02-29T23:59:59.123Z" }))).code).toBe(0);
  });

  it("prints JSON with --json", async () => {
    const { stdout } = await run([...entryArgs({ "--evidence-type": "provenance" }), "--json"]);
    expect(JSON.parse(stdout)).toEqual({
      ok: true,
      action: "added",
      manifest: "docs/reports/2025-11-14/_manifest.json",
      run_id: "1001",
      evidence_type: "provenance",
      entries: 1,
      backup: null,
    });
  });

  it("defaults to the event folder's manifest, --event overriding AUDIT_EVENT", async () => {
    const args = entryArgs().slice(0, -2);
    await run([...args, "--event", "2026-01-02"], { AUDIT_EVENT: "2025-11-14" });
    await fs.access(path.join(root, "docs/reports/2026-01-02/_manifest.json"));
    await run(args, { AUDIT_EVENT: "ev-b", AUDIT_REPORTS_ROOT: "reports" });
    await fs.access(path.join(root, "reports/ev-b/_manifest.json"));
    await expect(run([...args, "--event", "../up"])).rejects.toThrow(/--event: expected a folder name/);
  });

  const refusals: [string, Record<string, string>, RegExp][] = [
    [
      "an absolute path",
      { "--artifact-path": "/etc/passwd" },
      /--artifact-path: expected .*not an absolute path/,
    ],
    [
      "a path with '..'",
      { "--artifact-path": "docs/../../x" },
      /--artifact-path: expected a path without '\.\.'/,
    ],
    [
      "an unknown evidence type",
      { "--evidence-type": "screenshot" },
      /--evidence-type: expected one of artifact, provenance, log, supabase \(got 'screenshot'\)/,
    ],
    [
      "a timestamp with an offset",
      { "--recorded-at": "2025-11-14T09:30:00+02:00" },
      /--recorded-at: expected an ISO 8601 UTC timestamp/,
    ],
    [
      "a timestamp without a time",
      { "--recorded-at": "2025-11-14" },
      /--recorded-at: expected an ISO 8601 UTC timestamp/,
    ],
    [
      "a date that does not exist",
      { "--recorded-at": "2025-02-30T00:00:00Z" },
      /--recorded-at: expected a real calendar date/,
    ],
    [
      "February 29th outside a leap year",
      { "--recorded-at": "2025-02-29T12:00:00Z" },
      /--recorded-at: expected a real calendar date/,
    ],
    [
      "an hour past 23",
      { "--recorded-at": "2025-11-14T24:00:00Z" },
      /--recorded-at: expected a real calendar date/,
    ],
    ["notes over 200 characters", { "--notes": "x".repeat(201) }, /--notes: expected at most 200 characters/],
    ["notes holding a URL", { "--notes": "see https://ci.example.com/run/1" }, /--notes: expected no URLs$/],
    [
      "notes holding a token",
      { "--notes": `token ghp_${"a1B2".repeat(9)}` },
      /--notes: expected no secret-shaped strings/,
    ],
    [
      "notes holding a JWT",
      { "--notes": "eyJhbGciOi.eyJzdWIiOiIx.c2lnbmF0dXJl" },
      /--notes: expected no secret-shaped/,
    ],
    [
      "a sha parity that is not true/false/unknown",
      { "--sha-parity": "yes" },
      /--sha-parity: expected true, false or unknown/,
    ],
    ["an empty run id", { "--run-id": "" }, /--run-id is required/],
  ];

  it.each(refusals)(
    "refuses %s, naming the flag, and leaves the manifest byte-identical",
    async (_, flags, message) => {
      await run(entryArgs());
      const before = await fs.readFile(file);
      const attempt = run(entryArgs(flags));
      await expect(attempt).rejects.toThrow(InputError);
      await expect(attempt).rejects.toThrow(message);
      expect(await fs.readFile(file)).toEqual(before);
    },
  );

  it("never echoes refused notes, which may hold a secret", async () => {
    const secret = `ghp_${"Z9y8".repeat(9)}`;
    const error = await run(entryArgs({ "--notes": secret })).catch((e: unknown) => e as Error);
    expect((error as Error).message).not.toContain(secret);
  });

  it("names a missing required flag", async () => {
    await expect(run(["--run-id", "1", "--manifest", file])).rejects.toThrow(/--artifact-path is required/);
  });

  it("--rollback restores the previous version and refuses entry flags", async () => {
    await run(entryArgs());
    const before = await fs.readFile(file);
    await run(entryArgs({ "--run-id": "2002" }));
    const { code, stdout } = await run(["--rollback", "--manifest", file]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/action=rolled_back restored_from=\S+\.bak entries=1 backups_left=0\n$/);
    expect(await fs.readFile(file)).toEqual(before);
    await expect(run(["--rollback", "--run-id", "1", "--manifest", file])).rejects.toThrow(
      /--run-id is not taken with --rollback/,
    );
    await expect(run(["--rollback", "--manifest", file])).rejects.toThrow(/no backup to roll back to/);
    expect(await fs.readFile(file)).toEqual(before);
  });

  it("--check exits 0 when the manifest is valid and 1 listing problems when not", async () => {
    await run(entryArgs());
    expect(await run(["--check", "--manifest", file])).toEqual({
      code: 0,
      stdout: "manifest=docs/reports/2025-11-14/_manifest.json check=ok entries=1\n",
    });
    // Outside the event folder: the event's own manifest failing to parse trips the kill switch
    // (manifest-atomic-trip.test.ts), which this file's shared database must not carry on.
    const elsewhere = path.join(root, "elsewhere/_manifest.json");
    await fs.mkdir(path.dirname(elsewhere), { recursive: true });
    await fs.writeFile(
      elsewhere,
      '{"generated_at_utc": "2025-11-14T00:00:00Z", "entries": [], "entries": []}',
    );
    const failed = await run(["--check", "--manifest", elsewhere, "--json"]);
    expect(failed.code).toBe(1);
    expect(JSON.parse(failed.stdout)).toMatchObject({
      ok: false,
      problems: [expect.stringMatching(/duplicate key "entries"/)],
    });
  });

  it("refuses to update a manifest that is already invalid, naming the entry and field", async () => {
    await fs.mkdir(path.dirname(file), { recursive: true });
    const text = '{"generated_at_utc": "2025-11-14T00:00:00Z", "entries": [{"run_id": 1}]}';
    await fs.writeFile(file, text);
    await expect(run(entryArgs())).rejects.toThrow(/_manifest\.json: entries\[0\]\.run_id/);
    expect(await fs.readFile(file, "utf8")).toBe(text);
  });
});
