/**
 * Runs once when the dashboard server starts: parse the settings (fail fast naming a bad
 * variable), open + migrate the database, so the first page view finds it ready, load the KPI
 * view's runs in the background, and on the very first start (local accounts, none yet) create
 * the commander account.
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { getSettings } = await import("./lib/config/settings");
  const { getDatabase } = await import("./lib/db");
  const { getSupabaseAuthConfig } = await import("./lib/web/supabase/config");
  const settings = getSettings();
  const db = await getDatabase(settings);
  const supabase = getSupabaseAuthConfig(settings) !== null;
  console.log(
    `auditloop: event ${settings.AUDIT_EVENT}, database ${db.mode}, sign-in ${supabase ? "supabase" : "local accounts"}`,
  );
  // Not awaited: the server answers meanwhile, and a first KPI request shares this read.
  const [{ warmKpiView }, { getEventPaths }] = await Promise.all([
    import("./lib/observer/kpi-data"),
    import("./lib/config/paths"),
  ]);
  void warmKpiView(db, settings.AUDIT_EVENT, getEventPaths(settings)).catch((error: unknown) =>
    console.error(
      "auditloop: the KPI view could not be prepared:",
      error instanceof Error ? error.message : error,
    ),
  );
  if (supabase) return;
  const { ensureFirstCommander } = await import("./lib/control/accounts");
  const first = await ensureFirstCommander(db);
  // Printed here once, to this console only: never logged again, never written to a file.
  if (first) {
    console.log(
      [
        "",
        "auditloop: no accounts yet, so one commander account was created:",
        `  e-mail:   ${first.email}`,
        `  password: ${first.password}`,
        "This password is shown once. Sign in at /login, then add people with",
        "  scripts/phase4-users.sh add --email E --role observer|operator|reviewer|commander",
        "",
      ].join("\n"),
    );
  }
}
