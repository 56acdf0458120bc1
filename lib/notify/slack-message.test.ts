import { describe, expect, it } from "vitest";
import { parseSettings } from "../config/settings";
import { InputError } from "../errors";
import { createMasker } from "./mask";
import { buildSlackSummary, renderSlackExcerpt, SUMMARY_MAX_LENGTH } from "./slack-message";

const mask = createMasker(parseSettings({ GITHUB_TOKEN: "canary-token-4242" }));
const at = new Date("2025-11-14T09:05:07.123Z");

describe("buildSlackSummary", () => {
  it("carries only status, timestamp_utc, summary and retry_context", () => {
    const { fields } = buildSlackSummary(
      {
        status: "retry",
        timestampUtc: at,
        summary: "run 19421003747 retried",
        retryContext: "retry_attempt=2 (5xx detected)",
      },
      mask,
    );
    expect(fields).toEqual({
      status: "retry",
      timestamp_utc: "2025-11-14T09:05:07Z",
      summary: "run 19421003747 retried",
      retry_context: "retry_attempt=2 (5xx detected)",
    });
  });

  it("formats the timestamp as YYYY-MM-DDTHH:MM:SSZ in UTC", () => {
    const { fields } = buildSlackSummary(
      { status: "success", timestampUtc: new Date(0), summary: "ok" },
      mask,
    );
    expect(fields.timestamp_utc).toBe("1970-01-01T00:00:00Z");
    expect(Object.keys(fields)).toEqual(["status", "timestamp_utc", "summary"]);
  });

  it("masks the summary and the retry context", () => {
    const { text, fields } = buildSlackSummary(
      {
        status: "failure",
        timestampUtc: at,
        summary: "leaked canary-token-4242 and https://x.test/y",
        retryContext: "ghp_abcdefghijklmnopqrstuvwxyz0123456789",
      },
      mask,
    );
    expect(fields.summary).toBe("leaked *** and [url]");
    expect(fields.retry_context).toBe("***");
    expect(text).not.toContain("canary-token-4242");
  });

  it("cuts the summary to 200 characters with an ellipsis", () => {
    const { fields } = buildSlackSummary(
      { status: "alert", timestampUtc: at, summary: "x".repeat(500) },
      mask,
    );
    expect(fields.summary).toHaveLength(SUMMARY_MAX_LENGTH);
    expect(fields.summary.endsWith("…")).toBe(true);
    const exact = buildSlackSummary({ status: "alert", timestampUtc: at, summary: "y".repeat(200) }, mask);
    expect(exact.fields.summary).toBe("y".repeat(200));
  });

  it("escapes Slack control sequences so <!channel> and <url|label> are inert", () => {
    const { text } = buildSlackSummary(
      { status: "alert", timestampUtc: at, summary: "hey <!channel> see <https://x|y> & more" },
      mask,
    );
    expect(text).toContain("hey &lt;!channel&gt; see &lt;[url]&gt; &amp; more");
    expect(text).not.toMatch(/[<>]/);
  });

  it("refuses an invalid date or status", () => {
    expect(() =>
      buildSlackSummary({ status: "success", timestampUtc: new Date("x"), summary: "" }, mask),
    ).toThrow(InputError);
    const bad = { status: "weird", timestampUtc: at, summary: "" } as unknown as Parameters<
      typeof buildSlackSummary
    >[0];
    expect(() => buildSlackSummary(bad, mask)).toThrow(/status "weird"/);
  });
});

describe("renderSlackExcerpt", () => {
  it("writes the fields as inert markdown without links", () => {
    const { fields } = buildSlackSummary(
      {
        status: "failure",
        timestampUtc: at,
        summary: "see [here](javascript:alert) <!here>",
        retryContext: "retry_attempt=1",
      },
      mask,
    );
    const md = renderSlackExcerpt(fields);
    expect(md).toContain("- **status**: failure");
    expect(md).toContain("- **timestamp_utc**: 2025-11-14T09:05:07Z");
    expect(md).toContain("- **summary**: see \\[here\\](javascript:alert) &lt;!here&gt;");
    expect(md).toContain("- **retry_context**: retry_attempt=1");
    expect(md).not.toMatch(/[^\\]\[[^\]]*\]\(/);
  });
});
