import { spawnSync } from "node:child_process";
import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, inject, it } from "vitest";
import { openTestDatabase } from "../../../test/support/test-database";
import { authenticate } from "../../control/accounts";
import type { Database } from "../../db";
import { InputError } from "../../errors";
import type { CommandContext } from "../command";
import { createUsersCommand } from "./users";

// One database per file, opened on first use: the command adds to it and audits in it.
let database: Promise<Database> | null = null;
const testDatabase = () => (database ??= openTestDatabase());
afterAll(async () => {
  await (await database)?.close();
});

async function run(argv: string[], options: { stdin?: string; env?: Record<string, string> } = {}) {
  const out: string[] = [];
  const ctx: CommandContext = {
    argv,
    env: { USER: "tester", ...options.env },
    stdout: { write: (chunk: string) => out.push(chunk) },
    stderr: { write: () => true },
    signal: new AbortController().signal,
    database: testDatabase,
  };
  const stdin = async () => {
    if (options.stdin === undefined) throw new Error("standard input was read without --password-stdin");
    return options.stdin;
  };
  const code = await createUsersCommand(stdin).run(ctx);
  return { code, stdout: out.join("") };
}

describe("users command", () => {
  it("adds an account with a generated password, printed once, that signs in", async () => {
    const { code, stdout } = await run(["add", "--email", "Obs@Example.test", "--role", "observer"]);
    expect(code).toBe(0);
    const match =
      /^user=obs@example\.test role=observer action=added\npassword=([A-Za-z0-9]{20})\n\(shown once/.exec(
        stdout,
      );
    expect(match, stdout).not.toBeNull();
    expect(await authenticate(await testDatabase(), "obs@example.test", match?.[1] ?? "")).toMatchObject({
      role: "observer",
    });
  });

  it("takes the password from standard input and then prints none", async () => {
    const { code, stdout } = await run(
      ["add", "--email", "op@example.test", "--role", "operator", "--password-stdin", "--json"],
      { stdin: "operator-password-1\n" },
    );
    expect(code).toBe(0);
    const result = JSON.parse(stdout);
    expect(result).toMatchObject({
      ok: true,
      action: "added",
      user: { email: "op@example.test", role: "operator" },
    });
    expect(result).not.toHaveProperty("password");
    expect(stdout).not.toContain("operator-password-1");
    expect(await authenticate(await testDatabase(), "op@example.test", "operator-password-1")).not.toBeNull();
  });

  it("audits the addition as the CLI's service actor", async () => {
    await run(["add", "--email", "ic@example.test", "--role", "commander"]);
    const { rows } = await (
      await testDatabase()
    ).query<{ actor: string; role: string; target: string }>(
      "select actor, role, target from audit_log where action = 'users.add' and target = 'ic@example.test'",
    );
    expect(rows).toEqual([
      { actor: expect.stringMatching(/^cli:/), role: "service", target: "ic@example.test" },
    ]);
  });

  it("lists the accounts without any hash, as text and as JSON", async () => {
    const text = await run(["list"]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^email\s+role\s+state\s+created_at\n/);
    expect(text.stdout).toMatch(/\nop@example\.test\s+operator\s+active\s+\d{4}-\d\d-\d\dT/);
    const json = JSON.parse((await run(["list", "--json"])).stdout);
    expect(json.ok).toBe(true);
    expect(json.users.map((u: { email: string }) => u.email)).toEqual(
      expect.arrayContaining(["obs@example.test", "op@example.test", "ic@example.test"]),
    );
    expect(Object.keys(json.users[0]).sort()).toEqual(["created_at", "disabled", "email", "id", "role"]);
    expect(text.stdout + JSON.stringify(json)).not.toMatch(/scrypt|password/);
  });

  it("refuses bad usage naming the flag, and an existing account", async () => {
    await expect(run([])).rejects.toThrow(/a subcommand is required: expected add or list/);
    await expect(run(["remove"])).rejects.toThrow(/unknown subcommand 'remove'/);
    await expect(run(["add", "--role", "observer"])).rejects.toThrow(/^--email is required/);
    await expect(run(["add", "--email", "x@example.test"])).rejects.toThrow(/^--role is required/);
    await expect(run(["add", "--email", "x@example.test", "--role", "admin"])).rejects.toThrow(
      "--role: expected one of observer, operator, reviewer, commander (got 'admin')",
    );
    await expect(run(["add", "--email", "not-mail", "--role", "observer"])).rejects.toThrow(
      /^--email: expected an e-mail address/,
    );
    await expect(
      run(["add", "--email", "x@example.test", "--role", "observer", "--password-stdin"], {
        stdin: "short\n",
      }),
    ).rejects.toThrow("--password-stdin: expected at least 12 characters on standard input (got 5)");
    await expect(run(["add", "--email", "OP@example.test", "--role", "reviewer"])).rejects.toThrow(
      new InputError("--email: an account for op@example.test already exists"),
    );
    await expect(run(["list", "--role", "observer"])).rejects.toThrow(/--role is not taken by 'list'/);
  });

  it("refuses to add a local account while Supabase Auth is configured", async () => {
    await expect(
      run(["add", "--email", "s@example.test", "--role", "observer"], {
        env: { NEXT_PUBLIC_SUPABASE_URL: "https://abc.supabase.co" },
      }),
    ).rejects.toThrow(/app_metadata\.role/);
  });
});

describe("scripts/phase4-users.sh (bundled CLI as a process)", () => {
  // Two processes only: the first creates the embedded database from scratch (seconds).
  it("adds with --password-stdin, then refuses the same e-mail with exit 1 from the next process", async () => {
    const root = await fs.mkdtemp(path.join(os.tmpdir(), "users-cli-"));
    try {
      const script = path.join(inject("cliRoot"), "scripts/phase4-users.sh");
      const env = { ...process.env, AUDITLOOP_ROOT: root, AUDIT_DATA_DIR: ".data" };
      const users = (args: string[], input = "") =>
        spawnSync("bash", [script, ...args], { cwd: root, env, input, encoding: "utf8", timeout: 60_000 });

      const add = users(
        ["add", "--email", "rev@example.test", "--role", "reviewer", "--password-stdin"],
        "reviewer-pass-1\n",
      );
      expect(add.stderr).toBe("");
      expect(add.stdout).toBe("user=rev@example.test role=reviewer action=added\n");
      expect(add.status).toBe(0);

      const again = users(
        ["add", "--email", "rev@example.test", "--role", "observer", "--password-stdin"],
        "x".repeat(12),
      );
      expect(again.stderr).toBe("error: --email: an account for rev@example.test already exists\n");
      expect(again.status).toBe(1);
    } finally {
      await fs.rm(root, { recursive: true, force: true });
    }
  });
});
