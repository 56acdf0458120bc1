import type { ReactNode } from "react";

/** The one h1 of a page, with a line saying what the page shows and optional actions. */
export function PageHeader({
  title,
  children,
  actions,
}: {
  title: ReactNode;
  children?: ReactNode;
  actions?: ReactNode;
}) {
  return (
    <div className="mb-4 flex flex-wrap items-end justify-between gap-3 border-b border-zinc-200 pb-3">
      <div className="min-w-0">
        <h1 className="text-lg font-semibold text-zinc-900">{title}</h1>
        {children ? <div className="mt-0.5 text-zinc-600">{children}</div> : null}
      </div>
      {actions ? <div className="flex items-center gap-2">{actions}</div> : null}
    </div>
  );
}

export function Section({
  title,
  id,
  children,
  aside,
}: {
  title: string;
  id: string;
  children: ReactNode;
  aside?: ReactNode;
}) {
  return (
    <section aria-labelledby={id} className="mb-6">
      <div className="mb-2 flex flex-wrap items-baseline justify-between gap-2">
        <h2 id={id} className="text-sm font-semibold text-zinc-900">
          {title}
        </h2>
        {aside ? <div className="text-xs text-zinc-500">{aside}</div> : null}
      </div>
      {children}
    </section>
  );
}
