import http from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A local Slack incoming-webhook endpoint (DESIGN §10): accepts JSON POSTs as Slack does, records
 * every request, and answers from a fault script before falling back to Slack's `200 ok`. The
 * bodies of the faults are Slack's own (`invalid_token`, `no_service`, …), so a client that
 * leaked a response body would show it.
 */
export type SlackFault =
  | number
  | { status: number; body?: string; retryAfter?: string }
  /** Closes the connection without an answer (the client sees a reset socket). */
  | "reset";

export interface ReceivedRequest {
  method: string;
  path: string;
  contentType: string | undefined;
  /** The raw body as received. */
  body: string;
  at: number;
}

export interface SlackReceiver {
  /** A webhook URL on this receiver, shaped like Slack's. */
  webhookUrl: string;
  port: number;
  requests: ReceivedRequest[];
  /** The parsed JSON bodies of every POST, answered with success or not. */
  payloads: unknown[];
  /** Answers the next requests from `faults`, in order; afterwards 200 "ok". */
  script(faults: SlackFault[]): void;
  close(): Promise<void>;
}

const SLACK_BODIES: Record<number, string> = {
  200: "ok",
  400: "invalid_payload",
  403: "invalid_token",
  404: "no_service",
  410: "channel_is_archived",
  429: "rate_limited",
  500: "internal_error",
  503: "service_unavailable",
};

export async function startSlackReceiver(
  options: { port?: number; path?: string } = {},
): Promise<SlackReceiver> {
  const requests: ReceivedRequest[] = [];
  const payloads: unknown[] = [];
  let faults: SlackFault[] = [];

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      requests.push({
        method: req.method ?? "",
        path: req.url ?? "",
        contentType: req.headers["content-type"],
        body,
        at: Date.now(),
      });
      if (req.method !== "POST") return answer(res, { status: 405, body: "invalid_method" });
      if (!req.headers["content-type"]?.startsWith("application/json")) {
        return answer(res, { status: 400, body: "invalid_payload" });
      }
      try {
        payloads.push(JSON.parse(body));
      } catch {
        return answer(res, { status: 400, body: "invalid_payload" });
      }
      const fault = faults.shift();
      if (fault === "reset") {
        req.socket.destroy();
        return;
      }
      answer(res, typeof fault === "number" ? { status: fault } : (fault ?? { status: 200 }));
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const webhookPath = options.path ?? "/services/T0000TEST/B0000TEST/receiverSecretPath0001";

  return {
    webhookUrl: `http://127.0.0.1:${port}${webhookPath}`,
    port,
    requests,
    payloads,
    script(next) {
      faults = [...next];
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function answer(
  res: http.ServerResponse,
  fault: { status: number; body?: string; retryAfter?: string },
): void {
  const headers: Record<string, string> = { "content-type": "text/html" };
  if (fault.retryAfter !== undefined) headers["retry-after"] = fault.retryAfter;
  res.writeHead(fault.status, headers);
  res.end(fault.body ?? SLACK_BODIES[fault.status] ?? "error");
}
