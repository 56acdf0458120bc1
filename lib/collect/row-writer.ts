import type { Queryable } from "../db";
import { updateCollection, type CollectionPatch } from "./collections-store";

/**
 * How a collections row follows its artifact: changes while the artifact is in flight (bytes, the
 * extracting phase) are sampled — written at most once per interval, the latest winning, so a
 * phase that lasts a second or more shows on the dashboard and a 5 MB artifact costs no extra
 * statements; a final change is written at once, after anything sampled before it. Writes go one
 * after another, never out of order; a failed one surfaces at the next awaited write.
 */
export interface RowWriter {
  sample(patch: CollectionPatch): void;
  final(patch: CollectionPatch): Promise<void>;
  /**
   * Stops sampling and waits for the writes in flight; what was not written yet is dropped: the
   * caller ends the row with it (bytes, digest) in its own statement.
   */
  settle(): Promise<void>;
}

export function createRowWriter(db: Queryable, id: number, intervalMs = 1_000): RowWriter {
  let last = performance.now(); // the insert was the first write
  let pending: CollectionPatch | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let chain = Promise.resolve();
  let failure: unknown;
  const send = (patch: CollectionPatch) => {
    last = performance.now();
    chain = chain
      .then(() => updateCollection(db, id, patch))
      .catch((error: unknown) => {
        failure ??= error;
      });
  };
  const stopTimer = () => {
    clearTimeout(timer);
    timer = undefined;
  };
  const flush = () => {
    stopTimer();
    if (pending) send(pending);
    pending = null;
  };
  return {
    sample(patch) {
      pending = { ...pending, ...patch };
      const wait = intervalMs - (performance.now() - last);
      if (wait <= 0) flush();
      else if (timer === undefined) {
        timer = setTimeout(flush, wait);
        timer.unref();
      }
    },
    async final(patch) {
      stopTimer();
      send({ ...pending, ...patch });
      pending = null;
      await chain;
      if (failure !== undefined) throw failure;
    },
    async settle() {
      stopTimer();
      pending = null;
      await chain;
      if (failure !== undefined) throw failure;
    },
  };
}
