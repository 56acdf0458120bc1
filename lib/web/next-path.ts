/**
 * Where to go after signing in: a path on this dashboard only. Anything else (another host,
 * a protocol-relative "//evil", a backslash trick, the form itself) falls back to the overview,
 * so the sign-in form cannot be used as an open redirect.
 */
export function safeNextPath(next: unknown): string {
  if (typeof next !== "string" || !next.startsWith("/") || next.length > 2048) return "/";
  if (next.startsWith("//") || next.includes("\\") || /[\u0000-\u001f]/.test(next)) return "/";
  try {
    const url = new URL(next, "http://dashboard.invalid");
    if (url.origin !== "http://dashboard.invalid" || url.pathname === "/login") return "/";
    return `${url.pathname}${url.search}${url.hash}`;
  } catch {
    return "/";
  }
}
