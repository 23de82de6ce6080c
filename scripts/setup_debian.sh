#!/usr/bin/env bash
# The programs baocao and its tests use, from Debian's packages (run as root on Debian 12):
#   scripts/ci_formats.sh    Tesseract OCR with Vietnamese data, LibreOffice Writer and Calc (no GUI), fonts
#   scripts/ci_chromium.sh   Chromium and chromium-driver (the browser tests of the review app and audit report)
# PostgreSQL for the storage tests is scripts/ci_postgres.sh (it starts a server; see README).
set -euo pipefail
cd "$(dirname "$0")"
bash ci_formats.sh
bash ci_chromium.sh
