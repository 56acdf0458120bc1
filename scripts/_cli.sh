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
# Short-lived commands: the compiled JavaScript is cached between runs (Node's compile cache), and
# the embedded database's WASM runs on V8's baseline compiler only. Optimising PGlite's hot
# functions costs ~0.4 s of CPU at start-up, more than a command's few queries win back (the
# observer report, DESIGN §11); a first mirror of 100,000 runs takes ~15 s instead of ~12 s.
export NODE_COMPILE_CACHE="${NODE_COMPILE_CACHE:-$ROOT/node_modules/.cache/auditloop-cli}"
NODE_ARGS=(--liftoff-only)
