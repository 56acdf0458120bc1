import path from "node:path";
import { getEventPaths, type EventPaths } from "../config/paths";
import { parseSettings, settingsSchema, type Settings } from "../config/settings";
import { InputError } from "../errors";
import type { CommandContext } from "./command";

/** The repository root the event folder is resolved against (set by the .sh wrappers). */
export function getCliRoot(ctx: Pick<CommandContext, "env">): string {
  return ctx.env.AUDITLOOP_ROOT ?? process.cwd();
}

/** Settings from the environment with --event laid over AUDIT_EVENT (flags win, DESIGN §10). */
export function resolveCliSettings(ctx: Pick<CommandContext, "env">, event: string | undefined): Settings {
  if (event !== undefined && !settingsSchema.shape.AUDIT_EVENT.safeParse(event).success) {
    throw new InputError(
      `--event: expected a folder name of letters, digits, '.', '_' or '-' (got '${event}')`,
    );
  }
  return parseSettings({ ...ctx.env, AUDIT_EVENT: event ?? ctx.env.AUDIT_EVENT });
}

export function resolveEventPaths(ctx: Pick<CommandContext, "env">, event: string | undefined): EventPaths {
  return getEventPaths(resolveCliSettings(ctx, event), getCliRoot(ctx));
}

/** A file flag's value (relative to the working directory), else the event folder's file. */
export function resolveEventFile(
  ctx: Pick<CommandContext, "env">,
  flag: { name: string; value: string | undefined },
  event: string | undefined,
  pick: (paths: EventPaths) => string,
): string {
  if (flag.value !== undefined) {
    if (flag.value === "") throw new InputError(`--${flag.name}: expected a file path`);
    return path.resolve(process.cwd(), flag.value);
  }
  return pick(resolveEventPaths(ctx, event));
}

/** A path as people read it: relative to the root when inside it. */
export function displayPath(file: string, root: string): string {
  const relative = path.relative(root, file);
  return relative.startsWith("..") || path.isAbsolute(relative) ? file : relative.split(path.sep).join("/");
}
