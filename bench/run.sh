#!/bin/sh
# Installs @amida-tech/blue-button into bench/.npm (ignored by git and, being
# a dot directory, by the go tool) and compares it with Kinfolio's C-CDA
# reader on the sample corpus. Needs Go and Node.js (>= 18) with npm.
# Usage: bench/run.sh [repetitions]
set -eu
cd "$(dirname "$0")"
mkdir -p .npm
cp package.json package-lock.json .npm/
(cd .npm && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
cd ..
node bench/compare.mjs "importers/ccda/testdata/corpus" "${1:-20}"
