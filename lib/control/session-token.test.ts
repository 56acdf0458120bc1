import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { createSessionToken, SESSION_TTL_SECONDS, verifySessionToken } from "./session-token";
import { generatePassword, hashPassword, verifyPassword } from "./password";

const secret = randomBytes(32);
const who = {
  sub: "7f1c1f8e-6c1b-4b43-9a55-0d9a3f1b2c3d",
  email: "r@example.test",
  role: "reviewer" as const,
};

describe("session tokens", () => {
  it("round-trips an authentic token", () => {
    expect(verifySessionToken(createSessionToken(who, secret), secret)).toMatchObject(who);
  });

  it("refuses an expired token", () => {
    const token = createSessionToken(who, secret, 0);
    expect(verifySessionToken(token, secret, (SESSION_TTL_SECONDS + 1) * 1000)).toBeNull();
  });

  it("refuses a token signed with another secret, and any altered token", () => {
    const token = createSessionToken(who, secret);
    expect(verifySessionToken(token, randomBytes(32))).toBeNull();
    fc.assert(
      fc.property(fc.nat({ max: token.length - 1 }), fc.string({ minLength: 1, maxLength: 1 }), (i, c) => {
        const altered = token.slice(0, i) + c + token.slice(i + 1);
        return altered === token || verifySessionToken(altered, secret) === null;
      }),
    );
  });

  it("refuses a payload whose role was raised without the secret", () => {
    const [, mac] = createSessionToken(who, secret).split(".");
    const forged = Buffer.from(JSON.stringify({ ...who, role: "commander", exp: 9e9 })).toString("base64url");
    expect(verifySessionToken(`${forged}.${mac}`, secret)).toBeNull();
  });
});

describe("passwords", () => {
  it("verifies the right password and refuses a wrong one", async () => {
    const password = generatePassword();
    const stored = await hashPassword(password);
    expect(stored).not.toContain(password);
    expect(await verifyPassword(password, stored)).toBe(true);
    expect(await verifyPassword(`${password}x`, stored)).toBe(false);
    expect(await verifyPassword(password, "garbage")).toBe(false);
  });
});
