#!/usr/bin/env bash
# Sets up what a fresh machine lacks, then runs every test: pytest (SQLite, and PostgreSQL when
# LABELBRIDGE_TEST_POSTGRES_URL is set), the extension's unit tests, and the end-to-end tests in
# Debian's Chromium. Usage: bash tests/run.sh [extra pytest arguments, given to both passes]
# pytest runs in two passes: every test but the serial ones on LABELBRIDGE_TEST_WORKERS xdist
# workers (default: one more than the cores), then the serial ones alone (tests/conftest.py says
# which).
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

# The tests' temporary folders (their SQLite databases, instance folders, browser profiles) in
# memory when the machine has /dev/shm: a commit then waits for no disk. Each pass gets a folder of
# its own (pytest empties its --basetemp when it starts), removed at the end.
temp_root="$(mktemp -d "$( [ -d /dev/shm ] && echo /dev/shm || echo "${TMPDIR:-/tmp}" )/labelbridge-tests.XXXXXX")"
trap 'rm -rf "$temp_root"' EXIT

# A pass that selects nothing (extra arguments naming only tests of the other pass) is no failure.
failed=0
pass_status() { [ "$1" -eq 0 ] || [ "$1" -eq 5 ] || failed=1; }

echo "== python tests (pytest), in parallel: all but the serial tests"
status=0
# --dist loadscope: a module's tests stay on one worker, in order, so a module-scoped fixture is
# made once and tests that build on the ones before them (tests/security: the probes store the
# secrets a restart with another key must then refuse) still find them. --no-loadscope-reorder:
# the modules go out in the order tests/conftest.py gives them, the longest first.
# One worker more than the cores: the tests wait on browsers, servers and their own processes, and
# with one a core the cores were idle a quarter of the pass (2 cores: 260 s on 2 workers, 230 s on 3).
python3 -m pytest -n "${LABELBRIDGE_TEST_WORKERS:-$(($(nproc) + 1))}" --dist loadscope --no-loadscope-reorder --skip-serial \
  --basetemp "$temp_root/parallel" --durations=25 "$@" || status=$?
pass_status "$status"

echo "== python tests (pytest), the serial tests alone: the suites measured against the clock (rate limits, budgets)"
status=0
python3 -m pytest --only-serial --basetemp "$temp_root/serial" --durations=10 "$@" || status=$?
pass_status "$status"
exit "$failed"
