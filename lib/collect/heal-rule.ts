import type { Job } from "../github";

/**
 * When a failed run may be healed by re-running its failed jobs (DESIGN §5: only 5xx and 429 are
 * retried). The rule:
 *
 *   A failed run is healable when some failed job's failure annotations (or, lacking any, its
 *   failed steps' names) show an HTTP 5xx or 429 — "HTTP 503", "502 Bad Gateway", "429 Too Many
 *   Requests", "rate limit", a connection reset or timeout (treated as a 5xx) — and no failed
 *   job shows a 4xx input or secret error ("HTTP 422", "401 Unauthorized", "403 Forbidden",
 *   "Bad credentials", …). A 4xx anywhere wins: re-running a refused request or a missing secret
 *   cannot succeed, and re-running it would hide the real fault.
 *
 * Only what GitHub shows of the failure is read (annotations and step names; never the logs'
 * bodies), and the decision names the text that decided it. Runs other than failures are never
 * re-run (a cancelled run was stopped on purpose).
 */
export interface HealDecision {
  healable: boolean;
  /** The evidence, e.g. `job "audit": annotation "artifact download returned HTTP 503"`. */
  because: string;
}

const SERVER_SIGNS: readonly RegExp[] = [
  /\bHTTP(?:\/\d(?:\.\d)?)?\s*(?:status\s*)?(?:5\d\d|429)\b/i,
  /\b(?:status|code|answered|returned|response)\s*[:=]?\s*(?:5\d\d|429)\b/i,
  /\b5\d\d\s+(?:Internal Server Error|Bad Gateway|Service Unavailable|Gateway Time-?out)\b/i,
  /\b429\s+Too Many Requests\b/i,
  /\btoo many requests\b/i,
  /\b(?:secondary )?rate[- ]limit(?:ed)?\b/i,
  /\b(?:ECONNRESET|ETIMEDOUT|ECONNREFUSED|EPIPE|EAI_AGAIN|socket hang up)\b/,
  /\bconnection (?:reset|timed out|refused)\b/i,
];

const CLIENT_SIGNS: readonly RegExp[] = [
  /\bHTTP(?:\/\d(?:\.\d)?)?\s*(?:status\s*)?4(?:0\d|1\d|2[0-8]|[3-9]\d)\b/i,
  /\b(?:status|code|answered|returned|response)\s*[:=]?\s*4(?:0\d|1\d|2[0-8]|[3-9]\d)\b/i,
  /\b4\d\d\s+(?:Bad Request|Unauthorized|Forbidden|Not Found|Conflict|Gone|Unprocessable(?: Entity| Content)?)\b/i,
  /\bbad credentials\b/i,
  /\b(?:secret|token|credential)s?\b[^.;]{0,60}?\b(?:missing|not set|invalid|expired)\b/i,
  /\bresource not accessible by integration\b/i,
];

interface Evidence {
  job: string;
  kind: "annotation" | "step";
  text: string;
}

function failureTexts(jobs: readonly Job[]): Evidence[] {
  const texts: Evidence[] = [];
  for (const job of jobs) {
    if (job.conclusion !== "failure" && job.conclusion !== "timed_out") continue;
    const annotations = (job.annotations ?? []).filter((a) => a.level === "failure");
    for (const a of annotations) {
      texts.push({
        job: job.name,
        kind: "annotation",
        text: [a.title, a.message].filter(Boolean).join(": "),
      });
    }
    if (annotations.length > 0) continue;
    for (const step of job.steps ?? []) {
      if (step.conclusion === "failure") texts.push({ job: job.name, kind: "step", text: step.name });
    }
  }
  return texts;
}

const describe = (e: Evidence) => `job "${e.job}": ${e.kind} "${e.text.slice(0, 160)}"`;

export function decideRerun(conclusion: string | null, jobs: readonly Job[]): HealDecision {
  if (conclusion !== "failure") {
    return { healable: false, because: `the run's conclusion is ${conclusion ?? "none"}, not failure` };
  }
  const texts = failureTexts(jobs);
  if (texts.length === 0) {
    return { healable: false, because: "no failed job shows an annotation or a failed step to decide from" };
  }
  const client = texts.find((e) => CLIENT_SIGNS.some((sign) => sign.test(e.text)));
  if (client) return { healable: false, because: `4xx input or secret error: ${describe(client)}` };
  const server = texts.find((e) => SERVER_SIGNS.some((sign) => sign.test(e.text)));
  if (server) return { healable: true, because: `5xx/429: ${describe(server)}` };
  return {
    healable: false,
    because: `no 5xx or 429 in the failure (first: ${describe(texts[0] as Evidence)})`,
  };
}
