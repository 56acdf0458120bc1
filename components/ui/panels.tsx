import type { ReactNode } from "react";

/** A shell command a person can copy as is. */
export function Command({ children }: { children: string }) {
  return (
    <code className="block overflow-x-auto rounded border border-zinc-200 bg-zinc-900 px-3 py-2 font-mono text-xs whitespace-pre text-zinc-100">
      {children}
    </code>
  );
}

/** Nothing to show yet: says what fills it. */
export function EmptyState({ title, children }: { title: string; children: ReactNode }) {
  return (
    <div className="rounded border border-dashed border-zinc-300 bg-white px-5 py-6">
      <h2 className="font-semibold text-zinc-900">{title}</h2>
      <div className="mt-2 space-y-2 text-zinc-600">{children}</div>
    </div>
  );
}

/** A file that cannot be used: names the file and what is wrong, as the core reported it. */
export function ErrorPanel({
  title,
  message,
  children,
}: {
  title: string;
  message: string;
  children?: ReactNode;
}) {
  return (
    <div role="alert" className="rounded border border-red-300 bg-red-50 px-5 py-4">
      <h2 className="font-semibold text-red-900">{title}</h2>
      <p className="mt-2 font-mono text-xs break-words whitespace-pre-wrap text-red-900">{message}</p>
      {children ? <div className="mt-3 space-y-2 text-red-900">{children}</div> : null}
    </div>
  );
}
