#!/bin/sh
# Installs Debian's Chromium for the browser tests (test/browser) when /usr/bin/chromium is missing.
# Non-interactive; needs root (CI machines run as root). playwright-core drives it; it cannot download browsers here.
set -eu
if [ -x /usr/bin/chromium ]; then
  exit 0
fi
if [ "$(id -u)" != "0" ]; then
  echo "ensure-chromium: /usr/bin/chromium is missing and installing it needs root: apt-get install chromium" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends chromium fonts-liberation >/dev/null
/usr/bin/chromium --version
