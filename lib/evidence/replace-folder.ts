import { randomBytes } from "node:crypto";
import { lstat, rename, rm } from "node:fs/promises";
import path from "node:path";

/**
 * Moves `from` (a finished staging folder) to `target`, replacing what was there only once the new
 * folder is in place: the old one is set aside, and put back if the final rename fails.
 */
export async function replaceFolder(from: string, target: string): Promise<void> {
  if (!(await pathExists(target))) {
    await rename(from, target);
    return;
  }
  const old = path.join(
    path.dirname(target),
    `.${path.basename(target)}.old-${randomBytes(4).toString("hex")}`,
  );
  await rename(target, old);
  try {
    await rename(from, target);
  } catch (error) {
    await rename(old, target);
    throw error;
  }
  await rm(old, { recursive: true, force: true });
}

/** lstat-based: a dangling symlink exists too. Errors other than ENOENT are not hidden. */
export async function pathExists(file: string): Promise<boolean> {
  return lstat(file).then(
    () => true,
    (error: NodeJS.ErrnoException) => {
      if (error.code === "ENOENT") return false;
      throw error;
    },
  );
}
