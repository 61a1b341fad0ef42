#!/usr/bin/env bash
# Makes $GOLDMINE_TOOLS/venv: a Python virtual environment with the exact
# packages of .ci/requirements.txt (ROOT, uproot, pyhepmc), from the Python
# package index. Skipped when the venv already has them.
#
#   .ci/tools/venv.sh            # prints the venv's python on stdout
#
# PYTHON is the interpreter the venv is made from (default /usr/bin/python3:
# the ROOT wheel is built for the CPython version, 3.11 on Debian 12).
set -euo pipefail
. "$(dirname "$0")/common.sh"

VENV="$GOLDMINE_TOOLS/venv"
PYTHON="${PYTHON:-/usr/bin/python3}"
REQ="$REPO/.ci/requirements.txt"
stamp="python=$("$PYTHON" -c 'import sys; print(sys.version.split()[0])') requirements=$(sha "$REQ")"

if stamp_ok "$VENV" "$stamp" && [ -x "$VENV/bin/python" ]; then
  say "venv cached: $VENV"
else
  start=$SECONDS
  rm -f "$VENV/.goldmine-stamp"
  if [ ! -x "$VENV/bin/python" ]; then
    if ! "$PYTHON" -c 'import ensurepip' 2>/dev/null; then
      v=$("$PYTHON" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
      need_deb "python$v-venv" "/usr/lib/python$v/ensurepip/__init__.py"
    fi
    "$PYTHON" -m venv "$VENV" || die "could not create $VENV (Debian package python3-venv?)"
  fi
  say "installing .ci/requirements.txt into $VENV"
  "$VENV/bin/python" -m pip install -q --disable-pip-version-check --pre -r "$REQ" >&2 \
    || die "pip install -r $REQ failed"
  "$VENV/bin/python" -c 'import ROOT, uproot, pyhepmc' >&2 || die "the venv cannot import ROOT, uproot and pyhepmc"
  write_stamp "$VENV" "$stamp"
  say "venv ready in $((SECONDS - start)) s: $VENV"
fi
echo "$VENV/bin/python"
