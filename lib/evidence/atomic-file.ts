import { promises as fs } from "node:fs";
import path from "node:path";
import lockfile from "proper-lockfile";
import { InputError } from "../errors";

/**
 * The atomic update of DESIGN §3, shared by _manifest.json and RUNS_SUMMARY.json:
 * exclusive lock beside the file → read → change → temp file in the same directory → fsync →
 * validate what is on disk → keep the previous version as a backup → rename over → fsync the
 * directory. A crash at any point leaves either the old or the new file, never a mix.
 */

const BACKUP_DIR = ".backups";
const KEEP_BACKUPS = 20;
const RETRY_MAX_WAIT_MS = 40;

export interface LockOptions {
  /** Give up waiting for the lock after this long (ms). */
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** Runs fn while holding the exclusive lock `<file>.lock` (a real lock: proper-lockfile). */
export async function withFileLock<T>(
  file: string,
  fn: () => Promise<T>,
  options: LockOptions = {},
): Promise<T> {
  options.signal?.throwIfAborted();
  await fs.mkdir(path.dirname(file), { recursive: true });
  const timeoutMs = options.timeoutMs ?? 60_000;
  let release: () => Promise<void>;
  try {
    release = await lockfile.lock(file, {
      realpath: false,
      lockfilePath: `${file}.lock`,
      // A writer killed while holding the lock stops refreshing it; after `stale` ms others take over.
      stale: 5_000,
      update: 1_000,
      retries: {
        // `retry` precomputes one timeout per retry: 100,000 cost ~15 ms per lock. Enough to span
        // maxRetryTime at the longest wait is all that is needed.
        retries: Math.ceil(timeoutMs / RETRY_MAX_WAIT_MS) + 20,
        factor: 1.3,
        minTimeout: 2,
        maxTimeout: RETRY_MAX_WAIT_MS,
        randomize: true,
        maxRetryTime: timeoutMs,
      },
    });
  } catch (error) {
    throw new Error(`Could not lock ${file} (lock ${file}.lock): ${(error as Error).message}`, {
      cause: error,
    });
  }
  try {
    options.signal?.throwIfAborted();
    return await fn();
  } finally {
    await release().catch(() => undefined);
  }
}

export interface AtomicWriteOptions {
  /** Checks the bytes as written to disk; throw to refuse (the temp file is then left for inspection). */
  validate?: (text: string) => void;
  /** Keep the replaced version under .backups/ for rollback (default true). */
  backup?: boolean;
}

export interface AtomicWriteResult {
  backupPath: string | null;
}

/** Replaces `file` with `text` atomically. Call inside withFileLock. */
export async function writeFileAtomic(
  file: string,
  text: string,
  options: AtomicWriteOptions = {},
): Promise<AtomicWriteResult> {
  const dir = path.dirname(file);
  const temp = path.join(dir, `.${path.basename(file)}.${process.pid}.${Date.now()}.tmp`);
  const handle = await fs.open(temp, "wx", 0o644);
  try {
    await handle.writeFile(text, "utf8");
    await handle.sync();
  } finally {
    await handle.close();
  }
  if (options.validate) {
    const onDisk = await fs.readFile(temp, "utf8");
    try {
      options.validate(onDisk);
    } catch (error) {
      throw new InputError(
        `Refused to replace ${file}: the new version does not validate (${(error as Error).message}); ` +
          `the temporary file is left for inspection at ${temp}`,
        { cause: error },
      );
    }
  }
  const backupPath = options.backup === false ? null : await keepBackup(file);
  await fs.rename(temp, file);
  await syncDirectory(dir);
  return { backupPath };
}

/** Backups of `file`, newest first. */
export async function listBackups(
  file: string,
): Promise<{ path: string; name: string; createdAt: Date; size: number }[]> {
  const dir = path.join(path.dirname(file), BACKUP_DIR);
  const backups = await Promise.all(
    (await listBackupNames(file)).map(async (name) => {
      const full = path.join(dir, name);
      const stat = await fs.stat(full).catch(() => null);
      return stat ? { path: full, name, createdAt: stat.mtime, size: stat.size } : null;
    }),
  );
  return backups.filter((b) => b !== null);
}

/** Backup file names, newest first: names carry a sortable UTC stamp and a sequence. */
async function listBackupNames(file: string): Promise<string[]> {
  const prefix = `${path.basename(file)}.`;
  let names: string[];
  try {
    names = await fs.readdir(path.join(path.dirname(file), BACKUP_DIR));
  } catch {
    return [];
  }
  return names.filter((n) => n.startsWith(prefix) && n.endsWith(".bak")).sort((a, b) => (a < b ? 1 : -1));
}

let sequence = 0;

async function keepBackup(file: string): Promise<string | null> {
  const dir = path.join(path.dirname(file), BACKUP_DIR);
  const stamp = new Date().toISOString().replace(/[-:]/g, "").replace(".", "");
  sequence += 1;
  const target = path.join(
    dir,
    `${path.basename(file)}.${stamp}-${String(process.pid).padStart(7, "0")}-${String(sequence).padStart(6, "0")}.bak`,
  );
  await fs.mkdir(dir, { recursive: true });
  try {
    // A hard link keeps the old inode alive after the rename: no copy, and it is complete at once.
    await fs.link(file, target);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return null; // first write: nothing to keep
    if (code !== "EXDEV" && code !== "EPERM" && code !== "ENOTSUP") throw error;
    await fs.copyFile(file, target);
  }
  await pruneBackups(file);
  return target;
}

async function pruneBackups(file: string): Promise<void> {
  const dir = path.join(path.dirname(file), BACKUP_DIR);
  const names = await listBackupNames(file);
  await Promise.all(names.slice(KEEP_BACKUPS).map((name) => fs.rm(path.join(dir, name), { force: true })));
}

async function syncDirectory(dir: string): Promise<void> {
  const handle = await fs.open(dir, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
