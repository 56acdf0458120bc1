"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import { keysForTable } from "@/lib/live/keys";

type LiveState = "connecting" | "live" | "polling";

const POLL_MS = 5_000;
/** After an error, how long the stream may take to come back before polling starts. */
const FALLBACK_AFTER_MS = 3_000;
/** How often a closed stream (refused, not merely dropped) is tried again. */
const RECONNECT_MS = 30_000;
/** Coalesces a burst of changes (one engagement writes several rows) into one or two refreshes. */
const REFRESH_GAP_MS = 250;

/**
 * Keeps the open page current (DESIGN §9): database changes arrive as server-sent events from
 * /api/events; each invalidates the React Query keys of its table and re-renders the server
 * components (router.refresh). When the stream fails, the page refreshes every 5 s instead and
 * says so.
 */
export function LiveUpdates() {
  const router = useRouter();
  const queryClient = useQueryClient();
  const [state, setState] = useState<LiveState>("connecting");

  useEffect(() => {
    let source: EventSource | null = null;
    let opened = false;
    let lastRefresh = 0;
    let trailing: number | undefined;
    let pollTimer: number | undefined;
    let fallbackTimer: number | undefined;
    let reconnectTimer: number | undefined;

    const refresh = () => {
      const wait = lastRefresh + REFRESH_GAP_MS - Date.now();
      if (wait <= 0) {
        lastRefresh = Date.now();
        router.refresh();
      } else {
        trailing ??= window.setTimeout(() => {
          trailing = undefined;
          lastRefresh = Date.now();
          router.refresh();
        }, wait);
      }
    };
    const startPolling = () => {
      setState("polling");
      pollTimer ??= window.setInterval(() => {
        void queryClient.invalidateQueries();
        router.refresh();
      }, POLL_MS);
    };
    const stopPolling = () => {
      window.clearInterval(pollTimer);
      window.clearTimeout(fallbackTimer);
      pollTimer = fallbackTimer = undefined;
    };
    const connect = () => {
      source?.close();
      source = new EventSource("/api/events");
      source.addEventListener("ready", () => {
        stopPolling();
        setState("live");
        // A reconnect may have missed changes: catch up once.
        if (opened) refresh();
        opened = true;
      });
      source.addEventListener("change", (event: MessageEvent<string>) => {
        let table = "";
        try {
          table = String((JSON.parse(event.data) as { table?: unknown }).table ?? "");
        } catch {
          // a malformed event still means something changed
        }
        for (const queryKey of keysForTable(table)) void queryClient.invalidateQueries({ queryKey });
        refresh();
      });
      source.addEventListener("error", () => {
        if (source?.readyState === EventSource.CLOSED) {
          startPolling();
          reconnectTimer = window.setTimeout(connect, RECONNECT_MS);
        } else {
          fallbackTimer ??= window.setTimeout(startPolling, FALLBACK_AFTER_MS);
        }
      });
    };
    connect();
    return () => {
      source?.close();
      stopPolling();
      window.clearTimeout(trailing);
      window.clearTimeout(reconnectTimer);
    };
  }, [router, queryClient]);

  return (
    <p
      aria-live="polite"
      data-live={state}
      className="pointer-events-none fixed bottom-2 left-3 z-40 flex items-center gap-1.5 rounded border border-zinc-200 bg-white/90 px-2 py-0.5 text-xs text-zinc-600"
    >
      <span
        aria-hidden="true"
        className={`inline-block size-1.5 rounded-full ${state === "live" ? "bg-emerald-600" : state === "polling" ? "bg-amber-500" : "bg-zinc-400"}`}
      />
      {state === "live"
        ? "Live"
        : state === "polling"
          ? "Live updates unavailable: refreshing every 5 s"
          : "Connecting live updates…"}
    </p>
  );
}
