import type { ReactNode } from "react";
import { PageHeader } from "@/components/ui/page-header";
import { getView } from "./views";

/** A view whose issue has not landed: says which issue brings it and what it will do. */
export function PlaceholderView({ href, children }: { href: string; children?: ReactNode }) {
  const view = getView(href);
  return (
    <>
      <PageHeader title={view.label} />
      <div className="max-w-3xl rounded border border-zinc-200 bg-white px-5 py-4">
        <p className="font-medium text-zinc-900">Arrives with the {view.arrivesWith} issue.</p>
        <p className="mt-2 leading-relaxed text-zinc-700">{view.summary}</p>
        {children ? <div className="mt-3 space-y-2 text-zinc-700">{children}</div> : null}
      </div>
    </>
  );
}
