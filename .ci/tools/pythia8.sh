#!/usr/bin/env bash
# Makes $GOLDMINE_TOOLS/pythia8-8.311: Pythia 8.311 with its example main42
# (shower an LHE file, write HepMC3), from ../shared/tools/pythia8.
#
#   .ci/tools/pythia8.sh          # prints the Pythia 8 folder on stdout
#
# It unpacks the prebuilt tarball (Debian 12, x86_64) and checks that
# main42 starts. Where it does not (another system), or with
# PYTHIA8_FROM_SOURCE=1, it builds Pythia 8 from the source tarball
# instead (about 6.5 min on 2 cores): ./configure --with-hepmc3=/usr.
# main42 needs Debian's libhepmc3-dev (installed here when running as root).
set -euo pipefail
. "$(dirname "$0")/common.sh"

DEST="$GOLDMINE_TOOLS/pythia8-8.311"
PREBUILT="${PYTHIA8_TARBALL:-$SHARED/tools/pythia8/pythia8-8.311-debian12-x86_64.tar.gz}"
SOURCE="${PYTHIA8_SOURCE:-$SHARED/tools/pythia8/pythia8311-src.tar.gz}"
FROM_SOURCE="${PYTHIA8_FROM_SOURCE:-0}"

need_deb libhepmc3-dev /usr/include/HepMC3/GenEvent.h

# main42 with no arguments prints its usage and exits 1; a missing
# library makes the loader fail with 127.
works() {
  local out rc=0
  out=$("$1/bin/main42" 2>&1) || rc=$?
  [ "$rc" = 1 ] && grep -q "Unexpected number of command-line arguments" <<<"$out"
}

if [ "$FROM_SOURCE" = 1 ]; then
  [ -f "$SOURCE" ] || die "no Pythia 8 source at $SOURCE"
  stamp="source=$(sha "$SOURCE")"
else
  [ -f "$PREBUILT" ] || die "no Pythia 8 tarball at $PREBUILT"
  stamp="prebuilt=$(sha "$PREBUILT")"
fi
if stamp_ok "$DEST" "$stamp" && works "$DEST"; then
  say "Pythia 8 cached: $DEST"
  echo "$DEST"
  exit 0
fi

start=$SECONDS
rm -rf "$DEST" "$DEST.tmp"
if [ "$FROM_SOURCE" != 1 ]; then
  mkdir -p "$DEST.tmp"
  tar xzf "$PREBUILT" -C "$DEST.tmp"
  if works "$DEST.tmp/pythia8-8.311"; then
    mv "$DEST.tmp/pythia8-8.311" "$DEST"
    rm -rf "$DEST.tmp"
  else
    say "the prebuilt main42 does not start here:"
    "$DEST.tmp/pythia8-8.311/bin/main42" 2>&1 | head -3 >&2 || true
    rm -rf "$DEST.tmp"
    [ -f "$SOURCE" ] || die "and there is no Pythia 8 source at $SOURCE to build"
    FROM_SOURCE=1
    stamp="source=$(sha "$SOURCE")"
  fi
fi
if [ "$FROM_SOURCE" = 1 ]; then
  command -v rsync >/dev/null || need_deb rsync /usr/bin/rsync
  build="$GOLDMINE_TOOLS/pythia8-build"
  rm -rf "$build" && mkdir -p "$build"
  tar xzf "$SOURCE" -C "$build"
  src=$(find "$build" -maxdepth 2 -name configure -printf '%h\n' | head -1)
  say "building Pythia 8 from $SOURCE (log $build/build.log)"
  ( cd "$src" && ./configure --prefix="$DEST" --with-hepmc3=/usr && make -j"$JOBS" && make install ) > "$build/build.log" 2>&1 \
    || { tail -20 "$build/build.log" >&2; die "Pythia 8 build failed (log $build/build.log)"; }
  # main42 is an example: build it against the installed library.
  g++ -O2 -std=c++17 "$src/examples/main42.cc" -o "$DEST/bin/main42" \
    -I"$DEST/include" -L"$DEST/lib" -Wl,-rpath,'$ORIGIN/../lib' -lpythia8 -lHepMC3 -ldl \
    >> "$build/build.log" 2>&1 || { tail -20 "$build/build.log" >&2; die "main42 build failed"; }
  works "$DEST" || die "the main42 built from source does not start"
  rm -rf "$build"
fi
write_stamp "$DEST" "$stamp"
say "Pythia 8 ready in $((SECONDS - start)) s: $DEST"
echo "$DEST"
