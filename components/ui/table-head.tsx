import type { ReactNode } from "react";

/** The column header row of the console's record tables (checklist, decisions, kill switch history). */
export function TableHead({ columns }: { columns: readonly ReactNode[] }) {
  return (
    <thead className="border-b border-zinc-200 bg-zinc-50 text-xs text-zinc-600">
      <tr>
        {columns.map((column, index) => (
          <th key={index} scope="col" className="px-3 py-2 font-medium">
            {column}
          </th>
        ))}
      </tr>
    </thead>
  );
}
