#!/usr/bin/env bash
# Makes the shower and detector tools of the chain tests, each only when
# its cached copy is missing or out of date (see common.sh), and writes
# $GOLDMINE_TOOLS/env.sh with the exports the tests read:
#
#   .ci/tools/setup.sh && . "${GOLDMINE_TOOLS:-$HOME/.cache/goldmine-tools}/env.sh"
#
#   GOLDMINE_TOOLS_PYTHON  Python with ROOT, uproot and pyhepmc
#   GOLDMINE_PYTHIA8       Pythia 8 folder (bin/main42)
#   PYTHIA8DATA            its data files
#   GOLDMINE_DELPHES       Delphes folder (bin/DelphesHepMC3, cards/)
#   GOLDMINE_SNAKEMAKE     Snakemake 9 with the slurm, htcondor and cluster-generic executors
#   GOLDMINE_REANA_CLIENT  reana-client (checks reana.yaml)
#
# First run here (2 cores): venv 19 s, Pythia 8 unpacked in 1 s, Delphes
# 7 min of CPU (7.5 min wall on a quiet machine, 20 min when shared); a
# cached run takes under a second.
set -euo pipefail
. "$(dirname "$0")/common.sh"
dir="$(dirname "$0")"
# One setup at a time per cache: a second CI job waits for the first.
exec 9> "$GOLDMINE_TOOLS/.lock"
flock 9

py="$("$dir/venv.sh")"
pythia="$("$dir/pythia8.sh")"
delphes="$("$dir/delphes.sh")"
workflow_tools="$("$dir/snakemake.sh")"
snakemake="$(sed -n 1p <<<"$workflow_tools")"
reana="$(sed -n 2p <<<"$workflow_tools")"

cat > "$GOLDMINE_TOOLS/env.sh.tmp" <<EOF
export GOLDMINE_TOOLS='$GOLDMINE_TOOLS'
export GOLDMINE_TOOLS_PYTHON='$py'
export GOLDMINE_PYTHIA8='$pythia'
export PYTHIA8DATA='$pythia/share/Pythia8/xmldoc'
export GOLDMINE_DELPHES='$delphes'
export GOLDMINE_SNAKEMAKE='$snakemake'
export GOLDMINE_REANA_CLIENT='$reana'
EOF
mv "$GOLDMINE_TOOLS/env.sh.tmp" "$GOLDMINE_TOOLS/env.sh"
say "environment in $GOLDMINE_TOOLS/env.sh"
