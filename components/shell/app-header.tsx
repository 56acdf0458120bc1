import Link from "next/link";
import { connection } from "next/server";
import { signOut } from "@/lib/web/actions/sign-out";
import { getEventContext } from "@/lib/web/event-data";
import { getSessionActor } from "@/lib/web/session";

/** The top bar: which event the console shows, where its data lives, and who is signed in. */
export async function AppHeader() {
  // Read at request time: the event is a run-time setting, not something to bake into the build.
  await connection();
  const { event, mode } = getEventContext();
  const actor = await getSessionActor();
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
      {actor ? (
        <>
          <span aria-hidden="true" className="h-5 w-px bg-zinc-200" />
          <p className="flex items-center gap-2" data-testid="signed-in-user">
            <span className="sr-only">Signed in as</span>
            <span className="max-w-56 truncate text-zinc-900" title={actor.email}>
              {actor.email}
            </span>
            <span className="rounded bg-accent-50 px-1.5 py-0.5 text-xs font-medium text-accent-800">
              <span className="sr-only">role </span>
              {actor.role}
            </span>
          </p>
          {/* A plain form: signing out works without JavaScript. */}
          <form action={signOut}>
            <button
              type="submit"
              className="rounded border border-zinc-300 bg-white px-2 py-1 text-xs font-medium text-zinc-800 hover:border-zinc-400 hover:bg-zinc-50"
            >
              Sign out
            </button>
          </form>
        </>
      ) : null}
    </header>
  );
}
