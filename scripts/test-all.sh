#!/usr/bin/env bash
# Install everything and run the whole test suite (the README's test command):
#
#   bash scripts/test-all.sh [pytest arguments...]     (ZHIFA_TEST_WORKERS=N: N pytest workers, default 2)
#
# As root it first installs the Debian packages, fonts and unoserver (scripts/setup-system.sh).
# Then it creates or reuses .venv with python3 from PATH (or $PYTHON), installs the project with its
# test extras, and runs pytest over tests/ (or over what the arguments name). PostgreSQL and S3 are
# started by the test session itself (tests/services/). Exits non-zero if anything fails, including
# when no test ran.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
started=$SECONDS
python="${PYTHON:-python3}"

say() { echo "[test-all] $*"; }

if [ "$(id -u)" -eq 0 ]; then
    bash scripts/setup-system.sh
else
    say "not root: skipping system packages (run 'sudo bash scripts/setup-system.sh' once)"
fi

if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
    say "$python is $("$python" --version 2>&1); Python 3.11 or newer is needed (set PYTHON=...)" >&2
    exit 1
fi
if ! .venv/bin/python -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
    say "creating .venv with $("$python" --version 2>&1)"
    rm -rf .venv
    "$python" -m venv .venv
fi
say "installing the project and its test extras into .venv"
# (the grep drops pip's notes about this machine's optional local package mirrors)
if ! .venv/bin/python -m pip install -q -e '.[test]' 2>&1 \
    | { grep -v 'is ignored: it is neither a file nor a directory' || true; }; then
    say "FAILED: pip install -e '.[test]'" >&2
    exit 1
fi

if [ "$#" -eq 0 ]; then
    say "ruff: pyflakes checks and import order"
    .venv/bin/ruff check engine bpmn documents api tests bench
    set -- tests
fi
# Two worker processes by default (ZHIFA_TEST_WORKERS=0 runs in this process): each starts its own PostgreSQL,
# S3 server, LibreOffice and Chromium, and every test has its own database, bucket and data directory.
workers="${ZHIFA_TEST_WORKERS:-2}"
say "running pytest on $workers workers: $*"
status=0
.venv/bin/python -m pytest -n "$workers" --durations=15 "$@" || status=$?

elapsed=$((SECONDS - started))
case "$status" in
    0) say "all tests passed (${elapsed}s)" ;;
    5) say "FAILED: pytest collected no tests (${elapsed}s)" >&2; exit 1 ;;
    *) say "FAILED: pytest exited with status $status (${elapsed}s)" >&2 ;;
esac
exit "$status"
