#!/usr/bin/env bash
# Sets up what a fresh machine lacks, then runs every test: pytest (SQLite, and PostgreSQL when
# LABELBRIDGE_TEST_POSTGRES_URL is set), the extension's unit tests, and the end-to-end tests in
# Debian's Chromium. Usage: bash tests/run.sh [extra pytest arguments]
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v chromium >/dev/null 2>&1 || ! command -v wrk >/dev/null 2>&1; then
  echo "== installing Debian's chromium and wrk"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium wrk >/dev/null
fi

echo "== python packages"
python3 -m pip install -q --disable-pip-version-check -e '.[test]'

echo "== node packages"
(cd extension && npm ci --no-audit --no-fund --loglevel=error)

echo "== lint and format (ruff)"
python3 -m ruff check .
python3 -m ruff format --check .

echo "== extension lint (ESLint) and unit tests (vitest)"
(cd extension && npm test)

echo "== HTTP benchmark, as a smoke test (a second a scenario; the figures: tests/benchmarks/README.md)"
(cd tests/benchmarks && python3 bench_http.py --smoke >/dev/null)

echo "== python tests (pytest)"
python3 -m pytest "$@"
