import http from "node:http";
import type { AddressInfo } from "node:net";
import type { Queryable } from "../../lib/db";
import { answerGet, answerUpsert, error, type PostgrestAnswer } from "./postgrest-protocol";

/**
 * A local stand-in for Supabase's REST endpoint (DESIGN §10): a real HTTP server on 127.0.0.1
 * speaking PostgREST's upsert protocol over the same Postgres the app uses, so supabase-js runs
 * unchanged against it. Faults are scripted per request; once the script is used up it behaves.
 */
export type PostgrestFault =
  /** A status: a 2xx lets the request through to the database, anything else is answered as is. */
  | number
  | { status: number; headers?: Record<string, string>; body?: string }
  /** Destroys the socket before answering (the client sees a connection reset). */
  | "reset"
  /** Never answers (the client's timeout fires); released when the server stops. */
  | "stall";

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  /** Lower-case names; apikey, authorization and cookie are left out (secrets). */
  headers: Record<string, string>;
  /** Parsed JSON, the raw text when it does not parse, undefined when empty. */
  body: unknown;
}

export interface PostgrestServer {
  /** The SUPABASE_URL to configure (supabase-js appends /rest/v1). */
  url: string;
  requests: RecordedRequest[];
  /** The remaining script; push to add answers. */
  faults: PostgrestFault[];
  stop(): Promise<void>;
}

export interface PostgrestServerOptions {
  db: Queryable;
  serviceKey: string;
  /** Tables exposed under /rest/v1/ (default: phase4_audit_metrics). */
  tables?: string[];
  faults?: PostgrestFault[];
}

const SECRET_HEADERS = new Set(["apikey", "authorization", "cookie"]);

export async function startPostgrestServer(options: PostgrestServerOptions): Promise<PostgrestServer> {
  const requests: RecordedRequest[] = [];
  const faults = [...(options.faults ?? [])];
  const tables = new Set(options.tables ?? ["phase4_audit_metrics"]);

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const text = Buffer.concat(chunks).toString("utf8");
      const url = new URL(req.url ?? "/", "http://127.0.0.1");
      requests.push({
        method: req.method ?? "",
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        headers: Object.fromEntries(
          Object.entries(req.headers)
            .filter(([name]) => !SECRET_HEADERS.has(name))
            .map(([name, value]) => [name, Array.isArray(value) ? value.join(", ") : (value ?? "")]),
        ),
        body: parseBody(text),
      });
      const fault = faults.shift();
      if (fault === "reset") return void req.socket.destroy();
      if (fault === "stall") return;
      if (fault !== undefined) {
        const status = typeof fault === "number" ? fault : fault.status;
        if (status < 200 || status > 299) return void send(res, faultAnswer(fault));
      }
      handle(req, url, text)
        .then((answer) => send(res, answer))
        .catch((error: unknown) => send(res, { status: 500, body: { message: String(error) } }));
    });
  });

  async function handle(req: http.IncomingMessage, url: URL, text: string): Promise<PostgrestAnswer> {
    const denied = checkKeys(req, options.serviceKey, url.pathname);
    if (denied) return denied;
    const table = /^\/rest\/v1\/([a-z_][a-z0-9_]*)$/.exec(url.pathname)?.[1];
    if (!table || !tables.has(table)) {
      const name = table ?? url.pathname;
      return error(404, "PGRST205", `Could not find the table 'public.${name}' in the schema cache`);
    }
    if (req.method === "POST") {
      return answerUpsert(options.db, table, url.searchParams, header(req, "prefer"), text);
    }
    if (req.method === "GET") return answerGet(options.db, table, url.searchParams);
    return error(405, "PGRST117", `Unsupported HTTP method: ${req.method ?? ""}`);
  }

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    faults,
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Supabase's gateway wants the key as apikey; PostgREST's role comes from the bearer JWT. */
function checkKeys(req: http.IncomingMessage, key: string, path: string): PostgrestAnswer | null {
  const apikey = header(req, "apikey");
  if (apikey === undefined) return error(401, "", "No API key found in request");
  if (apikey !== key) return error(401, "", "Invalid API key");
  if (header(req, "authorization") !== `Bearer ${key}`) {
    return error(403, "42501", `permission denied for table ${path.split("/").pop() ?? ""}`);
  }
  return null;
}

function header(req: http.IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(", ") : value;
}

function parseBody(text: string): unknown {
  if (text === "") return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function faultAnswer(fault: Exclude<PostgrestFault, "reset" | "stall">): PostgrestAnswer {
  const { status, headers, body } = typeof fault === "number" ? { status: fault } : fault;
  if (body !== undefined) return { status, headers, raw: body };
  const messages: Record<number, [string, string]> = {
    403: ["42501", "permission denied for table"],
    409: ["23505", 'duplicate key value violates unique constraint "phase4_audit_metrics_pkey"'],
    422: ["PGRST204", "unprocessable row"],
    429: ["", "Too many requests"],
    503: ["PGRST002", "Could not query the database for the schema cache. Retrying."],
  };
  const [code, message] = messages[status] ?? ["", `scripted ${status}`];
  return { ...error(status, code, message), headers };
}

function send(res: http.ServerResponse, answer: PostgrestAnswer): void {
  const headers: Record<string, string> = { ...answer.headers };
  let payload = answer.raw;
  if (payload === undefined && answer.body !== undefined) {
    payload = JSON.stringify(answer.body);
    headers["content-type"] ??= "application/json; charset=utf-8";
  }
  res.writeHead(answer.status, headers);
  res.end(payload);
}
