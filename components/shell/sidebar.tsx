import { NavLinks } from "./nav-links";
import { VIEWS } from "./views";

export function Sidebar() {
  // Only what the client link list needs crosses to the browser, not the summaries.
  const links = VIEWS.map(({ href, label, group, arrivesWith }) => ({ href, label, group, arrivesWith }));
  return (
    <nav aria-label="Main" className="w-48 shrink-0 border-r border-zinc-200 bg-white px-2 py-4">
      <NavLinks views={links} />
    </nav>
  );
}
