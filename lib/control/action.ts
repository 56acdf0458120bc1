import type { z } from "zod";
import type { Database } from "../db";
import { AuthenticationError, ForbiddenError, InputError } from "../errors";
import { appendAuditEntry } from "./audit-log";
import { trackInFlight } from "./in-flight";
import { throwIfKillSwitchEngaged, watchKillSwitch } from "./kill-switch";
import { isAllowed, PERMISSIONS, type Actor, type Permission } from "./roles";

/**
 * The one action client (DESIGN §2, STYLE "Server actions"): every mutation, from the dashboard
 * or the CLI, runs through runAction, which authenticates, authorises by role, refuses while the
 * kill switch is engaged, validates the input, hands the work a signal the kill switch aborts, and
 * writes the audit log. Nothing reaches the database or the files before all checks pass.
 */
export interface ActionContext<I> {
  actor: Actor;
  input: I;
  db: Database;
  /** Aborted when the kill switch is engaged (here or in another process) or the caller gives up. */
  signal: AbortSignal;
}

export interface ActionDefinition<S extends z.ZodType, O> {
  /** The audit log's action name, e.g. "manifest.update". */
  name: string;
  permission: Permission;
  schema: S;
  /** Only the kill switch's own release and status run while it is engaged. */
  allowWhileEngaged?: boolean;
  run(ctx: ActionContext<z.infer<S>>): Promise<O>;
  /** What the audit entry names as target and detail (never secrets). */
  audit?(input: z.infer<S>, output: O): { target?: string; detail?: Record<string, unknown> };
}

export function defineAction<S extends z.ZodType, O>(
  definition: ActionDefinition<S, O>,
): ActionDefinition<S, O> {
  return definition;
}

/** Zod issues as one message naming each field and what was expected. */
export function describeIssues(issues: readonly z.core.$ZodIssue[], what = "input"): string {
  return issues
    .map((issue) => `${issue.path.length > 0 ? issue.path.join(".") : what}: expected ${issue.message}`)
    .join("; ");
}

export async function runAction<S extends z.ZodType, O>(
  action: ActionDefinition<S, O>,
  call: { actor: Actor | null; input: unknown; db: Database; signal?: AbortSignal },
): Promise<O> {
  const { actor, db } = call;
  if (!actor) throw new AuthenticationError(`Sign in to ${action.name}`);
  if (!isAllowed(actor, action.permission)) {
    const allowed = (PERMISSIONS[action.permission] as readonly string[]).join(", ");
    throw new ForbiddenError(`The ${actor.role} role may not run ${action.name} (allowed roles: ${allowed})`);
  }
  if (!action.allowWhileEngaged) await throwIfKillSwitchEngaged(db);
  const parsed = action.schema.safeParse(call.input);
  if (!parsed.success) throw new InputError(describeIssues(parsed.error.issues), { cause: parsed.error });

  const watcher = action.allowWhileEngaged ? null : watchKillSwitch(db);
  const signals = [watcher?.signal, call.signal].filter((s): s is AbortSignal => s !== undefined);
  const task = trackInFlight(signals.length > 0 ? AbortSignal.any(signals) : undefined);
  let output: O;
  try {
    output = await action.run({ actor, input: parsed.data, db, signal: task.signal });
  } finally {
    task.done();
    watcher?.stop();
  }
  const audit = action.audit?.(parsed.data, output) ?? {};
  await appendAuditEntry(db, { actor: actor.email, role: actor.role, action: action.name, ...audit });
  return output;
}
