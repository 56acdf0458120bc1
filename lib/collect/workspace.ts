import { mkdir, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { replaceFolder } from "../evidence/replace-folder";
import { makeDirs } from "../github/created-dirs";

/**
 * Where a run's zips and extracted folders wait until the run is whole. A real collection works
 * inside the event's artifacts/ folder (same file system: moving a 1 GiB folder in is a rename);
 * a dry run works in the system's temp folder and never touches the event folder. Either way the
 * workspace is removed at the end, and so are the folders it had to create.
 */
export interface Workspace {
  dir: string;
  remove(): Promise<void>;
}

export async function openWorkspace(
  artifactsDir: string,
  runId: string,
  dryRun: boolean,
): Promise<Workspace> {
  if (dryRun) {
    const dir = await mkdtemp(path.join(os.tmpdir(), `auditloop-collect-${runId}-`));
    return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
  }
  const undoDirs = await makeDirs(artifactsDir);
  let dir: string;
  try {
    dir = await mkdtemp(path.join(artifactsDir, `.collect-${runId}-`));
  } catch (error) {
    await undoDirs();
    throw error;
  }
  return {
    dir,
    remove: async () => {
      await rm(dir, { recursive: true, force: true });
      await undoDirs();
    },
  };
}

/**
 * Moves an extracted folder to `target`, replacing what was there (an earlier collection of the
 * same artifact, or a file of that name) only once the new folder is in place.
 */
export async function placeFolder(from: string, target: string): Promise<void> {
  await mkdir(path.dirname(target), { recursive: true });
  await replaceFolder(from, target);
}
