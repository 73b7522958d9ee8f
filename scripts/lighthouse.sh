#!/usr/bin/env bash
# Lighthouse 12 (12.2.3: version 13 needs Node 22) on the demo's main signed-in pages, mobile preset by
# default (scripts/lighthouse.py --help for the options). Installs Lighthouse in a temporary folder, never
# in the checkout; uses Debian's chromium. Not run in CI: the figures depend on the machine.
set -euo pipefail
cd "$(dirname "$0")/.."
folder="$(mktemp -d)"
trap 'rm -rf "$folder"' EXIT
(cd "$folder" && npm i --silent --no-audit --no-fund -E lighthouse@12.2.3 >/dev/null)
export CHROME_PATH="${CHROME_PATH:-/usr/bin/chromium}"
LIGHTHOUSE="$folder/node_modules/.bin/lighthouse" "${PYTHON:-.venv/bin/python}" scripts/lighthouse.py "$@"
