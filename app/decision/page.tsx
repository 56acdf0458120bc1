import type { Metadata } from "next";
import { PlaceholderView } from "@/components/shell/placeholder-view";

export const metadata: Metadata = { title: "Go/No-Go" };

export default function Page() {
  return <PlaceholderView href="/decision" />;
}
