import Link from "next/link";
import { WINDOW_CHOICES } from "@/lib/observer/kpi-params";

/**
 * The KPI window as links: the URL (`/kpis?window=7`) is the state, so a view is shareable and
 * the choice works with the keyboard (Tab, Enter) and without JavaScript. A window given in the
 * URL outside the common choices is shown as its own current entry.
 */
const label = (days: number) => (days === 1 ? "1 day" : `${days} days`);

export function WindowSelector({ current }: { current: number }) {
  const choices: number[] = (WINDOW_CHOICES as readonly number[]).includes(current)
    ? [...WINDOW_CHOICES]
    : [...WINDOW_CHOICES, current].sort((a, b) => a - b);
  return (
    <nav aria-label="KPI window" className="flex flex-wrap items-center gap-2">
      <span className="text-xs text-zinc-600" aria-hidden="true">
        Window:
      </span>
      <ul className="flex overflow-hidden rounded border border-zinc-300 bg-white">
        {choices.map((days) => {
          const active = days === current;
          return (
            <li key={days} className="border-l border-zinc-300 first:border-l-0">
              <Link
                href={`/kpis?window=${days}`}
                scroll={false}
                aria-current={active ? "true" : undefined}
                aria-label={`Last ${label(days)}`}
                className={`block px-2.5 py-1 text-xs ${active ? "bg-accent-700 font-semibold text-white" : "text-zinc-700 hover:bg-zinc-100"}`}
              >
                {active ? <span aria-hidden="true">● </span> : null}
                {label(days)}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
