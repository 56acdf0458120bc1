import type { Metadata } from "next";
import { PlaceholderView } from "@/components/shell/placeholder-view";
import { Command } from "@/components/ui/panels";

export const metadata: Metadata = { title: "Collect" };

export default function Page() {
  return (
    <PlaceholderView href="/collect">
      <p>Until then, the two steps after a download run from a terminal:</p>
      <Command>{"scripts/phase4-sha-compare.sh --help\nscripts/phase4-manifest-atomic.sh --help"}</Command>
    </PlaceholderView>
  );
}
