import { createHash } from "node:crypto";
import { buildZip } from "./zip";

/**
 * What the local GitHub API server knows and what happened to it. Tests read `requests` (one entry
 * per HTTP request, never the token) and `actions` (every state change), and queue faults per route.
 */
export type RouteName =
  | "listRuns"
  | "listWorkflowRuns"
  | "getRun"
  | "listJobs"
  | "listAnnotations"
  | "listArtifacts"
  | "downloadArtifact"
  | "storage"
  | "rerunFailedJobs"
  | "cancelRun"
  | "forceCancelRun"
  | "disableWorkflow"
  | "enableWorkflow";

/** One queued answer for a route: used once, in order, before the route's real answer. */
export type Fault =
  | { status: number; headers?: Record<string, string>; body?: unknown }
  /** The real answer with a Content-Length larger than what is sent; then the socket ends. */
  | { truncate: true }
  /** The connection is reset before any answer. */
  | { reset: true }
  /** The real answer, after a pause. */
  | { delayMs: number };

export interface AnnotationInput {
  level: "notice" | "warning" | "failure";
  message: string;
  path?: string;
  title?: string;
  startLine?: number;
}

export interface JobInput {
  id?: number;
  name: string;
  status?: string;
  conclusion?: string | null;
  steps?: { name: string; status?: string; conclusion?: string | null }[];
  annotations?: AnnotationInput[];
}

export interface RunInput {
  id: number | string;
  /** display_title */
  title?: string;
  workflowFile?: string;
  workflowName?: string;
  event?: string;
  status?: "queued" | "in_progress" | "completed" | "waiting" | "requested" | "pending";
  conclusion?: string | null;
  headSha?: string;
  branch?: string;
  createdAt: string;
  runStartedAt?: string;
  updatedAt?: string;
  /** A job that ignores an ordinary cancel (`if: always()`): only force-cancel completes the run. */
  ignoresCancel?: boolean;
  jobs?: JobInput[];
}

export interface ArtifactInput {
  id?: number;
  runId: number | string;
  name: string;
  /** The archive's files (zipped at start) or the zip bytes themselves. */
  files?: Record<string, Buffer | string>;
  zip?: Buffer;
  expired?: boolean;
  /** Sends `digest: "sha256:…"` like upload-artifact v4+; default true. */
  withDigest?: boolean;
}

export interface ServerRun extends Required<Omit<RunInput, "id" | "jobs" | "title">> {
  id: number;
  title: string;
  runAttempt: number;
  jobs: Required<JobInput>[];
}

export interface ServerArtifact {
  id: number;
  runId: number;
  name: string;
  zip: Buffer;
  expired: boolean;
  digest: string | null;
  createdAt: string;
}

export interface Workflow {
  id: number;
  file: string;
  name: string;
  state: "active" | "disabled_manually";
}

export interface RecordedRequest {
  route: RouteName | "unknown";
  method: string;
  path: string;
  query: string;
  /** How the request authenticated: the scheme only, never the token. */
  auth: "bearer" | "token" | "none" | "wrong-token";
  status: number | "reset" | "truncated";
}

export interface RecordedAction {
  action: "rerun-failed-jobs" | "cancel" | "force-cancel" | "disable" | "enable";
  target: string;
  /** The run's status after the action (runs only). */
  status?: string;
}

export interface GitHubServerState {
  owner: string;
  repo: string;
  runs: Map<number, ServerRun>;
  artifacts: Map<number, ServerArtifact>;
  workflows: Map<string, Workflow>;
  faults: Map<RouteName, Fault[]>;
  requests: RecordedRequest[];
  actions: RecordedAction[];
  /** Storage signatures handed out by the zip route's redirects. */
  signatures: Map<string, number>;
  addFaults(route: RouteName, ...faults: Fault[]): void;
  /** How many requests reached a route. */
  count(route: RouteName): number;
  findWorkflow(idOrFile: string): Workflow | undefined;
}

const sha = (seed: string) => createHash("sha1").update(seed).digest("hex");

export async function createState(
  repository: string,
  runs: RunInput[],
  artifacts: ArtifactInput[],
  faults: Partial<Record<RouteName, Fault[]>>,
): Promise<GitHubServerState> {
  const [owner = "", repo = ""] = repository.split("/");
  const workflows = new Map<string, Workflow>();
  const serverRuns = new Map<number, ServerRun>();
  let jobId = 90_000_000;
  for (const input of runs) {
    const file = input.workflowFile ?? "phase4-auto-audit.yml";
    const name = input.workflowName ?? file.replace(/\.ya?ml$/, "");
    if (!workflows.has(file))
      workflows.set(file, { id: 7_000 + workflows.size, file, name, state: "active" });
    const status = input.status ?? "completed";
    const run: ServerRun = {
      id: Number(input.id),
      title: input.title ?? name,
      workflowFile: file,
      workflowName: name,
      event: input.event ?? "schedule",
      status,
      conclusion: input.conclusion ?? (status === "completed" ? "success" : null),
      headSha: input.headSha ?? sha(String(input.id)),
      branch: input.branch ?? "main",
      createdAt: input.createdAt,
      runStartedAt: input.runStartedAt ?? input.createdAt,
      updatedAt: input.updatedAt ?? input.createdAt,
      ignoresCancel: input.ignoresCancel ?? false,
      runAttempt: 1,
      jobs: (input.jobs ?? [{ name: "audit" }]).map((job) => ({
        id: job.id ?? (jobId += 1),
        name: job.name,
        status: job.status ?? status,
        conclusion: job.conclusion ?? (status === "completed" ? (input.conclusion ?? "success") : null),
        steps: job.steps ?? [],
        annotations: job.annotations ?? [],
      })),
    };
    serverRuns.set(run.id, run);
  }
  const serverArtifacts = new Map<number, ServerArtifact>();
  let artifactId = 5_000_000;
  for (const input of artifacts) {
    const zip = input.zip ?? (await buildZip(input.files ?? { [input.name]: input.name }));
    const id = input.id ?? (artifactId += 1);
    const runId = Number(input.runId);
    serverArtifacts.set(id, {
      id,
      runId,
      name: input.name,
      zip,
      expired: input.expired ?? false,
      digest: input.withDigest === false ? null : `sha256:${createHash("sha256").update(zip).digest("hex")}`,
      createdAt: serverRuns.get(runId)?.updatedAt ?? "2025-11-14T00:00:00Z",
    });
  }
  const queues = new Map<RouteName, Fault[]>(
    Object.entries(faults).map(([route, list]) => [route as RouteName, [...(list ?? [])]]),
  );
  const requests: RecordedRequest[] = [];
  return {
    owner,
    repo,
    runs: serverRuns,
    artifacts: serverArtifacts,
    workflows,
    faults: queues,
    requests,
    actions: [],
    signatures: new Map(),
    addFaults(route, ...more) {
      queues.set(route, [...(queues.get(route) ?? []), ...more]);
    },
    count: (route) => requests.filter((r) => r.route === route).length,
    findWorkflow: (idOrFile) =>
      workflows.get(idOrFile) ?? [...workflows.values()].find((w) => String(w.id) === idOrFile),
  };
}
