#!/bin/sh
# Runs the server in the foreground as this very process: builds the browser console when it is missing or stale,
# then replaces the shell with Node.js (the lockfile's; see the README's "Node.js"). A SIGTERM sent to this process
# (a process manager, `docker stop`) therefore reaches the server, which shuts down gracefully. Through `pnpm start`
# alone, pnpm and a shell stand in between: a SIGTERM sent to pnpm ends them and leaves the server running.
# Expects the dependencies installed: `sh scripts/start.sh` installs them, then runs this.
set -eu
cd "$(dirname "$0")/.."
node_bin=$(pnpm exec node -p process.execPath)
"$node_bin" --import tsx scripts/ensure-console.ts
exec "$node_bin" --max-semi-space-size=64 --import tsx apps/server/src/main.ts
