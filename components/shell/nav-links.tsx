"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import type { View } from "./views";

/** The only client piece of the shell: it needs the current path to mark the active link. */
export function NavLinks({
  views,
}: {
  views: readonly Pick<View, "href" | "label" | "group" | "arrivesWith">[];
}) {
  const pathname = usePathname();
  const groups = [...new Set(views.map((v) => v.group))];
  return (
    <>
      {groups.map((group) => (
        <div key={group} className="mb-4">
          <p className="px-3 pb-1 text-[11px] font-semibold tracking-wider text-zinc-500 uppercase">
            {group}
          </p>
          <ul className="space-y-0.5">
            {views
              .filter((v) => v.group === group)
              .map((view) => {
                const active = pathname === view.href || pathname.startsWith(`${view.href}/`);
                return (
                  <li key={view.href}>
                    <Link
                      href={view.href}
                      aria-current={active ? "page" : undefined}
                      className={`flex items-center justify-between rounded px-3 py-1.5 text-sm ${
                        active
                          ? "bg-accent-50 font-medium text-accent-800"
                          : "text-zinc-700 hover:bg-zinc-100 hover:text-zinc-900"
                      }`}
                    >
                      <span>{view.label}</span>
                      {view.arrivesWith ? (
                        <>
                          <span
                            aria-hidden="true"
                            className="text-[10px] tracking-wide text-zinc-400 uppercase"
                          >
                            soon
                          </span>
                          <span className="sr-only">(arrives later)</span>
                        </>
                      ) : null}
                    </Link>
                  </li>
                );
              })}
          </ul>
        </div>
      ))}
    </>
  );
}
