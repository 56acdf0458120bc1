import Link from "next/link";
import { connection } from "next/server";
import { getEventContext } from "@/lib/web/event-data";

/** The top bar: which event the console shows and where its data lives. */
export async function AppHeader() {
  // Read at request time: the event is a run-time setting, not something to bake into the build.
  await connection();
  const { event, mode } = getEventContext();
  return (
    <header className="flex h-12 items-center gap-4 border-b border-zinc-200 bg-white px-4">
      <Link href="/" className="flex items-center gap-2 font-semibold text-zinc-900">
        <span aria-hidden="true" className="inline-block size-2.5 rounded-sm bg-accent-600" />
        Auditloop
      </Link>
      <span aria-hidden="true" className="h-5 w-px bg-zinc-200" />
      <p className="flex items-center gap-2 text-zinc-600">
        <span className="text-xs text-zinc-500">Event</span>
        <span className="font-mono text-[13px] text-zinc-900" data-testid="event-name">
          {event}
        </span>
      </p>
      <p className="ml-auto flex items-center gap-2">
        <span className="text-xs text-zinc-500">Data mode</span>
        <span className="rounded border border-zinc-300 bg-zinc-50 px-1.5 py-0.5 font-mono text-xs text-zinc-800">
          {mode}
        </span>
      </p>
    </header>
  );
}
