import type { Metadata } from "next";
import { connection } from "next/server";
import type { ReactNode } from "react";
import { KillSwitchBanner } from "@/components/kill-switch/kill-switch-banner";
import { LiveKillSwitchBanner } from "@/components/kill-switch/live-kill-switch-banner";
import { LiveUpdates } from "@/components/live/live-updates";
import { Providers } from "@/components/providers";
import { AppHeader } from "@/components/shell/app-header";
import { Sidebar } from "@/components/shell/sidebar";
import { getKillSwitchBanner } from "@/lib/web/kill-switch-state";
import { getSessionActor } from "@/lib/web/session";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Auditloop", template: "%s · Auditloop" },
  description: "Ops console for the automated CI audit and self-heal loop",
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Request time only (never at build), so the catch below cannot swallow Next's dynamic bail-out.
  await connection();
  // The banner is read here, on the server, for every page; live updates re-render it.
  const [banner, actor] = await Promise.all([getKillSwitchBanner(), getSessionActor().catch(() => null)]);
  return (
    <html lang="en">
      <body className="min-h-screen bg-zinc-50 font-sans text-sm text-zinc-900 antialiased">
        <Providers>
          <a
            href="#main"
            className="sr-only rounded bg-accent-700 px-3 py-2 text-white focus:not-sr-only focus:absolute focus:top-2 focus:left-2 focus:z-50"
          >
            Skip to content
          </a>
          <AppHeader />
          {actor ? (
            <LiveKillSwitchBanner initial={banner} />
          ) : (
            <KillSwitchBanner banner={banner} detailed={false} />
          )}
          <div className="flex min-h-[calc(100vh-3rem)]">
            {/* Signed out, the navigation would only lead back to the sign-in form. */}
            {actor ? <Sidebar /> : null}
            <main id="main" tabIndex={-1} className="min-w-0 flex-1 px-6 py-5 focus:outline-none">
              {children}
            </main>
          </div>
          {actor ? <LiveUpdates /> : null}
        </Providers>
      </body>
    </html>
  );
}
