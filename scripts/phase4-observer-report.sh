#!/usr/bin/env bash
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/_cli.sh"
# A larger young generation: parsing a 100,000-run RUNS_SUMMARY.json otherwise spends a sixth of
# its time in scavenges (DESIGN §11: the report in under 1.5 s).
exec "$NODE" "${NODE_ARGS[@]}" --max-semi-space-size=64 "$CLI" observer-report "$@"
