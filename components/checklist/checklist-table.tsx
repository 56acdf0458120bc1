"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition, type FormEvent } from "react";
import { formatUtc } from "@/components/ui/format";
import { setChecklistStep } from "@/lib/web/actions/set-checklist-step";
import { TableHead } from "@/components/ui/table-head";

/** One step as the page shows it: plain data, prepared on the server. */
export interface ChecklistRow {
  step: number;
  title: string;
  role: string;
  checked: boolean;
  source: "manual" | "auto" | null;
  by: string | null;
  at: string | null;
  note: string | null;
  /** "verified from …", "not verified: …", "verifiable once … lands" or "manual". */
  verification: string;
  verified: boolean;
  /** The signed-in person may set this step (the server checks again). */
  editable: boolean;
}

/**
 * The twelve steps with a tick/untick control on the rows the signed-in role may set. Results and
 * refusals are announced in one live region; the page re-reads the server after a change.
 */
export function ChecklistTable({ rows }: { rows: ChecklistRow[] }) {
  const router = useRouter();
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [pending, startTransition] = useTransition();
  const anyEditable = rows.some((r) => r.editable);

  function submit(row: ChecklistRow, event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const note = String(new FormData(form).get("note") ?? "");
    startTransition(async () => {
      const result = await setChecklistStep({ step: row.step, checked: !row.checked, note });
      if (!result.ok) {
        setMessage({ ok: false, text: `Step ${row.step} not changed: ${result.error}` });
        return;
      }
      const { step, warning } = result.data;
      const state = step.checked
        ? step.source === "auto"
          ? "ticked (verified from the evidence)"
          : "ticked"
        : "unticked";
      setMessage({ ok: warning === null, text: `Step ${row.step} ${state}.${warning ? ` ${warning}` : ""}` });
      form.reset();
      router.refresh();
    });
  }

  return (
    <>
      <p
        role="status"
        aria-live="polite"
        data-testid="checklist-result"
        className={`mb-2 min-h-5 text-sm ${message?.ok === false ? "text-red-800" : "text-emerald-800"}`}
      >
        {message?.text ?? ""}
      </p>
      <div className="overflow-x-auto rounded border border-zinc-200 bg-white">
        <table className="w-full border-collapse text-left text-sm">
          <caption className="sr-only">Handbook checklist, steps 1 to 12 in running order</caption>
          <TableHead
            columns={[
              "#",
              "Step",
              "Role",
              "Status",
              "By · when (UTC)",
              "Note",
              "Verification",
              ...(anyEditable ? ["Change"] : []),
            ]}
          />
          <tbody>
            {rows.map((row) => (
              <tr key={row.step} className="border-b border-zinc-100 align-top last:border-0">
                <th scope="row" className="px-3 py-2 font-mono text-zinc-700 tabular-nums">
                  {row.step}
                </th>
                <td className="px-3 py-2 text-zinc-900">{row.title}</td>
                <td className="px-3 py-2 text-zinc-700">{row.role}</td>
                <td className="px-3 py-2">
                  <StepStatus row={row} />
                </td>
                <td className="px-3 py-2 text-zinc-700">
                  {row.by ? (
                    <>
                      <span className="block">{row.by}</span>
                      {row.at ? (
                        <span className="block text-xs text-zinc-500">{formatUtc(row.at)}</span>
                      ) : null}
                    </>
                  ) : (
                    <span className="text-zinc-400">–</span>
                  )}
                </td>
                <td className="max-w-40 px-3 py-2 break-words text-zinc-700">{row.note ?? ""}</td>
                <td
                  className={`max-w-60 px-3 py-2 text-xs ${row.verified ? "text-emerald-800" : "text-zinc-600"}`}
                >
                  {row.verification}
                </td>
                {anyEditable ? (
                  <td className="px-3 py-2">
                    {row.editable ? (
                      <form onSubmit={(e) => submit(row, e)} className="flex items-center gap-1.5">
                        <input
                          name="note"
                          aria-label={`Note for step ${row.step}`}
                          aria-required={row.checked && row.verified ? true : undefined}
                          placeholder={row.checked && row.verified ? "why (required)" : "note (optional)"}
                          maxLength={500}
                          className="h-7 w-28 rounded border border-zinc-300 px-2 text-xs"
                        />
                        <button
                          type="submit"
                          disabled={pending}
                          aria-label={`${row.checked ? "Untick" : "Tick"} step ${row.step}`}
                          className="h-7 rounded border border-zinc-300 bg-white px-2 text-xs font-medium text-zinc-800 hover:bg-zinc-50 disabled:opacity-50"
                        >
                          {row.checked ? "Untick" : "Tick"}
                        </button>
                      </form>
                    ) : null}
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

function StepStatus({ row }: { row: ChecklistRow }) {
  const base = "inline-flex items-center gap-1 rounded border px-1.5 py-px text-xs whitespace-nowrap";
  if (!row.checked) {
    return (
      <span className={`${base} border-zinc-300 bg-white text-zinc-700`}>
        <span aria-hidden="true">○</span>open{row.source === "manual" ? " (unticked)" : ""}
      </span>
    );
  }
  return (
    <span className={`${base} border-emerald-200 bg-emerald-50 text-emerald-800`}>
      <span aria-hidden="true">✓</span>
      {row.source === "auto" ? "done (auto)" : "done"}
    </span>
  );
}
