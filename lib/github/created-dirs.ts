import { mkdir, rmdir } from "node:fs/promises";
import path from "node:path";

/**
 * mkdir -p that can be undone: a failed download or extraction must not leave the folders it made
 * (`artifacts/<RUN_ID>/…`) behind. The undo removes only folders this call created, deepest first,
 * and only while they are empty, so anything another writer put there stays.
 */
export async function makeDirs(dir: string): Promise<() => Promise<void>> {
  const target = path.resolve(dir);
  const first = await mkdir(target, { recursive: true });
  if (first === undefined) return async () => undefined;
  return async () => {
    for (let current = target; ; current = path.dirname(current)) {
      const removed = await rmdir(current).then(
        () => true,
        () => false,
      );
      if (!removed || current === first || current === path.dirname(current)) return;
    }
  };
}
