import { extractZipSafely, type ExtractOptions, type ExtractResult } from "./extract";

/**
 * Where extractions run. When a window collection downloads several runs at once on the main
 * thread, the bundled CLI extracts in worker threads (lib/cli/extract-launcher.ts): in the main
 * thread an extraction (reading, hashing, CRC, writes: dozens of event-loop trips per artifact)
 * waited behind the downloads and held them up in turn (DESIGN §11, the concurrency ratio). A
 * single run, and archives over 64 MiB, stay in this thread: nothing runs beside them, and a
 * worker's second heap costs memory (a 1 GiB artifact peaked at ~190 MB with a worker against
 * the 150 MB budget). Everywhere else (the dashboard, tests on the sources) extraction runs here.
 */
const WORKER_MAX_ZIP_BYTES = 64 * 1024 * 1024;
export type ExtractLauncher = (options: ExtractOptions) => Promise<ExtractResult>;

let launcher: ExtractLauncher | null = null;

export function registerExtractLauncher(next: ExtractLauncher | null): void {
  launcher = next;
}

export function extractArchive(
  options: ExtractOptions,
  where: { zipBytes: number; besideOthers: boolean },
): Promise<ExtractResult> {
  if (launcher && where.besideOthers && where.zipBytes <= WORKER_MAX_ZIP_BYTES) return launcher(options);
  return extractZipSafely(options);
}
