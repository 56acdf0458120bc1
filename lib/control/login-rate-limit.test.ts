import { describe, expect, it } from "vitest";
import { createLoginRateLimiter, type AttemptDecision } from "./login-rate-limit";

function limiter(options: { maxPerEmail?: number; maxPerAddress?: number; maxKeys?: number } = {}) {
  let now = 1_000_000;
  const l = createLoginRateLimiter({ windowMs: 15 * 60_000, now: () => now, ...options });
  return {
    begin: (email: string, address: string | null = "10.0.0.1") => l.begin({ email, address }),
    advance: (ms: number) => void (now += ms),
  };
}

const allowed = (d: AttemptDecision) => d.allowed;

describe("login rate limit", () => {
  it("allows 5 failures per e-mail in 15 minutes, then refuses with the minutes to wait", () => {
    const l = limiter();
    for (let i = 0; i < 5; i++) expect(allowed(l.begin("a@example.test"))).toBe(true);
    const refused = l.begin("A@Example.test ");
    expect(refused).toMatchObject({
      allowed: false,
      retryAfterMs: 15 * 60_000,
      message: "Too many sign-in attempts: try again in 15 minutes.",
    });
    // Another e-mail from the same address is still let through.
    expect(allowed(l.begin("b@example.test"))).toBe(true);
  });

  it("lets the e-mail in again once its oldest failure leaves the window", () => {
    const l = limiter();
    l.begin("a@example.test");
    l.advance(10 * 60_000);
    for (let i = 0; i < 4; i++) l.begin("a@example.test");
    expect(l.begin("a@example.test")).toMatchObject({
      allowed: false,
      message: "Too many sign-in attempts: try again in 5 minutes.",
    });
    l.advance(5 * 60_000 - 1);
    expect(l.begin("a@example.test")).toMatchObject({ allowed: false, message: /in 1 minute\.$/ });
    l.advance(1);
    expect(allowed(l.begin("a@example.test"))).toBe(true);
    expect(allowed(l.begin("a@example.test"))).toBe(false);
  });

  it("does not count refused attempts, so waiting out the window is enough", () => {
    const l = limiter();
    for (let i = 0; i < 5; i++) l.begin("a@example.test");
    for (let i = 0; i < 20; i++) expect(allowed(l.begin("a@example.test"))).toBe(false);
    l.advance(15 * 60_000);
    expect(allowed(l.begin("a@example.test"))).toBe(true);
  });

  it("limits one address trying many e-mails", () => {
    const l = limiter({ maxPerAddress: 30 });
    for (let i = 0; i < 30; i++) expect(allowed(l.begin(`user${i}@example.test`))).toBe(true);
    expect(l.begin("fresh@example.test")).toMatchObject({ allowed: false });
    expect(allowed(l.begin("fresh@example.test", "10.0.0.2"))).toBe(true);
    expect(allowed(l.begin("fresh2@example.test", null))).toBe(true);
  });

  it("counts an attempt from its start, so parallel guesses cannot pass the check together", () => {
    const l = limiter();
    const inFlight = Array.from({ length: 8 }, () => l.begin("a@example.test"));
    expect(inFlight.filter(allowed)).toHaveLength(5);
  });

  it("forgets the e-mail's failures on success and takes the success back from the address", () => {
    const l = limiter({ maxPerAddress: 6 });
    for (let i = 0; i < 4; i++) l.begin("a@example.test");
    const right = l.begin("a@example.test");
    if (!right.allowed) throw new Error("expected the fifth attempt to be allowed");
    right.attempt.succeeded();
    for (let i = 0; i < 2; i++) expect(allowed(l.begin("a@example.test"))).toBe(true);
    // The address holds 4 + 2 failures now (the success was taken back): the next one is refused.
    expect(allowed(l.begin("c@example.test"))).toBe(false);
  });

  it("keeps memory bounded under a spray of made-up e-mails", () => {
    const l = limiter({ maxKeys: 100, maxPerAddress: 1_000_000 });
    for (let i = 0; i < 5; i++) l.begin("victim@example.test");
    for (let i = 0; i < 1_000; i++) l.begin(`spray${i}@example.test`, `10.1.${i >> 8}.${i & 255}`);
    // The victim's old failures were evicted with the stalest keys: bounded, at the cost of a reset.
    expect(allowed(l.begin("victim@example.test"))).toBe(true);
  });
});
