import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseSettings, SECRET_SETTINGS } from "../config/settings";
import { createMasker, maskDeep } from "./mask";

const CANARIES: Record<(typeof SECRET_SETTINGS)[number], string> = {
  GITHUB_TOKEN: "canary-gh-token-Q7x9Lm2Pz",
  SUPABASE_SERVICE_KEY: "canary+service/key=K3y_V4lue",
  SLACK_WEBHOOK_URL: "https://hooks.slack.test/services/T000/B000/canarySlackHook",
  DATABASE_URL: "postgres://auditor:canary%20pw@db.internal:5432/audit",
  NEXT_PUBLIC_SUPABASE_ANON_KEY: 'canary "anon" key\\with\nescapes',
};

const settings = parseSettings({
  ...CANARIES,
  SUPABASE_URL: "https://abcd.supabase.test/",
  NEXT_PUBLIC_SUPABASE_URL: "https://public-ref.supabase.test",
});
const mask = createMasker(settings);

const encodings: [string, (v: string) => string][] = [
  ["raw", (v) => v],
  ["base64", (v) => Buffer.from(v).toString("base64")],
  ["base64url", (v) => Buffer.from(v).toString("base64url")],
  ["URL-encoded", (v) => encodeURIComponent(v)],
  ["JSON-escaped", (v) => JSON.stringify(v).slice(1, -1)],
];

describe("createMasker: configured secrets", () => {
  for (const name of SECRET_SETTINGS) {
    it.each(encodings)(`masks the ${name} canary when %s`, (_label, encode) => {
      const encoded = encode(CANARIES[name]);
      const out = mask(`run 19421003747 note: before ${encoded} after`);
      expect(out).not.toContain(encoded);
      expect(out).not.toContain(CANARIES[name]);
      expect(out).toContain("***");
      expect(out).toContain("19421003747");
    });
  }

  it("masks a secret inside a larger base64 blob (Basic auth) at any alignment", () => {
    const secret = CANARIES.GITHUB_TOKEN;
    for (const prefix of ["u:", "us:", "use:"]) {
      const blob = Buffer.from(`${prefix}${secret}:tail`).toString("base64");
      const out = mask(`Authorization: Basic ${blob}`);
      const rest = out.slice("Authorization: Basic ".length).replace(/\*/g, "A");
      expect(out).toContain("***");
      expect(Buffer.from(rest, "base64").toString("latin1")).not.toContain(secret);
    }
  });

  it("ignores secret values shorter than 4 characters instead of masking everything", () => {
    const short = createMasker(parseSettings({ GITHUB_TOKEN: "abc" }));
    expect(short("abc abc run 42")).toBe("abc abc run 42");
  });
});

describe("createMasker: shapes", () => {
  it("writes the Supabase endpoint as SUPABASE_URL, with or without trailing slash", () => {
    expect(mask("GET https://abcd.supabase.test/rest/v1/x")).toBe("GET SUPABASE_URL/rest/v1/x");
    expect(mask("at https://abcd.supabase.test")).toBe("at SUPABASE_URL");
    expect(mask("at https://public-ref.supabase.test/")).toBe("at SUPABASE_URL/");
  });

  it.each([
    ["GitHub classic", "ghp_abcdefghijklmnopqrstuvwxyz0123456789"],
    ["GitHub OAuth", "gho_abcdefghijklmnopqrstuvwxyz0123456789"],
    ["GitHub server", "ghs_abcdefghijklmnopqrstuvwxyz0123456789"],
    ["GitHub fine-grained", "github_pat_11ABCDEFG0123456789_abcdefghijklmnop"],
    ["Slack", "xoxb-123456789012-abcdefghijkl"],
    ["JWT", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJlX3ZhbHVl"],
  ])("masks a %s token in run notes", (_kind, token) => {
    const out = mask(`note: retried with ${token} on run 19421003747`);
    expect(out).toBe("note: retried with *** on run 19421003747");
  });

  it("replaces URLs, e-mail addresses and long hex strings", () => {
    expect(mask("see https://example.test/a?b=c now")).toBe("see [url] now");
    expect(mask("ask ops@example.test")).toBe("ask [email]");
    const sha = "0123456789abcdef0123456789abcdef01234567";
    expect(mask(`sha ${sha}`)).toBe("sha 01234567***");
    expect(mask("short abcdef0123 stays")).toBe("short abcdef0123 stays");
  });

  it("keeps run ids", () => {
    expect(mask("run 19421003747 failed, retry 19421003748")).toBe(
      "run 19421003747 failed, retry 19421003748",
    );
  });
});

describe("createMasker: property", () => {
  it("never lets a secret embedded in random text survive", () => {
    const printable = fc.string({ unit: fc.constantFrom(...'abcXYZ019*_-+/=:%.@[]<>" \\'.split("")) });
    fc.assert(
      fc.property(
        fc.string({ minLength: 8, maxLength: 40, unit: "grapheme-ascii" }),
        printable,
        printable,
        (secret, before, after) => {
          const masker = createMasker(parseSettings({ SUPABASE_SERVICE_KEY: secret }));
          const trimmed = secret.trim();
          fc.pre(trimmed.length >= 8); // settings trim values; the trimmed value is the secret
          expect(masker(`${before}${trimmed}${after}`)).not.toContain(trimmed);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe("maskDeep", () => {
  it("masks strings at any depth and leaves other values alone", () => {
    const value = {
      run_id: 19421003747,
      ok: true,
      notes: ["token ghp_abcdefghijklmnopqrstuvwxyz0123456789", null],
      nested: { [CANARIES.GITHUB_TOKEN]: `x ${CANARIES.SUPABASE_SERVICE_KEY}` },
    };
    const out = maskDeep(value, mask);
    expect(out).toEqual({
      run_id: 19421003747,
      ok: true,
      notes: ["token ***", null],
      nested: { "***": "x ***" },
    });
    expect(JSON.stringify(out)).not.toContain("canary");
  });
});
