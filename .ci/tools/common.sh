# Shared settings of the .ci/tools scripts; sourced, not run.
#
# Everything the scripts make lives under $GOLDMINE_TOOLS (default
# ${XDG_CACHE_HOME:-$HOME/.cache}/goldmine-tools), so that CI keeps it
# between runs and builds only what is missing or out of date:
#   venv/            Python with ROOT, uproot, pyhepmc (.ci/requirements.txt)
#   pythia8-8.311/   Pythia 8 with main42 (prebuilt, or built from source)
#   delphes/         Delphes installed with DelphesHepMC3 (and DelphesPythia8)
#   env.sh           the exports the tests read (written by setup.sh)
# Each part is complete only when its stamp file .goldmine-stamp exists
# and records the same inputs; an interrupted build leaves no stamp and is
# redone.

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
SHARED="${GOLDMINE_SHARED:-$REPO/../shared}"
GOLDMINE_TOOLS="${GOLDMINE_TOOLS:-${XDG_CACHE_HOME:-$HOME/.cache}/goldmine-tools}"
mkdir -p "$GOLDMINE_TOOLS"
GOLDMINE_TOOLS="$(cd "$GOLDMINE_TOOLS" && pwd)"
export GOLDMINE_TOOLS
JOBS="${JOBS:-$(nproc 2>/dev/null || echo 2)}"

say() { echo "tools: $*" >&2; }
die() { echo "tools: error: $*" >&2; exit 1; }

# stamp_ok DIR TEXT: DIR holds a stamp with exactly TEXT.
stamp_ok() { [ -f "$1/.goldmine-stamp" ] && [ "$(cat "$1/.goldmine-stamp")" = "$2" ]; }

# write_stamp DIR TEXT: marks DIR complete.
write_stamp() { printf '%s\n' "$2" > "$1/.goldmine-stamp.tmp" && mv "$1/.goldmine-stamp.tmp" "$1/.goldmine-stamp"; }

# sha FILE: its SHA-256.
sha() { sha256sum "$1" | cut -d' ' -f1; }

# need_deb PKG FILE: installs the Debian package PKG when FILE is missing.
need_deb() {
  [ -e "$2" ] && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    say "installing Debian package $1 (for $2)"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$1" >/dev/null \
      || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$1" >/dev/null; } \
      || die "could not install $1"
  else
    die "$2 is missing: install the Debian package $1"
  fi
}
