import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Job } from "../github";
import { decideRerun } from "./heal-rule";

const job = (name: string, annotations: string[], conclusion = "failure", steps: Job["steps"] = []): Job => ({
  jobId: name,
  runId: "1",
  name,
  status: "completed",
  conclusion,
  startedAt: null,
  completedAt: null,
  steps,
  annotations: annotations.map((message) => ({ level: "failure", message })),
});

const step = (name: string, conclusion: string) => ({
  number: 1,
  name,
  status: "completed",
  conclusion,
  startedAt: null,
  completedAt: null,
});

describe("decideRerun (the heal rule)", () => {
  it.each([
    "artifact download returned HTTP 503",
    "502 Bad Gateway",
    "HTTP/1.1 500 Internal Server Error",
    "429 Too Many Requests",
    "GitHub API answered HTTP 429 (rate limited)",
    "API rate limit exceeded for installation",
    "Error: read ECONNRESET",
    "connection reset while uploading metrics (treated as 5xx)",
    "Request failed with status code 504",
  ])("re-runs a failure that shows a 5xx or 429: %s", (message) => {
    const decision = decideRerun("failure", [job("audit", [message])]);
    expect(decision).toEqual({ healable: true, because: expect.stringContaining(message) });
  });

  it.each([
    "Supabase upsert refused with HTTP 422 (input error, not retried)",
    "HTTP 401 Unauthorized",
    "403 Forbidden",
    "Bad credentials",
    "HTTP 404 Not Found",
    "the secret SUPABASE_SERVICE_KEY is missing",
  ])("does not re-run a 4xx input or secret error: %s", (message) => {
    expect(decideRerun("failure", [job("audit", [message])])).toMatchObject({
      healable: false,
      because: expect.stringContaining("4xx input or secret error"),
    });
  });

  it("does not re-run a failure that shows no HTTP status at all", () => {
    expect(decideRerun("failure", [job("test", ["Process completed with exit code 1"])])).toMatchObject({
      healable: false,
      because: expect.stringContaining("no 5xx or 429"),
    });
  });

  it("lets a 4xx in any failed job win over a 5xx in another", () => {
    const jobs = [
      job("upload", ["HTTP 503"]),
      job("secrets", ["HTTP 403 Forbidden: Resource not accessible"]),
    ];
    expect(decideRerun("failure", jobs).healable).toBe(false);
  });

  it("reads the failed steps' names when a failed job has no failure annotation, and ignores warnings and passing jobs", () => {
    const withStep = job("audit", [], "failure", [
      step("Set up job", "success"),
      step("Retry upload after HTTP 503", "failure"),
    ]);
    expect(decideRerun("failure", [withStep])).toMatchObject({
      healable: true,
      because: expect.stringContaining('step "Retry upload'),
    });
    const warning: Job = {
      ...job("audit", []),
      annotations: [{ level: "warning", message: "HTTP 503 once, retried" }],
    };
    const passing = job("lint", ["HTTP 503"], "success");
    expect(decideRerun("failure", [warning, passing]).healable).toBe(false);
  });

  it("never re-runs a run that did not fail", () => {
    expect(decideRerun("cancelled", [job("audit", ["HTTP 503"])])).toMatchObject({ healable: false });
    expect(decideRerun("success", [job("audit", ["HTTP 503"])])).toMatchObject({ healable: false });
  });

  it("decides by the status alone: any 5xx or 429 heals, any other 4xx beside it refuses", () => {
    const server = fc.oneof(fc.integer({ min: 500, max: 599 }), fc.constant(429));
    const client = fc.integer({ min: 400, max: 499 }).filter((s) => s !== 429);
    fc.assert(
      fc.property(server, client, fc.boolean(), (s, c, withClient) => {
        const messages = [`upload answered HTTP ${s}`, ...(withClient ? [`then HTTP ${c}`] : [])];
        expect(decideRerun("failure", [job("audit", messages)]).healable).toBe(!withClient);
      }),
    );
  });
});
