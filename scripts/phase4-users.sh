#!/usr/bin/env bash
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/_cli.sh"
exec "$NODE" "${NODE_ARGS[@]}" "$CLI" users "$@"
