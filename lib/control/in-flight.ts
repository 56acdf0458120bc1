/**
 * Work in flight in this process (retry waits, downloads, loops) holds a signal from here, so an
 * engagement aborts it at once; other processes learn of it through watchKillSwitch.
 */
const controllers = new Set<AbortController>();

export function trackInFlight(parent?: AbortSignal): { signal: AbortSignal; done: () => void } {
  const controller = new AbortController();
  const onParentAbort = () => controller.abort(parent?.reason);
  parent?.addEventListener("abort", onParentAbort, { once: true });
  controllers.add(controller);
  return {
    signal: controller.signal,
    done: () => {
      controllers.delete(controller);
      parent?.removeEventListener("abort", onParentAbort);
    },
  };
}

/** Aborts everything in flight; returns how many tasks were stopped. */
export function abortInFlight(reason: string): number {
  const count = controllers.size;
  for (const controller of controllers) controller.abort(new Error(reason));
  controllers.clear();
  return count;
}
