#!/bin/sh
# Installs @amida-tech/blue-button into bench/node_modules (ignored by git)
# and compares it with Kinfolio's C-CDA reader on the sample corpus.
# Needs Go and Node.js (>= 18) with npm. Usage: bench/run.sh [repetitions]
set -eu
cd "$(dirname "$0")"
npm install --no-audit --no-fund --loglevel=error >/dev/null
cd ..
node bench/compare.mjs "importers/ccda/testdata/corpus" "${1:-20}"
