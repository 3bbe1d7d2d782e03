#!/bin/sh
# The whole test suite, from a fresh clone on a fresh machine: `sh scripts/test-all.sh`.
# Installs what is missing (pnpm 10, the workspace's dependencies, Debian's chromium for the browser
# tests), then runs type-check, lint, package boundaries and every test, stopping at the first failure.
# With DATABASE_URL set the tests use that PostgreSQL; without it they use the embedded PGlite.
set -eu

pnpm_version=10.34.9

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

as_root() {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo -n "$@"
  else
    printf 'test-all: need root (or sudo) to run: %s\n' "$*" >&2
    return 1
  fi
}

pnpm_is_10() {
  command -v pnpm >/dev/null 2>&1 && case "$(pnpm --version 2>/dev/null)" in 10.*) true ;; *) false ;; esac
}

# corepack cannot verify pnpm's signature on these machines: install pnpm with npm instead.
if ! pnpm_is_10; then
  step "install pnpm" npm install -g "pnpm@$pnpm_version"
fi

step "install dependencies" pnpm install --frozen-lockfile

if [ ! -x /usr/bin/chromium ]; then
  banner "install chromium (browser tests)"
  { as_root apt-get update && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y chromium; } ||
    fail "install chromium"
fi

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
