import { randomBytes } from "node:crypto";
import { paginate, filterRuns } from "./listing";
import { annotationJson, artifactJson, jobJson, runJson } from "./shapes";
import type { GitHubServerState, RouteName, ServerRun } from "./state";

export interface Reply {
  status: number;
  headers?: Record<string, string>;
  /** JSON unless a Buffer (sent as bytes) or undefined (no body). */
  body?: unknown;
}

export interface RouteContext {
  state: GitHubServerState;
  /** The API base as clients see it (origin + optional GHES prefix). */
  api: string;
  origin: string;
  url: URL;
  params: string[];
}

interface Route {
  name: RouteName;
  method: string;
  pattern: RegExp;
  handle: (ctx: RouteContext) => Reply;
}

const REPO = "/repos/([^/]+)/([^/]+)";
const message = (status: number, text: string): Reply => ({
  status,
  body: { message: text, documentation_url: "https://docs.github.com/rest", status: String(status) },
});

const linkHeader = (link: string | undefined): Record<string, string> => (link ? { link } : {});

function withRun(ctx: RouteContext, handle: (run: ServerRun) => Reply): Reply {
  const run = ctx.state.runs.get(Number(ctx.params[2]));
  return run ? handle(run) : message(404, "Not Found");
}

function listRuns(ctx: RouteContext, runs: ServerRun[]): Reply {
  const matching = filterRuns(runs, ctx.url.searchParams);
  const page = paginate(matching, ctx.url);
  return {
    status: 200,
    headers: linkHeader(page.link),
    body: {
      total_count: matching.length,
      workflow_runs: page.items.map((run) => runJson(ctx.state, ctx.api, run)),
    },
  };
}

function changeRun(ctx: RouteContext, action: "cancel" | "force-cancel", run: ServerRun): Reply {
  if (run.status === "completed") return message(409, "Cannot cancel a workflow run that is completed.");
  if (action === "force-cancel" || !run.ignoresCancel) {
    run.status = "completed";
    run.conclusion = "cancelled";
    run.updatedAt = new Date().toISOString().replace(/\.\d{3}Z$/, "Z");
    for (const job of run.jobs) Object.assign(job, { status: "completed", conclusion: "cancelled" });
  }
  ctx.state.actions.push({ action, target: String(run.id), status: run.status });
  return { status: 202, body: {} };
}

function switchWorkflow(ctx: RouteContext, action: "disable" | "enable"): Reply {
  const workflow = ctx.state.findWorkflow(decodeURIComponent(ctx.params[2] ?? ""));
  if (!workflow) return message(404, "Not Found");
  workflow.state = action === "disable" ? "disabled_manually" : "active";
  ctx.state.actions.push({ action, target: workflow.file });
  return { status: 204 };
}

