#!/bin/sh
# README line 1: installs what is missing, then starts Ringmaster on its embedded default (PGlite in ./.data,
# simulated carrier, demo tenant). Set DATABASE_URL / TELNYX_* to change that; see the README's configuration table.
set -eu
cd "$(dirname "$0")/.."
. scripts/ensure-pnpm.sh
exec sh scripts/serve.sh
