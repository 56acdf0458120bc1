import { decideRetry, type RetryInput } from "./policy";

/**
 * The retry guard: the policy as people read it (docs/retry-policy.md) against what the code's own
 * decideRetry does. It probes behaviour rather than comparing constants, so a change to the
 * decision function that breaks the table is caught too.
 */
export interface PolicyRow {
  response: string;
  retry: boolean;
  retries: number;
  waitsSec: number[];
}

export interface GuardFinding {
  response: string;
  expected: string;
  actual: string;
}

export interface GuardReport {
  ok: boolean;
  rows: number;
  findings: GuardFinding[];
}

/** A representative answer for each row's response class. */
const PROBES: { match: RegExp; probe: Pick<RetryInput, "status" | "errorCode"> }[] = [
  { match: /^2xx$/, probe: { status: 200 } },
  { match: /^409$/, probe: { status: 409 } },
  { match: /^403$/, probe: { status: 403 } },
  { match: /^422\b/, probe: { status: 422 } },
  { match: /^429$/, probe: { status: 429 } },
  { match: /^500/, probe: { status: 503 } },
  { match: /^connection/, probe: { errorCode: "ECONNRESET" } },
];

const cells = (line: string) =>
  line
    .trim()
    .replace(/^\||\|$/g, "")
    .split("|")
    .map((c) => c.trim());

/** Reads the policy table; throws naming the line when a row cannot be read. */
export function parsePolicyTable(markdown: string, file: string): PolicyRow[] {
  const lines = markdown.split("\n");
  const header = lines.findIndex((l) => /^\|\s*response\s*\|\s*retry\?/i.test(l));
  if (header < 0) throw new Error(`${file}: no table headed "| response | retry? | …" was found`);
  const rows: PolicyRow[] = [];
  for (let i = header + 2; i < lines.length && lines[i]?.trim().startsWith("|"); i++) {
    const [response = "", retry = "", retries = "", waits = ""] = cells(lines[i] ?? "");
    const retryYes = /^yes\b/i.test(retry);
    if (!retryYes && !/^no\b/i.test(retry))
      throw new Error(`${file}:${i + 1}: the "retry?" cell must start with yes or no, got "${retry}"`);
    const waitsSec = [...(waits.split(";")[0] ?? "").matchAll(/(\d+(?:\.\d+)?)\s*s\b/g)].map((m) =>
      Number(m[1]),
    );
    rows.push({ response, retry: retryYes, retries: retryYes ? Number(retries) : 0, waitsSec });
  }
  return rows;
}

/** What the code does for one probe: retried or not, how often, after which waits (scale 1, no headers). */
function observe(probe: Pick<RetryInput, "status" | "errorCode">): Omit<PolicyRow, "response"> {
  const waitsSec: number[] = [];
  for (let attempt = 1; attempt <= 10; attempt++) {
    const decision = decideRetry({ ...probe, attempt, now: 0, scale: 1 });
    if (decision.kind !== "retry") break;
    waitsSec.push((decision.waitMs ?? 0) / 1000);
  }
  return { retry: waitsSec.length > 0, retries: waitsSec.length, waitsSec };
}

const describe = (r: Omit<PolicyRow, "response">) =>
  r.retry ? `retry ${r.retries} time(s) after ${r.waitsSec.join(", ")} s` : "no retry";

export function checkRetryPolicy(rows: readonly PolicyRow[]): GuardReport {
  const findings: GuardFinding[] = [];
  for (const row of rows) {
    const probe = PROBES.find((p) => p.match.test(row.response))?.probe;
    if (!probe) {
      findings.push({ response: row.response, expected: "a known response class", actual: "none" });
      continue;
    }
    const actual = observe(probe);
    if (describe(actual) !== describe(row))
      findings.push({ response: row.response, expected: describe(row), actual: describe(actual) });
  }
  const covered = PROBES.filter((p) => rows.some((r) => p.match.test(r.response))).length;
  if (covered < PROBES.length)
    findings.push({
      response: "(table)",
      expected: `${PROBES.length} response classes`,
      actual: `${covered}`,
    });
  return { ok: findings.length === 0, rows: rows.length, findings };
}
