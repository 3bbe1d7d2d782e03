#!/bin/sh
# Makes sure pnpm 10 is on the PATH (corepack cannot verify pnpm's signature on these machines, so npm installs it),
# then installs the workspace's dependencies from the lockfile. Sourced by start.sh and test-all.sh.
pnpm_version=10.34.9
if ! { command -v pnpm >/dev/null 2>&1 && case "$(pnpm --version 2>/dev/null)" in 10.*) true ;; *) false ;; esac; }; then
  echo "installing pnpm $pnpm_version with npm"
  npm install -g "pnpm@$pnpm_version" || exit 1
fi
pnpm install --frozen-lockfile || exit 1
