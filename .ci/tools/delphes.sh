#!/usr/bin/env bash
# Makes $GOLDMINE_TOOLS/delphes: Delphes built with CMake against the ROOT
# wheel of the venv (.ci/tools/venv.sh), with DelphesHepMC3 and, when
# Pythia 8 is there (.ci/tools/pythia8.sh), DelphesPythia8.
#
#   .ci/tools/delphes.sh          # prints the Delphes folder on stdout
#
# The build is redone only when an input changed: the source tarball, the
# ROOT version, the venv and Pythia 8 folders, or the build recipe. What it
# needs beyond Delphes' own CMake build, measured with ROOT 6.40.00 from
# the wheel ROOT==0.1a12:
#  - root-project/root issue #22654: the wheel's CMake targets name
#    headers and libraries under a "mock_site_packages" folder beside
#    site-packages; a symlink of that name to site-packages fixes it.
#  - The wheel has no Eve library: Delphes' CMakeLists asks for the
#    components EG Eve Gui GuiHtml, which only its event display
#    (DelphesDisplay) uses, so the display is left out.
#  - The wheel's libraries come from auditwheel with renamed dependencies
#    in root.libs (libfreetype needs libpng16-<hash>.so); the linker finds
#    them through -rpath-link.
set -euo pipefail
. "$(dirname "$0")/common.sh"

need_deb cmake /usr/bin/cmake
need_deb g++ /usr/bin/g++
need_deb make /usr/bin/make
DEST="$GOLDMINE_TOOLS/delphes"
SOURCE="${DELPHES_SOURCE:-$(ls "$SHARED"/tools/delphes/delphes-*-src.tar.gz 2>/dev/null | head -1)}"
[ -f "$SOURCE" ] || die "no Delphes source tarball in $SHARED/tools/delphes"
PY="$("$(dirname "$0")/venv.sh")"
PYTHIA8="${PYTHIA8:-$GOLDMINE_TOOLS/pythia8-8.311}"
[ -f "$PYTHIA8/include/Pythia8/Pythia.h" ] || PYTHIA8=""

PURELIB="$("$PY" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')"
ROOTSYS="$PURELIB/ROOT"
[ -f "$ROOTSYS/cmake/ROOTConfig.cmake" ] || die "no ROOT CMake configuration in $ROOTSYS (is the ROOT wheel installed?)"
ROOT_VERSION="$("$ROOTSYS/bin/root-config" --version)"
# RECIPE names the build steps below: change it when they change, so that
# cached builds are redone.
RECIPE=1
stamp="source=$(sha "$SOURCE") root=$ROOT_VERSION venv=$PURELIB pythia8=${PYTHIA8:-none} recipe=$RECIPE"

if stamp_ok "$DEST" "$stamp" && [ -x "$DEST/bin/DelphesHepMC3" ]; then
  say "Delphes cached: $DEST (ROOT $ROOT_VERSION)"
  echo "$DEST"
  exit 0
fi

# root-project/root#22654
mock="$(dirname "$PURELIB")/mock_site_packages"
if grep -q mock_site_packages "$ROOTSYS/cmake/ROOTConfig-targets.cmake" && [ ! -e "$mock" ]; then
  say "linking $mock -> site-packages (root-project/root#22654)"
  ln -s "$(basename "$PURELIB")" "$mock"
fi

start=$SECONDS
build="$GOLDMINE_TOOLS/delphes-build"
rm -rf "$build" "$DEST"
mkdir -p "$build"
tar xzf "$SOURCE" -C "$build"
src="$(find "$build" -maxdepth 2 -name CMakeLists.txt -printf '%h\n' | head -1)"
if ! ls "$ROOTSYS"/lib/libEve.so >/dev/null 2>&1; then
  say "ROOT has no Eve: building without the event display"
  sed -i -e 's/find_package(ROOT REQUIRED COMPONENTS EG Eve Gui GuiHtml)/find_package(ROOT REQUIRED COMPONENTS EG)/' \
    -e '/add_subdirectory(display)/d' \
    -e '/^add_library(DelphesDisplay SHARED/,/^)/d' \
    -e '/DelphesDisplay PUBLIC/d' \
    -e 's/install(TARGETS Delphes DelphesDisplay DESTINATION lib)/install(TARGETS Delphes DESTINATION lib)/' \
    "$src/CMakeLists.txt"
  grep -q Eve "$src/CMakeLists.txt" && die "could not take the display out of $src/CMakeLists.txt"
fi
links="-Wl,-rpath-link,$PURELIB/root.libs"
log="$build/build.log"
say "building Delphes from $(basename "$SOURCE") against ROOT $ROOT_VERSION${PYTHIA8:+ and $PYTHIA8} (log $log)"
(
  cd "$build" && mkdir obj && cd obj
  cmake "$src" -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX="$DEST" \
    -DROOT_DIR="$ROOTSYS/cmake" ${PYTHIA8:+-DPYTHIA8="$PYTHIA8"} \
    -DCMAKE_EXE_LINKER_FLAGS="$links" -DCMAKE_SHARED_LINKER_FLAGS="$links"
  make -j"$JOBS"
  make install
) > "$log" 2>&1 || { grep -m5 -i "error" "$log" >&2 || true; tail -15 "$log" >&2; die "Delphes build failed (log $log)"; }

# It must start: the ROOT libraries are found through the run path.
out=$("$DEST/bin/DelphesHepMC3" 2>&1) || true
grep -q "Usage: DelphesHepMC3" <<<"$out" || { echo "$out" | head -5 >&2; die "the DelphesHepMC3 built here does not start"; }
cp "$log" "$DEST/build.log"
rm -rf "$build"
write_stamp "$DEST" "$stamp"
built="DelphesHepMC3"
[ -x "$DEST/bin/DelphesPythia8" ] && built="$built DelphesPythia8"
say "Delphes ready in $((SECONDS - start)) s ($built): $DEST"
echo "$DEST"
