import type { ServerRun } from "./state";

/**
 * GitHub's list semantics: the `created` qualifier (`>=D`, `<=D`, `>D`, `<D`, `A..B`, `D`), the
 * `status` filter (a status or a conclusion), newest first, and per_page/page with a Link header.
 */
export function filterRuns(runs: Iterable<ServerRun>, query: URLSearchParams): ServerRun[] {
  const created = query.get("created");
  const status = query.get("status");
  const inRange = created ? createdMatcher(created) : () => true;
  return [...runs]
    .filter((run) => inRange(run.createdAt))
    .filter((run) => !status || run.status === status || run.conclusion === status)
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id - a.id);
}

/** Dates compare by their UTC day, as GitHub's search qualifiers do; full timestamps compare exactly. */
function createdMatcher(qualifier: string): (createdAt: string) => boolean {
  const key = (value: string, end: boolean) =>
    /^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T${end ? "23:59:59.999" : "00:00:00"}Z` : value;
  const at = (createdAt: string) => new Date(createdAt).toISOString();
  const iso = (value: string, end: boolean) => new Date(key(value, end)).toISOString();
  const range = qualifier.match(/^(.+)\.\.(.+)$/);
  if (range?.[1] && range[2]) {
    const [from, to] = [iso(range[1], false), iso(range[2], true)];
    return (c) => at(c) >= from && at(c) <= to;
  }
  const op = qualifier.match(/^(>=|<=|>|<)?(.+)$/);
  const value = op?.[2] ?? qualifier;
  switch (op?.[1]) {
    case ">=":
      return (c) => at(c) >= iso(value, false);
    case ">":
      return (c) => at(c) > iso(value, true);
    case "<=":
      return (c) => at(c) <= iso(value, true);
    case "<":
      return (c) => at(c) < iso(value, false);
    default:
      return (c) => at(c) >= iso(value, false) && at(c) <= iso(value, true);
  }
}

export interface Page<T> {
  items: T[];
  link?: string;
}

/** One page of `items`; the Link header points at absolute URLs, like GitHub's. */
export function paginate<T>(items: T[], url: URL): Page<T> {
  const perPage = Math.min(100, Math.max(1, Number(url.searchParams.get("per_page") ?? 30) || 30));
  const page = Math.max(1, Number(url.searchParams.get("page") ?? 1) || 1);
  const last = Math.max(1, Math.ceil(items.length / perPage));
  const pageUrl = (n: number) => {
    const next = new URL(url);
    next.searchParams.set("per_page", String(perPage));
    next.searchParams.set("page", String(n));
    return next.toString();
  };
  const rels: string[] = [];
  if (page < last) rels.push(`<${pageUrl(page + 1)}>; rel="next"`, `<${pageUrl(last)}>; rel="last"`);
  if (page > 1) rels.push(`<${pageUrl(page - 1)}>; rel="prev"`, `<${pageUrl(1)}>; rel="first"`);
  return {
    items: items.slice((page - 1) * perPage, page * perPage),
    link: rels.length > 0 ? rels.join(", ") : undefined,
  };
}
