import path from "node:path";
import { NextResponse, type NextRequest } from "next/server";
import { getRepoRoot } from "./lib/config/paths";
import { getSettings } from "./lib/config/settings";
import { findAccount } from "./lib/control/accounts";
import { loadSessionSecret } from "./lib/control/session-secret";
import { verifySessionToken } from "./lib/control/session-token";
import { getSupabaseAuthConfig } from "./lib/web/supabase/config";
import { getDatabase } from "./lib/db";
import { refreshSupabaseSession } from "./lib/web/supabase/proxy";

/**
 * The gate in front of every page: no session, no page (DESIGN §9). It checks the cookie's
 * signature and expiry, then that the account still exists and is not disabled (one indexed
 * query: a disabled account loses its pages at once, not when its cookie expires). Actions
 * re-check through getSessionActor, so the proxy is a first wall, not the only one. Runs on
 * Node (Next 16's default), in the server's process, sharing its database connection.
 */
const SESSION_COOKIE = "auditloop_session"; // lib/web/session.ts: that module is server-only
const PUBLIC_PATHS = new Set(["/login", "/api/health"]);

export async function proxy(request: NextRequest): Promise<NextResponse> {
  // CVE-2025-29927: this header once made Next skip the middleware; refuse it outright.
  if (request.headers.has("x-middleware-subrequest")) {
    return new NextResponse("Refused: x-middleware-subrequest is not accepted\n", { status: 403 });
  }
  const { pathname } = request.nextUrl;
  const settings = getSettings();
  const supabase = getSupabaseAuthConfig(settings);
  if (supabase) {
    const { response, actor } = await refreshSupabaseSession(request, supabase);
    if (actor || PUBLIC_PATHS.has(pathname)) return response;
    // Keep the cookies Supabase just cleared or refreshed on the refusal too.
    const refusal = refuse(request);
    for (const cookie of response.cookies.getAll()) refusal.cookies.set(cookie);
    return refusal;
  }
  if (PUBLIC_PATHS.has(pathname)) return NextResponse.next();
  const secret = loadSessionSecret(path.resolve(getRepoRoot(), settings.AUDIT_DATA_DIR));
  const payload = verifySessionToken(request.cookies.get(SESSION_COOKIE)?.value, secret);
  const account = payload ? await findAccount(await getDatabase(settings), payload.sub) : null;
  return account && !account.disabled ? NextResponse.next() : refuse(request);
}

/**
 * A page visit goes to the sign-in form and comes back after; an API call or a server action gets
 * 401 (a redirect would hand a fetch the form's HTML); a plain form post is sent to the form.
 */
function refuse(request: NextRequest): NextResponse {
  const { pathname, search } = request.nextUrl;
  const isGet = request.method === "GET" || request.method === "HEAD";
  if (pathname.startsWith("/api/") || request.headers.has("next-action")) {
    return NextResponse.json({ error: "Sign in first: no valid session" }, { status: 401 });
  }
  const login = new URL("/login", request.url);
  if (isGet && pathname !== "/") login.searchParams.set("next", `${pathname}${search}`);
  return NextResponse.redirect(login, isGet ? 307 : 303);
}

export const config = {
  // Everything but Next's own static files: pages, route handlers and server actions alike.
  matcher: ["/((?!_next/static|_next/image|favicon.ico|robots.txt).*)"],
};
