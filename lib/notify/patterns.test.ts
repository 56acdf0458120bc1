import { describe, expect, it } from "vitest";
import { hasSecretShape, hasUrl } from "./patterns";

describe("secret and URL shapes", () => {
  it.each([
    "token ghp_abcdefghijklmnopqrstuvwxyz0123456789",
    "github_pat_11ABCDEFG0123456789_abcdefghijklmnop",
    "xoxb-123456789012-abcdefghijkl",
    "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJlX3ZhbHVl",
  ])("finds a token shape in %s", (text) => {
    expect(hasSecretShape(text)).toBe(true);
    expect(hasSecretShape(text)).toBe(true); // no state carried between calls
  });

  it("leaves ordinary notes alone", () => {
    expect(hasSecretShape("retried after 503 from the artifact store")).toBe(false);
    expect(hasUrl("see run 19421003747")).toBe(false);
  });

  it("finds URLs of any scheme", () => {
    expect(hasUrl("see https://example.test/x")).toBe(true);
    expect(hasUrl("s3://bucket/key")).toBe(true);
  });
});
