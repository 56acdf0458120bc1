# Sourced by the phase4-*.sh wrappers: finds the project's Node 22 and the bundled CLI.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
NODE="$ROOT/node_modules/.bin/node"
[ -x "$NODE" ] || NODE="$(command -v node)"
export AUDITLOOP_ROOT="${AUDITLOOP_ROOT:-$ROOT}"
CLI="$ROOT/dist/cli/main.mjs"
if [ ! -f "$CLI" ]; then
  echo "error: $CLI is missing; run 'npm ci' (it bundles the CLI)" >&2
  exit 1
fi
