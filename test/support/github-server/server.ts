import { randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";
import { setTimeout as delay } from "node:timers/promises";
import { errorReply, matchRoute, type Reply } from "./routes";
import {
  createState,
  type ArtifactInput,
  type Fault,
  type GitHubServerState,
  type RecordedRequest,
  type RouteName,
  type RunInput,
} from "./state";

export interface GitHubServerOptions {
  runs?: RunInput[];
  artifacts?: ArtifactInput[];
  /** Answers queued per route, used once each before the real answer. */
  faults?: Partial<Record<RouteName, Fault[]>>;
  /** Added to every answer. */
  latencyMs?: number;
  /** The token clients must send (`Bearer` or `token`); a random `ghs_` token when omitted. */
  token?: string;
  repository?: string;
  /** `/api/v3` serves the API the way GitHub Enterprise Server does. */
  basePath?: string;
  /** A fixed loopback port (the e2e servers' settings name it ahead); any free port when omitted. */
  port?: number;
}

export interface GitHubServer {
  /** The API base URL: GITHUB_API_URL for clients. */
  url: string;
  token: string;
  state: GitHubServerState;
  close: () => Promise<void>;
}

const STORAGE_PREFIX = "/_storage/artifacts/";
const CHUNK = 64 * 1024;

/** A local GitHub REST API on 127.0.0.1 (DESIGN §10) for tests and the demo. */
export async function startGitHubServer(options: GitHubServerOptions = {}): Promise<GitHubServer> {
  const token = options.token ?? `ghs_${randomBytes(18).toString("hex")}`;
  const basePath = (options.basePath ?? "").replace(/\/+$/, "");
  const state = await createState(
    options.repository ?? "octo/audit",
    options.runs ?? [],
    options.artifacts ?? [],
    options.faults ?? {},
  );
  let origin = "";

  const server = http.createServer((req, res) => {
    void handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) send(res, errorReply(500, `local server bug: ${String(error)}`), false);
      else res.destroy();
    });
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", origin);
    const method = req.method ?? "GET";
    const authorization = req.headers.authorization;
    const record: RecordedRequest = {
      route: "unknown",
      method,
      path: url.pathname,
      query: url.search,
      auth: authScheme(authorization, token),
      status: 0,
    };
    state.requests.push(record);
    req.resume();

    if (url.pathname.startsWith(STORAGE_PREFIX)) {
      record.route = "storage";
      return answer(record, res, "storage", () => storageReply(url, authorization));
    }
    const path = url.pathname.startsWith(`${basePath}/`) ? url.pathname.slice(basePath.length) : undefined;
    const matched = path === undefined ? undefined : matchRoute(method, path);
    if (!matched) return finish(record, res, errorReply(404, "Not Found"));
    record.route = matched.route.name;
    if (record.auth !== "bearer" && record.auth !== "token") {
      return finish(record, res, errorReply(401, "Bad credentials"));
    }
    const [owner, repo] = matched.params;
    if (owner !== state.owner || repo !== state.repo)
      return finish(record, res, errorReply(404, "Not Found"));
    const api = `${origin}${basePath}`;
    return answer(record, res, matched.route.name, () =>
      matched.route.handle({ state, api, origin, url, params: matched.params }),
    );
  }

  async function answer(
    record: RecordedRequest,
    res: http.ServerResponse,
    route: RouteName,
    real: () => Reply,
  ) {
    if (options.latencyMs) await delay(options.latencyMs);
    const fault = state.faults.get(route)?.shift();
    if (fault && "reset" in fault) {
      record.status = "reset";
      res.socket?.resetAndDestroy();
      return;
    }
    if (fault && "delayMs" in fault) await delay(fault.delayMs);
    if (fault && "status" in fault) {
      const body = fault.body ?? { message: http.STATUS_CODES[fault.status] ?? "Error" };
      return finish(record, res, { status: fault.status, headers: fault.headers, body });
    }
    const reply = real();
    if (fault && "truncate" in fault) {
      record.status = "truncated";
      return send(res, reply, true);
    }
    finish(record, res, reply);
  }

  function storageReply(url: URL, authorization: string | undefined): Reply {
    // Like a cloud storage pre-signed URL: a second credential is an error, the signature is the access.
    if (authorization !== undefined) {
      return { status: 400, body: { message: "Authorization header is not allowed with a pre-signed URL" } };
    }
    const id = Number(url.pathname.slice(STORAGE_PREFIX.length).replace(/\.zip$/, ""));
    const artifact =
      state.signatures.get(url.searchParams.get("sig") ?? "") === id ? state.artifacts.get(id) : undefined;
    if (!artifact) return { status: 403, body: { message: "Signature does not match" } };
    return { status: 200, headers: { "content-type": "application/zip" }, body: artifact.zip };
  }

  function finish(record: RecordedRequest, res: http.ServerResponse, reply: Reply) {
    record.status = reply.status;
    send(res, reply, false);
  }

  await new Promise<void>((resolve, reject) => {
    // A fixed port may be taken: fail with EADDRINUSE instead of waiting forever.
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", resolve);
  });
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: `${origin}${basePath}`,
    token,
    state,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

function authScheme(header: string | undefined, token: string): RecordedRequest["auth"] {
  if (!header) return "none";
  const match = /^(bearer|token)\s+(\S+)$/i.exec(header.trim());
  if (!match?.[1] || match[2] !== token) return "wrong-token";
  return match[1].toLowerCase() === "bearer" ? "bearer" : "token";
}

function send(res: http.ServerResponse, reply: Reply, truncate: boolean): void {
  const bytes =
    reply.body === undefined
      ? Buffer.alloc(0)
      : Buffer.isBuffer(reply.body)
        ? reply.body
        : Buffer.from(JSON.stringify(reply.body));
  const headers: Record<string, string> = {
    "x-github-request-id": randomBytes(4).toString("hex").toUpperCase(),
    "x-ratelimit-limit": "5000",
    "x-ratelimit-remaining": "4999",
    "x-ratelimit-reset": String(Math.floor(Date.now() / 1000) + 3600),
    "x-ratelimit-resource": "core",
    ...(reply.body !== undefined && !Buffer.isBuffer(reply.body)
      ? { "content-type": "application/json; charset=utf-8" }
      : {}),
    ...reply.headers,
    "content-length": String(bytes.length + (truncate ? 1024 : 0)),
  };
  res.writeHead(reply.status, headers);
  if (truncate) {
    // Part of the body, then the connection ends: the client sees fewer bytes than announced.
    res.write(bytes.subarray(0, Math.floor(bytes.length / 2)), () => res.socket?.destroy());
    return;
  }
  if (bytes.length <= CHUNK) {
    res.end(bytes);
    return;
  }
  const chunks = Array.from({ length: Math.ceil(bytes.length / CHUNK) }, (_, i) =>
    bytes.subarray(i * CHUNK, (i + 1) * CHUNK),
  );
  Readable.from(chunks).pipe(res);
}
