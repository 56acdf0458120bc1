import { describe, expect, it } from "vitest";
import type { ChangeBroker, ChangeListener } from "./change-broker";
import { createChangeStream, formatSseEvent } from "./sse";

function fakeBroker() {
  const listeners = new Set<ChangeListener>();
  const broker: ChangeBroker = {
    subscribe: async (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    transport: () => "poll",
    close: async () => undefined,
  };
  const emit = (table: string) => {
    for (const l of listeners) l({ id: 1, table, op: "UPDATE", key: "k", rows: 1 });
  };
  return { broker, listeners, emit };
}

async function readUntil(reader: ReadableStreamDefaultReader<Uint8Array>, text: string): Promise<string> {
  const decoder = new TextDecoder();
  let seen = "";
  while (!seen.includes(text)) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`stream ended before '${text}': ${seen}`);
    seen += decoder.decode(value);
  }
  return seen;
}

describe("server-sent change stream", () => {
  it("formats one event with JSON data", () => {
    expect(formatSseEvent("change", { table: "runs" })).toBe('event: change\ndata: {"table":"runs"}\n\n');
  });

  it("says ready, then sends each change as an event and heartbeats", async () => {
    const { broker, emit } = fakeBroker();
    const stream = await createChangeStream(broker, { heartbeatMs: 20, retryMs: 1500 });
    const reader = stream.getReader();
    const start = await readUntil(reader, "event: ready");
    expect(start).toMatch(/^retry: 1500\n\nevent: ready\ndata: \{"transport":"poll"\}\n\n/);
    emit("kill_switch");
    expect(await readUntil(reader, "event: change")).toContain(
      'event: change\ndata: {"table":"kill_switch","op":"UPDATE","key":"k"}\n\n',
    );
    expect(await readUntil(reader, ": heartbeat")).toContain(": heartbeat\n\n");
    await reader.cancel();
  });

  it("unsubscribes when the client goes away, and when its lifetime ends", async () => {
    const { broker, listeners } = fakeBroker();
    const abort = new AbortController();
    await createChangeStream(broker, { signal: abort.signal });
    expect(listeners.size).toBe(1);
    abort.abort();
    expect(listeners.size).toBe(0);

    const cancelled = await createChangeStream(broker);
    await cancelled.cancel();
    expect(listeners.size).toBe(0);

    const expiring = await createChangeStream(broker, { maxLifetimeMs: 30 });
    const reader = expiring.getReader();
    await readUntil(reader, "event: ready");
    expect((await reader.read()).done).toBe(true);
    expect(listeners.size).toBe(0);
  });
});
