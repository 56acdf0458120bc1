import type { SecretCheckItem } from "@/lib/control/secrets-check";
import { TableHead } from "@/components/ui/table-head";

/** Word and glyph beside the colour (WCAG 1.4.1), as the other badges do. */
const base = "inline-flex items-center gap-1 rounded border px-1.5 py-px text-xs leading-4 whitespace-nowrap";
const PRESENCE = {
  present: { glyph: "✓", className: "border-emerald-200 bg-emerald-50 text-emerald-800" },
  missingRequired: { glyph: "✕", className: "border-red-200 bg-red-50 text-red-800" },
  missingRecommended: { glyph: "–", className: "border-amber-300 bg-amber-50 text-amber-900" },
} as const;

function Presence({ item }: { item: SecretCheckItem }) {
  const look =
    item.status === "present"
      ? PRESENCE.present
      : item.requirement === "required"
        ? PRESENCE.missingRequired
        : PRESENCE.missingRecommended;
  return (
    <span className={`${base} ${look.className}`}>
      <span aria-hidden="true">{look.glyph}</span>
      {item.status}
    </span>
  );
}

const td = "border-t border-zinc-100 px-3 py-1.5 align-top";

/** Every checked setting: required or recommended and why, present or missing. Never a value. */
export function SecretsTable({ items }: { items: readonly SecretCheckItem[] }) {
  return (
    <div className="overflow-x-auto rounded border border-zinc-200 bg-white">
      <table className="w-full border-collapse text-left text-sm">
        <caption className="sr-only">Settings the loop needs: requirement and presence, never values</caption>
        <TableHead columns={["Setting", "Requirement", "Status", "Why"]} />
        <tbody>
          {items.map((item) => (
            <tr key={item.name}>
              <th scope="row" className={`${td} font-mono text-xs font-medium text-zinc-900`}>
                {item.name}
              </th>
              <td
                className={`${td} ${item.requirement === "required" ? "font-medium text-zinc-900" : "text-zinc-600"}`}
              >
                {item.requirement}
              </td>
              <td className={td}>
                <Presence item={item} />
              </td>
              <td className={`${td} text-zinc-600`}>{item.why}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
