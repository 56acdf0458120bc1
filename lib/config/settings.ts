import { z } from "zod";
import { InputError } from "../errors";

/**
 * The one typed settings schema (DESIGN §10). Parsed once; every other module receives typed
 * values. Server settings never reach the browser: only NEXT_PUBLIC_* may be read by client code.
 */
const optionalText = z
  .string()
  .trim()
  .transform((v) => (v === "" ? undefined : v))
  .optional();

const eventName = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, "a folder name of letters, digits, '.', '_' or '-'");

/** "true"/"1" (and "false"/"0"/unset) from the environment; z.coerce.boolean would read "false" as true. */
const flag = z
  .preprocess(
    (v) => (v === undefined ? "" : String(v).trim().toLowerCase()),
    z.enum(["", "true", "1", "false", "0"], "true, 1, false or 0"),
  )
  .transform((v) => v === "true" || v === "1");

const relativeDir = z
  .string()
  .min(1)
  .refine((v) => !v.split(/[\\/]/).includes(".."), "a path without '..'");

export const settingsSchema = z.object({
  AUDIT_EVENT: eventName.default("2025-11-14"),
  AUDIT_REPORTS_ROOT: relativeDir.default("docs/reports"),
  AUDIT_DATA_DIR: relativeDir.default(".data"),
  DATABASE_URL: optionalText.pipe(z.url({ protocol: /^postgres(ql)?$/ }).optional()),
  GITHUB_API_URL: z.url().default("https://api.github.com"),
  GITHUB_TOKEN: optionalText,
  GITHUB_REPOSITORY: optionalText.pipe(
    z
      .string()
      .regex(/^[\w.-]+\/[\w.-]+$/, "owner/name")
      .optional(),
  ),
  AUDIT_WORKFLOW: z.string().min(1).default("phase4-auto-audit.yml"),
  SUPABASE_URL: optionalText.pipe(z.url().optional()),
  SUPABASE_SERVICE_KEY: optionalText,
  SUPABASE_METRICS_TABLE: z
    .string()
    .regex(/^[a-z_][a-z0-9_]*$/, "a table name")
    .default("phase4_audit_metrics"),
  NEXT_PUBLIC_SUPABASE_URL: optionalText.pipe(z.url().optional()),
  NEXT_PUBLIC_SUPABASE_ANON_KEY: optionalText,
  SLACK_WEBHOOK_URL: optionalText.pipe(z.url().optional()),
  /** A `go` counts only when a second, different reviewer confirms it (DESIGN §6, issue 3). */
  AUDIT_GO_REQUIRES_TWO_REVIEWERS: flag,
  RETRY_BACKOFF_SCALE: z.coerce.number().min(0).max(100).default(1),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
});

export type Settings = z.infer<typeof settingsSchema>;

/** Names whose values are secrets: masked everywhere, never printed, never sent to the browser. */
export const SECRET_SETTINGS = [
  "GITHUB_TOKEN",
  "SUPABASE_SERVICE_KEY",
  "SLACK_WEBHOOK_URL",
  "DATABASE_URL",
  "NEXT_PUBLIC_SUPABASE_ANON_KEY",
] as const satisfies readonly (keyof Settings)[];

/** Parses an environment; a bad value fails fast naming the variable and what was expected. */
export function parseSettings(env: Record<string, string | undefined>): Settings {
  const result = settingsSchema.safeParse(env);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const name = String(issue.path[0] ?? "environment");
    return `${name}: expected ${issue.message}`;
  });
  throw new InputError(`Invalid settings (environment): ${problems.join("; ")}`, { cause: result.error });
}

let cached: Settings | undefined;

/** The process's settings, parsed once from process.env. */
export function getSettings(): Settings {
  cached ??= parseSettings(process.env);
  return cached;
}

/** Settings with CLI flags laid over them (flags win, DESIGN §10). */
export function withOverrides(base: Settings, overrides: Partial<Settings>): Settings {
  const defined = Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined));
  return { ...base, ...defined };
}
