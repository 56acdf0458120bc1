import "server-only";
import { headers } from "next/headers";
import { runAction, type ActionDefinition } from "../control/action";
import { getSettings } from "../config/settings";
import { getDatabase } from "../db";
import { AuthenticationError, ForbiddenError, InputError, KillSwitchEngagedError } from "../errors";
import type { z } from "zod";
import { getSessionActor } from "./session";

/**
 * What a server action returns to the browser: data, or one message a person can act on.
 * Server actions are public POST endpoints, so every one goes through callAction.
 */
export type ActionResult<O> =
  { ok: true; data: O } | { ok: false; status: 400 | 401 | 403 | 423 | 500; error: string };

/**
 * Refuses a request that did not come from our own pages: a cross-site or null Origin, and the
 * x-middleware-subrequest header (CVE-2025-29927) whatever Next does with it.
 */
export async function assertSameOriginRequest(): Promise<void> {
  const h = await headers();
  if (h.has("x-middleware-subrequest"))
    throw new ForbiddenError("Refused: x-middleware-subrequest is not accepted");
  const origin = h.get("origin");
  const host = h.get("x-forwarded-host") ?? h.get("host");
  let originHost: string | null = null;
  try {
    originHost = origin && origin !== "null" ? new URL(origin).host : null;
  } catch {
    originHost = null;
  }
  if (!originHost || !host || originHost !== host) {
    throw new ForbiddenError("Refused: the request did not come from this dashboard (Origin check)");
  }
}

export async function callAction<S extends z.ZodType, O>(
  action: ActionDefinition<S, O>,
  input: unknown,
): Promise<ActionResult<O>> {
  try {
    await assertSameOriginRequest();
    const actor = await getSessionActor();
    const db = await getDatabase(getSettings());
    return { ok: true, data: await runAction(action, { actor, input, db }) };
  } catch (error) {
    return { ok: false, ...describeFailure(error) };
  }
}

function describeFailure(error: unknown): { status: 400 | 401 | 403 | 423 | 500; error: string } {
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof AuthenticationError) return { status: 401, error: message };
  if (error instanceof ForbiddenError) return { status: 403, error: message };
  if (error instanceof KillSwitchEngagedError) return { status: 423, error: message };
  if (error instanceof InputError) return { status: 400, error: message };
  console.error(`action failed: ${message}`);
  return { status: 500, error: "The action failed on the server; the error is in the server log." };
}
