import { extractZipSafely, type ExtractOptions, type ExtractResult } from "./extract";

/**
 * Where extractions run. The bundled CLI runs them in worker threads (lib/cli/extract-launcher.ts):
 * a window collection downloads four runs at once on the main thread, and an extraction there
 * (reading, hashing, CRC, writes: dozens of event-loop trips per artifact) waited behind them and
 * held them up in turn (DESIGN §11, the concurrency ratio). Archives over 64 MiB stay in this
 * thread all the same: for them memory counts more than latency, and a worker's second heap keeps
 * its own garbage (a 1 GiB artifact peaked at ~190 MB in a worker, ~135 MB here; the budget is
 * 150 MB). Everywhere else (the dashboard, tests on the sources) every extraction runs here.
 */
const WORKER_MAX_ZIP_BYTES = 64 * 1024 * 1024;
export type ExtractLauncher = (options: ExtractOptions) => Promise<ExtractResult>;

let launcher: ExtractLauncher | null = null;

export function registerExtractLauncher(next: ExtractLauncher | null): void {
  launcher = next;
}

export function extractArchive(options: ExtractOptions, zipBytes: number): Promise<ExtractResult> {
  return launcher && zipBytes <= WORKER_MAX_ZIP_BYTES ? launcher(options) : extractZipSafely(options);
}
