import type { Metadata } from "next";
import { PlaceholderView } from "@/components/shell/placeholder-view";

export const metadata: Metadata = { title: "Secrets" };

export default function Page() {
  return <PlaceholderView href="/secrets" />;
}
