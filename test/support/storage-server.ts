import http, { type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A stand-in for the artifact storage host GitHub redirects to (a signed blob URL) on 127.0.0.1.
 * It refuses, and counts, any request carrying an Authorization header: the token must never reach
 * the storage host.
 */
export interface StorageRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
}

/** Answers request number `attempt` (1-based, counting only requests that passed the header check). */
export type StorageHandler = (
  req: IncomingMessage,
  res: ServerResponse,
  attempt: number,
) => void | Promise<void>;

export interface StorageServer {
  origin: string;
  /** A signed-looking URL on this server: `/blob/<name>?sig=<signature>&se=…`. */
  signedUrl(name: string, signature?: string): string;
  requests: StorageRequest[];
  /** Requests refused because they carried Authorization; a correct client leaves this at 0. */
  authorizationViolations: number;
  close(): Promise<void>;
}

export const TEST_SIGNATURE = "sv-2025-TOPSECRETsignature0123456789";

export async function startStorageServer(handler: StorageHandler): Promise<StorageServer> {
  const state = { requests: [] as StorageRequest[], violations: 0, answered: 0 };
  const server = http.createServer((req, res) => {
    state.requests.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers });
    if (req.headers.authorization !== undefined) {
      state.violations += 1;
      res
        .writeHead(400, { "content-type": "text/plain" })
        .end("Authorization must not be sent to the storage host");
      return;
    }
    state.answered += 1;
    Promise.resolve(handler(req, res, state.answered)).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500);
      res.end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  return {
    origin,
    signedUrl: (name, signature = TEST_SIGNATURE) =>
      `${origin}/blob/${encodeURIComponent(name)}?sig=${signature}&se=2030-01-01T00%3A00%3A00Z&sp=r`,
    requests: state.requests,
    get authorizationViolations() {
      return state.violations;
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Writes `body` in `chunkBytes` pieces, one every `intervalMs`, until done or the client goes away. */
export function streamSlowly(
  res: ServerResponse,
  body: Buffer,
  chunkBytes: number,
  intervalMs: number,
): void {
  let offset = 0;
  const timer = setInterval(() => {
    if (res.destroyed || offset >= body.length) {
      clearInterval(timer);
      if (!res.destroyed) res.end();
      return;
    }
    res.write(body.subarray(offset, offset + chunkBytes));
    offset += chunkBytes;
  }, intervalMs);
  res.on("close", () => clearInterval(timer));
}
