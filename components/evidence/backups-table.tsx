import { formatBytes, formatUtc } from "@/components/ui/format";
import { Command } from "@/components/ui/panels";

const th = "border-b border-zinc-200 px-3 py-2 text-left text-xs font-semibold text-zinc-600";
const td = "border-b border-zinc-100 px-3 py-1.5 whitespace-nowrap";

/** Backups kept by the atomic write, newest first: what `--rollback` restores, in order. */
export function BackupsTable({
  backups,
  rollbackCommand,
}: {
  backups: readonly { name: string; createdAt: Date; size: number }[];
  rollbackCommand: string;
}) {
  return (
    <div className="space-y-2">
      {backups.length === 0 ? (
        <p className="rounded border border-dashed border-zinc-300 bg-white px-3 py-2 text-zinc-600">
          No backups yet: the first update of the manifest keeps the version it replaces.
        </p>
      ) : (
        <div className="overflow-x-auto rounded border border-zinc-200 bg-white">
          <table className="w-full border-collapse text-sm">
            <caption className="sr-only">Manifest backups, newest first</caption>
            <thead className="bg-zinc-50">
              <tr>
                <th scope="col" className={th}>
                  Backup
                </th>
                <th scope="col" className={th}>
                  Kept at (UTC)
                </th>
                <th scope="col" className={`${th} text-right`}>
                  Size
                </th>
              </tr>
            </thead>
            <tbody>
              {backups.map((b, i) => (
                <tr key={b.name}>
                  <td className={`${td} font-mono text-xs`}>
                    {b.name}
                    {i === 0 ? (
                      <span className="block font-sans text-zinc-500">next rollback target</span>
                    ) : null}
                  </td>
                  <td className={`${td} font-mono text-xs`}>
                    <time dateTime={b.createdAt.toISOString()}>{formatUtc(b.createdAt.toISOString())}</time>
                  </td>
                  <td className={`${td} text-right tabular-nums`}>{formatBytes(b.size)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <p className="text-xs text-zinc-600">
        Roll back to the newest backup (repeat to step further back; the restore is atomic too):
      </p>
      <Command>{rollbackCommand}</Command>
    </div>
  );
}
