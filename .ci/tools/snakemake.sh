#!/usr/bin/env bash
# Makes the Python environments of the workflow tests, each only when its
# cached copy is missing or out of date:
#   $GOLDMINE_TOOLS/snakemake-venv   Snakemake 9 and its executor plugins (.ci/requirements-snakemake.txt)
#   $GOLDMINE_TOOLS/reana-venv       reana-client (.ci/requirements-reana.txt)
# and prints the two programs, one a line: snakemake, reana-client.
# Snakemake 7 comes from Debian (/usr/bin/snakemake), installed by .ci/run.
# First run here (2 cores): about 40 s and 60 s; a cached run under 1 s.
set -euo pipefail
. "$(dirname "$0")/common.sh"

PYTHON="${PYTHON:-/usr/bin/python3}"

# venv NAME REQUIREMENTS CHECK: makes $GOLDMINE_TOOLS/NAME from the file,
# then runs the import check CHECK with its python.
venv() {
  local dir="$GOLDMINE_TOOLS/$1" req="$REPO/$2" check=$3 stamp start
  stamp="python=$("$PYTHON" -c 'import sys; print(sys.version.split()[0])') requirements=$(sha "$req")"
  if stamp_ok "$dir" "$stamp" && [ -x "$dir/bin/python" ]; then
    say "$1 cached: $dir"
    return 0
  fi
  start=$SECONDS
  rm -f "$dir/.goldmine-stamp"
  if [ ! -x "$dir/bin/python" ]; then
    "$PYTHON" -m venv "$dir" || die "could not create $dir (Debian package python3-venv?)"
  fi
  say "installing $2 into $dir"
  "$dir/bin/python" -m pip install -q --disable-pip-version-check -r "$req" >&2 || die "pip install -r $req failed"
  "$dir/bin/python" -c "$check" >&2 || die "$dir fails the check: $check"
  write_stamp "$dir" "$stamp"
  say "$1 ready in $((SECONDS - start)) s"
}

venv snakemake-venv .ci/requirements-snakemake.txt \
  'import snakemake, snakemake_executor_plugin_slurm, snakemake_executor_plugin_htcondor, snakemake_executor_plugin_cluster_generic'
venv reana-venv .ci/requirements-reana.txt 'import reana_client'
echo "$GOLDMINE_TOOLS/snakemake-venv/bin/snakemake"
echo "$GOLDMINE_TOOLS/reana-venv/bin/reana-client"
