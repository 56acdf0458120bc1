import os from "node:os";
import type { Actor } from "../control/roles";
import type { Database } from "../db";
import { getCliRoot } from "./event";

/**
 * The CLI opens the database only for commands that need it (kill switch, audit log, accounts),
 * so `--help` and read-only commands stay fast, and closes it when the command ends: an embedded
 * database owned by this process is then handed back.
 */
export function lazyDatabase(env: Record<string, string | undefined>): {
  open: () => Promise<Database>;
  started: () => Promise<void>;
  close: () => Promise<void>;
} {
  let opened: Promise<Database> | null = null;
  let launched: () => void = () => undefined;
  const started = new Promise<void>((resolve) => (launched = resolve));
  const open = () => {
    opened ??= (async () => {
      const [{ parseSettings }, { openDatabase }] = await Promise.all([
        import("../config/settings"),
        import("../db"),
      ]);
      return openDatabase(parseSettings(env), getCliRoot({ env }), { onLaunched: launched });
    })();
    opened.then(launched, launched);
    return opened;
  };
  return {
    open,
    started: () => {
      void open().catch(() => undefined); // the failure is the caller's when it awaits open()
      return started;
    },
    close: async () => {
      if (opened) await (await opened.catch(() => null))?.close();
    },
  };
}

/** The CLI acts with the machine's authority (like the workflow's service key), named in the audit log. */
export function getCliActor(env: Record<string, string | undefined>): Actor {
  const user = env.GITHUB_ACTOR ? `github:${env.GITHUB_ACTOR}` : `${os.userInfo().username}@${os.hostname()}`;
  return { id: `cli:${user}`, email: `cli:${user}`, role: "service", via: "cli" };
}
