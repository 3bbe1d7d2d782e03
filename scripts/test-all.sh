#!/bin/sh
# The whole test suite, from a fresh clone on a fresh machine: `sh scripts/test-all.sh`.
# Installs what is missing (pnpm 10, the workspace's dependencies), then runs type-check, lint, package boundaries and every test, stopping at the first failure.
# With DATABASE_URL set the tests use that PostgreSQL; without it they use the embedded PGlite.
set -eu

cd "$(dirname "$0")/.."

banner() {
  printf '\n==== %s ====\n' "$*"
}

fail() {
  printf '\n!!!! test-all: FAILED at step "%s" !!!!\n' "$1" >&2
  exit 1
}

# Runs one named step; on failure stops everything with a banner naming the step.
step() {
  name="$1"
  shift
  banner "$name: $*"
  "$@" || fail "$name"
}

banner "install: pnpm and the workspace dependencies"
. scripts/ensure-pnpm.sh || fail "install"

banner "install: Chromium for the browser tests (Debian's package, when missing)"
sh scripts/ensure-chromium.sh || fail "install chromium"

if [ -n "${DATABASE_URL:-}" ]; then
  banner "database: PostgreSQL from DATABASE_URL"
else
  banner "database: embedded PGlite (DATABASE_URL is not set)"
fi

step "typecheck" pnpm typecheck
step "lint" pnpm lint
step "boundaries" pnpm boundaries
step "tests" pnpm vitest run

banner "test-all: all steps passed"