export const ROUTES: Route[] = [
  {
    name: "listRuns",
    method: "GET",
    pattern: new RegExp(`^${REPO}/actions/runs$`),
    handle: (ctx) => listRuns(ctx, [...ctx.state.runs.values()]),
  },
  {
    name: "listWorkflowRuns",
    method: "GET",
    pattern: new RegExp(`^${REPO}/actions/workflows/([^/]+)/runs$`),
    handle: (ctx) => {
      const workflow = ctx.state.findWorkflow(decodeURIComponent(ctx.params[2] ?? ""));
      if (!workflow) return message(404, "Not Found");
      return listRuns(
        ctx,
        [...ctx.state.runs.values()].filter((run) => run.workflowFile === workflow.file),
      );
    },
  },
  {
    name: "getRun",
    method: "GET",
    pattern: new RegExp(`^${REPO}/actions/runs/(\\d+)$`),
    handle: (ctx) => withRun(ctx, (run) => ({ status: 200, body: runJson(ctx.state, ctx.api, run) })),
  },
  {
    name: "listJobs",
    method: "GET",
    pattern: new RegExp(`^${REPO}/actions/runs/(\\d+)/jobs$`),
    handle: (ctx) =>
      withRun(ctx, (run) => {
        const page = paginate(run.jobs, ctx.url);
        return {
          status: 200,
          headers: linkHeader(page.link),
          body: {
            total_count: run.jobs.length,
            jobs: page.items.map((job) => jobJson(ctx.state, ctx.api, run, job)),
          },
        };
      }),
  },
  {
    name: "listAnnotations",
    method: "GET",
    pattern: new RegExp(`^${REPO}/check-runs/(\\d+)/annotations$`),
    handle: (ctx) => {
      const id = Number(ctx.params[2]);
      const job = [...ctx.state.runs.values()].flatMap((run) => run.jobs).find((j) => j.id === id);
      if (!job) return message(404, "Not Found");
      const page = paginate(job.annotations, ctx.url);
      return { status: 200, headers: linkHeader(page.link), body: page.items.map(annotationJson) };
    },
  },
  {
    name: "listArtifacts",
    method: "GET",
    pattern: new RegExp(`^${REPO}/actions/runs/(\\d+)/artifacts$`),
    handle: (ctx) =>
      withRun(ctx, (run) => {
        const artifacts = [...ctx.state.artifacts.values()].filter((a) => a.runId === run.id);
        const page = paginate(artifacts, ctx.url);
        return {
          status: 200,
          headers: linkHeader(page.link),
          body: {
            total_count: artifacts.length,
            artifacts: page.items.map((a) => artifactJson(ctx.state, ctx.api, a)),
          },
        };
      }),
  },
  {
    name: "downloadArtifact",
    method: "GET",
    pattern: new RegExp(`^${REPO}/actions/artifacts/(\\d+)/zip$`),
    handle: (ctx) => {
      const artifact = ctx.state.artifacts.get(Number(ctx.params[2]));
      if (!artifact) return message(404, "Not Found");
      if (artifact.expired) return message(410, "Artifact has expired");
      // A pre-signed URL on "another host": same server, a prefix outside the API.
      const sig = randomBytes(16).toString("hex");
      ctx.state.signatures.set(sig, artifact.id);
      return {
        status: 302,
        headers: { location: `${ctx.origin}/_storage/artifacts/${artifact.id}.zip?sig=${sig}` },
      };
    },
  },
  {
    name: "rerunFailedJobs",
    method: "POST",
    pattern: new RegExp(`^${REPO}/actions/runs/(\\d+)/rerun-failed-jobs$`),
    handle: (ctx) =>
      withRun(ctx, (run) => {
        // Simplified: a run still going or without failed jobs has nothing to re-run.
        if (run.status !== "completed" || run.conclusion === "success")
          return message(409, "This workflow run has no failed jobs to re-run.");
        Object.assign(run, { status: "queued", conclusion: null, runAttempt: run.runAttempt + 1 });
        ctx.state.actions.push({ action: "rerun-failed-jobs", target: String(run.id), status: run.status });
        return { status: 201, body: {} };
      }),
  },
  {
    name: "cancelRun",
    method: "POST",
    pattern: new RegExp(`^${REPO}/actions/runs/(\\d+)/cancel$`),
    handle: (ctx) => withRun(ctx, (run) => changeRun(ctx, "cancel", run)),
  },
  {
    name: "forceCancelRun",
    method: "POST",
    pattern: new RegExp(`^${REPO}/actions/runs/(\\d+)/force-cancel$`),
    handle: (ctx) => withRun(ctx, (run) => changeRun(ctx, "force-cancel", run)),
  },
  {
    name: "disableWorkflow",
    method: "PUT",
    pattern: new RegExp(`^${REPO}/actions/workflows/([^/]+)/disable$`),
    handle: (ctx) => switchWorkflow(ctx, "disable"),
  },
  {
    name: "enableWorkflow",
    method: "PUT",
    pattern: new RegExp(`^${REPO}/actions/workflows/([^/]+)/enable$`),
    handle: (ctx) => switchWorkflow(ctx, "enable"),
  },
];

export function matchRoute(method: string, path: string): { route: Route; params: string[] } | undefined {
  for (const route of ROUTES) {
    const match = route.method === method ? route.pattern.exec(path) : null;
    if (match) return { route, params: match.slice(1) };
  }
  return undefined;
}

export { message as errorReply };
