import { Octokit } from "@octokit/core";
import { paginateRest } from "@octokit/plugin-paginate-rest";
import { restEndpointMethods } from "@octokit/plugin-rest-endpoint-methods";
import { throttling } from "@octokit/plugin-throttling";
import { bufferBodies } from "./buffered-fetch";
import { requestWithPolicy, type RequestPolicy } from "./request-policy";

const GitHubOctokit = Octokit.plugin(paginateRest, restEndpointMethods, throttling);

/** Octokit with our plugins; this type never leaves lib/github. */
export type OctokitClient = InstanceType<typeof GitHubOctokit>;

export interface OctokitSetup {
  /** GITHUB_API_URL: https://api.github.com, or https://host/api/v3 for GHES. */
  baseUrl: string;
  token: string;
  fetchImpl?: typeof fetch;
  policy: RequestPolicy;
  /** One line per event: status codes and decisions only. */
  log: (line: string) => void;
}

export function createOctokit({ baseUrl, token, fetchImpl, policy, log }: OctokitSetup): OctokitClient {
  // The throttling plugin paces requests (writes ≥ 1 s apart, as GitHub asks) but must not retry:
  // both handlers answer false so the rate-limited answer reaches our policy, which honours
  // Retry-After / x-ratelimit-reset with the cap and the kill switch's signal.
  const handOver = (kind: string) => (retryAfter: number, options: { method: string; url: string }) => {
    log(
      `github ${options.method} ${routeOf(options.url)} ${kind} (retry-after ${retryAfter}s): left to the retry policy`,
    );
    return false;
  };
  const octokit = new GitHubOctokit({
    auth: token,
    baseUrl: baseUrl.replace(/\/+$/, ""),
    userAgent: "auditloop",
    request: { fetch: bufferBodies(fetchImpl ?? globalThis.fetch) },
    // Octokit's own messages can carry request details; only their first line is kept, and the
    // caller's log masks every line.
    log: {
      debug: () => undefined,
      info: () => undefined,
      warn: (message: string) => log(`github octokit warning: ${firstLine(message)}`),
      error: (message: string) => log(`github octokit error: ${firstLine(message)}`),
    },
    throttle: {
      id: "auditloop",
      onRateLimit: handOver("primary rate limit"),
      onSecondaryRateLimit: handOver("secondary rate limit"),
    },
  });
  // Registered after the plugins, so it wraps them: one call here is one policy-governed request.
  octokit.hook.wrap("request", (request, options) => requestWithPolicy(request, options, policy));
  return octokit;
}

const firstLine = (text: string) => text.split("\n")[0]?.slice(0, 200) ?? "";

function routeOf(url: string): string {
  return url.startsWith("/") ? (url.split("?")[0] ?? url) : new URL(url).pathname;
}
