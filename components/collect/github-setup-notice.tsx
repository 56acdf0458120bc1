/**
 * Collection needs GitHub settings this server does not have: names them (never a value) and
 * where to set them, so an operator knows what to ask for.
 */
export function GitHubSetupNotice({ missing }: { missing: readonly string[] }) {
  return (
    <div
      role="note"
      className="mb-4 max-w-3xl rounded border border-amber-300 bg-amber-50 px-4 py-3 text-amber-950"
    >
      <p className="font-medium">GitHub is not configured: collection cannot start.</p>
      <p className="mt-1">
        Missing setting{missing.length === 1 ? "" : "s"}:{" "}
        {missing.map((name, i) => (
          <span key={name}>
            {i > 0 ? ", " : ""}
            <code className="font-mono text-[13px]">{name}</code>
          </span>
        ))}
        . Set {missing.length === 1 ? "it" : "them"} in the server&apos;s environment (see .env.example), with{" "}
        <code className="font-mono text-[13px]">GITHUB_API_URL</code> for GitHub Enterprise Server, and
        restart the dashboard. The Secrets view checks them.
      </p>
    </div>
  );
}
