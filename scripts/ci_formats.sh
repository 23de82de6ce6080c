#!/usr/bin/env bash
# Install the programs baocao reads archive formats with, from Debian's packages (run as root on Debian 12):
#   Tesseract OCR with its Vietnamese data   scanned PDFs (baocao/ingest/ocr.py)
#   LibreOffice Writer and Calc, no GUI      .doc, .rtf, .odt, .xls (baocao/ingest/office.py)
#   fonts-liberation2                        metric-compatible Times New Roman/Arial for the conversions
#
#   bash scripts/ci_formats.sh
#
# Idempotent: installs only what is missing, then checks that each program answers.
set -euo pipefail

log() { echo "ci_formats: $*" >&2; }

need=()
command -v tesseract >/dev/null 2>&1 || need+=(tesseract-ocr)
[ -e /usr/share/tesseract-ocr/5/tessdata/vie.traineddata ] || ls /usr/share/tesseract-ocr/*/tessdata/vie.traineddata >/dev/null 2>&1 || need+=(tesseract-ocr-vie)
command -v soffice >/dev/null 2>&1 || need+=(libreoffice-writer-nogui libreoffice-calc-nogui)
dpkg -s libreoffice-calc-nogui >/dev/null 2>&1 || dpkg -s libreoffice-calc >/dev/null 2>&1 || need+=(libreoffice-calc-nogui)
dpkg -s fonts-liberation2 >/dev/null 2>&1 || need+=(fonts-liberation2)

if [ ${#need[@]} -gt 0 ]; then
  log "installing ${need[*]}"
  apt-get update >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${need[@]}" >&2
fi

tesseract --list-langs 2>/dev/null | grep -qx vie || { log "tesseract has no Vietnamese data (vie)"; exit 1; }
log "$(tesseract --version 2>&1 | head -n 1), languages: $(tesseract --list-langs 2>/dev/null | tail -n +2 | tr '\n' ' ')"
log "$(soffice --version 2>/dev/null | head -n 1)"
