import { EXIT, InputError } from "../../errors";
import { runAction } from "../../control/action";
import { addUserAction } from "../../control/account-actions";
import { listAccounts, MIN_PASSWORD_LENGTH, type Account } from "../../control/accounts";
import { ROLES, roleSchema } from "../../control/roles";
import { getCliActor } from "../database";
import { parseCommandArgs, requireFlag, writeResult, type Command, type CommandContext } from "../command";

const USAGE = `scripts/phase4-users.sh add --email E --role ${ROLES.join("|")} [--password-stdin] [--json]
scripts/phase4-users.sh list [--json]

Manages the dashboard's local accounts (the sign-in of the embedded mode; with Supabase Auth the
role is set in Supabase as app_metadata.role instead).

  add                    create an account; adding is recorded in the audit log
    --email E            the person's e-mail address (their sign-in name)
    --role ROLE          ${ROLES.join(" | ")}
    --password-stdin     read the password from standard input (at least ${MIN_PASSWORD_LENGTH} characters);
                         without it a password is generated and printed once: pass it on, it is
                         not stored anywhere but as a hash
  list                   every account with its role and state (never a password or its hash)
  --json                 print one JSON line

Exit codes: 0 done; 1 bad input (the flag is named) or the account exists; 3 the kill switch is
engaged (add only).`;

const OPTIONS = {
  email: { type: "string" },
  role: { type: "string" },
  "password-stdin": { type: "boolean" },
} as const;

/** The command with its password source injected, so tests need no real standard input. */
export function createUsersCommand(readStdin: () => Promise<string>): Command {
  return {
    name: "users",
    script: "scripts/phase4-users.sh",
    summary: "Add a dashboard account with a role, or list the accounts",
    usage: USAGE,
    async run(ctx) {
      const { values, positionals } = parseCommandArgs(ctx.argv, OPTIONS);
      const [sub, extra] = positionals;
      if (extra !== undefined) throw new InputError(`unexpected argument '${extra}' (see --help)`);
      if (sub === "list") {
        const flag = (["email", "role", "password-stdin"] as const).find((f) => values[f] !== undefined);
        if (flag) throw new InputError(`--${flag} is not taken by 'list' (see --help)`);
        return listUsers(ctx, values.json);
      }
      if (sub === "add") return addUser(ctx, { ...values, readStdin });
      throw new InputError(
        `${sub === undefined ? "a subcommand is required" : `unknown subcommand '${sub}'`}: expected add or list (see --help)`,
      );
    },
  };
}

async function listUsers(ctx: CommandContext, json: boolean | undefined): Promise<number> {
  const accounts = await listAccounts(await ctx.database());
  const users = accounts.map(toJson);
  const width = Math.max(5, ...accounts.map((a) => a.email.length));
  const lines = [`${"email".padEnd(width)}  ${"role".padEnd(9)}  ${"state".padEnd(8)}  created_at`].concat(
    accounts.map(
      (a) =>
        `${a.email.padEnd(width)}  ${a.role.padEnd(9)}  ${(a.disabled ? "disabled" : "active").padEnd(8)}  ${a.createdAt}`,
    ),
  );
  writeResult(ctx, json, { ok: true, users }, accounts.length > 0 ? lines.join("\n") : "no accounts");
  return EXIT.ok;
}

async function addUser(
  ctx: CommandContext,
  flags: {
    email?: string;
    role?: string;
    "password-stdin"?: boolean;
    json?: boolean;
    readStdin: () => Promise<string>;
  },
): Promise<number> {
  if (ctx.env.NEXT_PUBLIC_SUPABASE_URL) {
    throw new InputError(
      "users add: local accounts are not used while NEXT_PUBLIC_SUPABASE_URL is set; give the person a role in Supabase (app_metadata.role)",
    );
  }
  const email = requireFlag(flags.email, "email", "the person's e-mail address");
  const roleText = requireFlag(flags.role, "role", ROLES.join(" | "));
  const role = roleSchema.safeParse(roleText);
  if (!role.success) throw new InputError(`--role: expected one of ${ROLES.join(", ")} (got '${roleText}')`);
  let password: string | undefined;
  if (flags["password-stdin"]) {
    // One line: a trailing newline from `echo` or a here-string is not part of the password.
    password = (await flags.readStdin()).replace(/\r?\n$/, "");
    if (password.length < MIN_PASSWORD_LENGTH) {
      throw new InputError(
        `--password-stdin: expected at least ${MIN_PASSWORD_LENGTH} characters on standard input (got ${password.length})`,
      );
    }
  }
  let result;
  try {
    result = await runAction(addUserAction, {
      actor: getCliActor(ctx.env),
      input: { email, role: role.data, password },
      db: await ctx.database(),
      signal: ctx.signal,
    });
  } catch (error) {
    // The core names its fields; here they are flags.
    if (error instanceof InputError && /^(email|password):/.test(error.message)) {
      throw new InputError(error.message.replace(/^email:/, "--email:"), { cause: error });
    }
    throw error;
  }
  const { account } = result;
  const generated = password === undefined ? result.password : undefined;
  const line = [`user=${account.email} role=${account.role} action=added`]
    .concat(
      generated ? [`password=${generated}`, "(shown once: pass it on now; it is stored only as a hash)"] : [],
    )
    .join("\n");
  writeResult(
    ctx,
    flags.json,
    { ok: true, action: "added", user: toJson(account), ...(generated ? { password: generated } : {}) },
    line,
  );
  return EXIT.ok;
}

const toJson = (a: Account) => ({
  id: a.id,
  email: a.email,
  role: a.role,
  created_at: a.createdAt,
  disabled: a.disabled,
});

async function readAllStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin)
    chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks).toString("utf8");
}

export const usersCommand = createUsersCommand(readAllStdin);
