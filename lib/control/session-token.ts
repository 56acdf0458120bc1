import { createHmac, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import { roleSchema } from "./roles";

/**
 * The embedded mode's session: a payload signed with HMAC-SHA256, carried in an http-only,
 * SameSite=strict cookie. Stateless, so every check re-reads the account (a disabled account or a
 * changed role takes effect at once).
 */
const payloadSchema = z.object({
  sub: z.string().uuid(),
  email: z.string(),
  role: roleSchema,
  exp: z.number().int(),
});
export type SessionPayload = z.infer<typeof payloadSchema>;

export const SESSION_TTL_SECONDS = 12 * 60 * 60;

function sign(body: string, secret: Buffer): string {
  return createHmac("sha256", secret).update(body).digest("base64url");
}

export function createSessionToken(
  payload: Omit<SessionPayload, "exp">,
  secret: Buffer,
  now = Date.now(),
): string {
  const body = Buffer.from(
    JSON.stringify({ ...payload, exp: Math.floor(now / 1000) + SESSION_TTL_SECONDS }),
  ).toString("base64url");
  return `${body}.${sign(body, secret)}`;
}

/** The payload when the token is authentic and unexpired, else null. */
export function verifySessionToken(
  token: string | undefined,
  secret: Buffer,
  now = Date.now(),
): SessionPayload | null {
  if (!token) return null;
  const [body, mac, extra] = token.split(".");
  if (!body || !mac || extra !== undefined) return null;
  const expected = Buffer.from(sign(body, secret));
  const actual = Buffer.from(mac);
  if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) return null;
  try {
    const parsed = payloadSchema.safeParse(JSON.parse(Buffer.from(body, "base64url").toString("utf8")));
    if (!parsed.success || parsed.data.exp * 1000 <= now) return null;
    return parsed.data;
  } catch {
    return null;
  }
}
