import Link from "next/link";

/** Previous / next links with "page X of Y"; an end that cannot move is shown, not hidden. */
export function Pagination({
  page,
  pageCount,
  total,
  noun,
  hrefFor,
}: {
  page: number;
  pageCount: number;
  total: string;
  noun: string;
  hrefFor: (page: number) => string;
}) {
  const link = "rounded border border-zinc-300 bg-white px-2.5 py-1 text-sm text-zinc-800 hover:bg-zinc-50";
  const dead = "rounded border border-zinc-200 px-2.5 py-1 text-sm text-zinc-400";
  return (
    <nav aria-label={`${noun} pages`} className="mt-3 flex items-center justify-between gap-3 text-zinc-600">
      <p>{total}</p>
      <div className="flex items-center gap-2">
        {page > 1 ? (
          <Link href={hrefFor(page - 1)} rel="prev" className={link}>
            ← Previous
          </Link>
        ) : (
          <span aria-disabled="true" className={dead}>
            ← Previous
          </span>
        )}
        <p className="px-1 tabular-nums">
          Page {page} of {pageCount}
        </p>
        {page < pageCount ? (
          <Link href={hrefFor(page + 1)} rel="next" className={link}>
            Next →
          </Link>
        ) : (
          <span aria-disabled="true" className={dead}>
            Next →
          </span>
        )}
      </div>
    </nav>
  );
}
