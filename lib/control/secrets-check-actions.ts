import { z } from "zod";
import type { Settings } from "../config/settings";
import type { Queryable } from "../db";
import { defineAction } from "./action";
import type { StepVerifier } from "./checklist-verify";
import {
  CHECKED_SETTINGS,
  checkSecrets,
  type SecretCheckItem,
  type SecretsCheckResult,
} from "./secrets-check";

/**
 * The recorded secrets check (DESIGN §12 step 1): every run goes through the action client, so the
 * audit log holds who checked, when, and the names with present/missing; checklist step 1 and the
 * Secrets view read "the last secrets check" from there. The settings are bound by the server or
 * the CLI, never sent by a browser.
 *
 * It runs while the kill switch is engaged: it changes nothing but the audit log, and a 403 that
 * tripped the switch is exactly when a commander needs it before releasing.
 */
export const secretsCheckInputSchema = z
  .object({ require: z.array(z.enum(CHECKED_SETTINGS, "a checked setting's name")).default([]) })
  .strict();

export const SECRETS_CHECK_ACTION = "secrets.check";

export function secretsCheckAction(settings: Settings) {
  return defineAction({
    name: SECRETS_CHECK_ACTION,
    permission: "secrets.check",
    schema: secretsCheckInputSchema,
    allowWhileEngaged: true,
    run: async ({ input }): Promise<SecretsCheckResult> => checkSecrets(settings, input.require),
    audit: (input, result) => ({
      target: "settings",
      detail: {
        ok: result.ok,
        require: input.require,
        items: result.items.map(({ name, requirement, status }) => ({ name, requirement, status })),
      },
    }),
  });
}

const recordedSchema = z.object({
  ok: z.boolean(),
  items: z.array(
    z.object({
      name: z.enum(CHECKED_SETTINGS),
      requirement: z.enum(["required", "recommended"]),
      status: z.enum(["present", "missing"]),
    }),
  ),
});

export interface RecordedSecretsCheck {
  id: number;
  at: string;
  actor: string;
  role: string;
  ok: boolean;
  items: Pick<SecretCheckItem, "name" | "requirement" | "status">[];
}

/** The last recorded secrets check, or null when none was recorded (or its record is unreadable). */
export async function getLastSecretsCheck(db: Queryable): Promise<RecordedSecretsCheck | null> {
  const { rows } = await db.query<{
    id: string;
    at_utc: string;
    actor: string;
    role: string;
    detail: unknown;
  }>(
    "select id::text, at_utc, actor, role, detail from audit_log where action = $1 order by audit_log.id desc limit 1",
    [SECRETS_CHECK_ACTION],
  );
  const row = rows[0];
  if (!row) return null;
  const raw = typeof row.detail === "string" ? (JSON.parse(row.detail) as unknown) : row.detail;
  const detail = recordedSchema.safeParse(raw);
  if (!detail.success) return null;
  return { id: Number(row.id), at: row.at_utc, actor: row.actor, role: row.role, ...detail.data };
}

const names = (items: RecordedSecretsCheck["items"], requirement: string, status: string) =>
  items.filter((i) => i.requirement === requirement && i.status === status).map((i) => i.name);

/** Step 1: "Secrets check passed (required present, recommended noted)", from the last check. */
export const verifySecretsCheckStep: StepVerifier = async ({ db }) => {
  const last = await getLastSecretsCheck(db);
  if (!last) {
    return {
      status: "unverified",
      detail: "no secrets check recorded (scripts/phase4-secrets-check.sh or the Secrets view)",
    };
  }
  const by = `secrets check #${last.id} by ${last.actor}`;
  if (!last.ok) {
    return {
      status: "unverified",
      detail: `the last ${by} found required settings missing: ${names(last.items, "required", "missing").join(", ")}`,
    };
  }
  const present = names(last.items, "required", "present").length;
  const noted = names(last.items, "recommended", "missing");
  return {
    status: "verified",
    evidence:
      `${by}: ${present} required present` +
      (noted.length > 0
        ? `; recommended missing (noted): ${noted.join(", ")}`
        : "; every recommended present"),
    at: last.at,
  };
};
