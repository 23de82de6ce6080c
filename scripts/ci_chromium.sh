#!/usr/bin/env bash
# Install Debian's Chromium and its WebDriver (chromium-driver) for the browser tests
# (run as root on Debian 12). Idempotent: does nothing when both are there.
#
#   bash scripts/ci_chromium.sh      # then: chromium --version; chromedriver --version
#
# Selenium drives /usr/bin/chromedriver, the driver built for the same Chromium release;
# Selenium Manager is never asked to download a browser or a driver (there is no network).
set -euo pipefail

log() { echo "ci_chromium: $*" >&2; }

if command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1; then
  log "$(chromium --version 2>/dev/null | head -n 1); $(chromedriver --version | head -n 1)"
  exit 0
fi

log "installing chromium and chromium-driver from Debian packages"
apt-get update >&2
DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium chromium-driver fonts-dejavu-core >&2
log "$(chromium --version 2>/dev/null | head -n 1); $(chromedriver --version | head -n 1)"
