/**
 * Runs once when the dashboard server starts: parse the settings (fail fast naming a bad
 * variable) and open + migrate the database, so the first page view finds it ready.
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { getSettings } = await import("./lib/config/settings");
  const { getDatabase } = await import("./lib/db");
  const settings = getSettings();
  const db = await getDatabase(settings);
  console.log(`auditloop: event ${settings.AUDIT_EVENT}, database ${db.mode}`);
}
