import Link from "next/link";
import { formatUtc } from "@/components/ui/format";
import type { KillSwitchBanner as Banner } from "@/lib/web/kill-switch-state";

/**
 * The banner on every page while the kill switch is engaged (DESIGN §7). Rendered by the server
 * in the layout; live updates re-render it. The region stays in the page so screen readers
 * announce the banner when it appears. Without a session it says only that changes are refused.
 */
export function KillSwitchBanner({ banner, detailed }: { banner: Banner; detailed: boolean }) {
  return (
    <div aria-live="assertive">
      {banner.state === "engaged" ? (
        <div
          data-testid="kill-switch-banner"
          className="flex flex-wrap items-center gap-x-4 gap-y-1 border-b border-red-800 bg-red-700 px-4 py-2 text-white"
        >
          <p className="min-w-0 flex-1">
            <strong className="font-semibold">Kill switch engaged</strong>
            {detailed ? (
              <>
                {" "}
                by <span data-testid="kill-switch-banner-by">{banner.by}</span> at{" "}
                <time dateTime={banner.at}>{formatUtc(banner.at)}</time>:{" "}
                <span data-testid="kill-switch-banner-reason" className="break-words">
                  {banner.reason}
                </span>
              </>
            ) : null}
            . Every change is refused until the incident commander releases it.
          </p>
          {detailed ? (
            <Link href="/kill-switch" className="font-medium whitespace-nowrap underline underline-offset-2">
              Open the kill switch
            </Link>
          ) : null}
        </div>
      ) : banner.state === "unknown" ? (
        <p className="border-b border-amber-300 bg-amber-50 px-4 py-1.5 text-amber-900">
          The kill switch&apos;s state could not be read ({banner.error}); changes may be refused.
        </p>
      ) : null}
    </div>
  );
}
