import type { ChangeBroker } from "./change-broker";

/**
 * Server-sent events for GET /api/events: `event: ready` once subscribed, `event: change` with
 * {table, op, key} per change, a comment as heartbeat so proxies keep the connection, and an end
 * after `maxLifetimeMs`: the browser reconnects on its own, and the reconnect re-checks the session.
 */
export const SSE_HEADERS = {
  "content-type": "text/event-stream; charset=utf-8",
  // no-transform: Next's compression would otherwise buffer the stream.
  "cache-control": "no-cache, no-store, no-transform",
  connection: "keep-alive",
  "x-accel-buffering": "no",
} as const;

export function formatSseEvent(event: string, data: unknown): string {
  const lines = JSON.stringify(data).split("\n");
  return `event: ${event}\n${lines.map((l) => `data: ${l}`).join("\n")}\n\n`;
}

export interface ChangeStreamOptions {
  signal?: AbortSignal;
  heartbeatMs?: number;
  maxLifetimeMs?: number;
  /** The reconnect delay the browser is told to use. */
  retryMs?: number;
}

export async function createChangeStream(
  broker: ChangeBroker,
  options: ChangeStreamOptions = {},
): Promise<ReadableStream<Uint8Array>> {
  const { signal, heartbeatMs = 15_000, maxLifetimeMs = 5 * 60_000, retryMs = 1_000 } = options;
  const encoder = new TextEncoder();
  const pending: string[] = [];
  let push: (text: string) => void = (text) => pending.push(text);
  // Subscribed before the stream exists, so a change made right after the response starts is kept.
  const unsubscribe = await broker.subscribe((change) => {
    push(formatSseEvent("change", { table: change.table, op: change.op, key: change.key }));
  });
  let closed = false;
  const timers: NodeJS.Timeout[] = [];
  let finish: () => void = () => undefined;

  return new ReadableStream<Uint8Array>({
    start(controller) {
      push = (text) => {
        if (closed) return;
        try {
          controller.enqueue(encoder.encode(text));
        } catch {
          // The stream went away without telling us: the next event or heartbeat cleans up.
          finish();
        }
      };
      finish = () => {
        if (closed) return;
        closed = true;
        unsubscribe();
        for (const timer of timers) clearTimeout(timer);
        signal?.removeEventListener("abort", finish);
        try {
          controller.close();
        } catch {
          // already closed by a cancel
        }
      };
      push(`retry: ${retryMs}\n\n`);
      push(formatSseEvent("ready", { transport: broker.transport() }));
      for (const text of pending.splice(0)) push(text);
      timers.push(setInterval(() => push(": heartbeat\n\n"), heartbeatMs));
      timers.push(setTimeout(() => finish(), maxLifetimeMs));
      if (signal?.aborted) finish();
      else signal?.addEventListener("abort", finish, { once: true });
    },
    cancel() {
      finish();
    },
  });
}
