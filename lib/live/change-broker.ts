import type { Database } from "../db";
import {
  CHANGE_CHANNEL,
  getLatestChangeId,
  parseChangePayload,
  readChanges,
  type ChangeEvent,
} from "./change-feed";

/**
 * One broker per server process fans database changes out to every open dashboard. On a
 * Postgres server it LISTENs (a push within milliseconds) with a slow safety poll for anything a
 * dropped connection missed; in embedded mode (the socket does not forward NOTIFY) or when LISTEN
 * fails it polls the change feed. It runs only while someone is subscribed.
 */
export type ChangeListener = (event: ChangeEvent) => void;
export type Transport = "listen" | "poll" | "idle";

export interface ChangeBroker {
  /** Resolves once the broker is positioned at the feed's end: later changes reach `listener`. */
  subscribe(listener: ChangeListener): Promise<() => void>;
  transport(): Transport;
  close(): Promise<void>;
}

export interface BrokerOptions {
  pollMs?: number;
  /** The safety poll beside LISTEN. */
  safetyPollMs?: number;
  /** How long the broker keeps running after its last subscriber left. */
  idleMs?: number;
  onError?: (error: unknown) => void;
}

const LOOKBACK = 64;

export function createChangeBroker(db: Database, options: BrokerOptions = {}): ChangeBroker {
  const { pollMs = 100, safetyPollMs = 2_000, idleMs = 5_000 } = options;
  const onError = options.onError ?? ((error: unknown) => console.error("live updates:", error));
  const listeners = new Set<ChangeListener>();
  const delivered = new Set<number>();
  let lastId = 0;
  let transport: Transport = "idle";
  let stopActive: (() => Promise<void>) | null = null;
  let idleTimer: NodeJS.Timeout | null = null;
  // Start and stop run one at a time, in call order.
  let chain: Promise<unknown> = Promise.resolve();
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const next = chain.then(fn, fn);
    chain = next.catch(() => undefined);
    return next;
  };

  const deliver = (event: ChangeEvent) => {
    if (delivered.has(event.id)) return;
    delivered.add(event.id);
    lastId = Math.max(lastId, event.id);
    for (const listener of [...listeners]) {
      try {
        listener(event);
      } catch (error) {
        onError(error);
      }
    }
  };

  const poll = async () => {
    const floor = Math.max(0, lastId - LOOKBACK);
    for (const event of await readChanges(db, lastId, floor)) deliver(event);
    for (const id of delivered) if (id <= floor) delivered.delete(id);
  };

  const start = async (): Promise<() => Promise<void>> => {
    let unlisten: (() => Promise<void>) | null = null;
    if (db.mode === "postgres") {
      try {
        unlisten = await db.listen(CHANGE_CHANNEL, (payload) => {
          const event = parseChangePayload(payload);
          if (event) deliver(event);
        });
      } catch (error) {
        onError(new Error("LISTEN failed; polling the change feed instead", { cause: error }));
      }
    }
    // Positioned after LISTEN is up, so nothing committed in between is missed.
    try {
      lastId = Math.max(lastId, await getLatestChangeId(db));
      // What is already committed is history: only what commits from now on is delivered.
      const floor = Math.max(0, lastId - LOOKBACK);
      for (const event of await readChanges(db, lastId, floor)) delivered.add(event.id);
    } catch (error) {
      await unlisten?.().catch(() => undefined);
      throw error;
    }
    transport = unlisten ? "listen" : "poll";
    const interval = unlisten ? safetyPollMs : pollMs;
    let stopped = false;
    let timer: NodeJS.Timeout | undefined;
    const loop = async () => {
      await poll().catch(onError);
      if (!stopped) timer = setTimeout(loop, interval).unref();
    };
    timer = setTimeout(loop, interval).unref();
    return async () => {
      stopped = true;
      clearTimeout(timer);
      transport = "idle";
      await unlisten?.().catch(onError);
    };
  };

  const stop = () =>
    serial(async () => {
      const active = stopActive;
      stopActive = null;
      await active?.();
    });

  return {
    async subscribe(listener) {
      listeners.add(listener);
      if (idleTimer) clearTimeout(idleTimer);
      idleTimer = null;
      try {
        await serial(async () => {
          stopActive ??= await start();
        });
      } catch (error) {
        listeners.delete(listener);
        throw error;
      }
      return () => {
        if (!listeners.delete(listener) || listeners.size > 0) return;
        idleTimer = setTimeout(() => {
          if (listeners.size === 0) void stop();
        }, idleMs).unref();
      };
    },
    transport: () => transport,
    async close() {
      listeners.clear();
      if (idleTimer) clearTimeout(idleTimer);
      await stop();
    },
  };
}

// One broker per process, on globalThis so Next's separate module graphs share it.
const holder = globalThis as typeof globalThis & { __auditloopChangeBroker?: ChangeBroker };

export function getChangeBroker(db: Database): ChangeBroker {
  holder.__auditloopChangeBroker ??= createChangeBroker(db);
  return holder.__auditloopChangeBroker;
}
