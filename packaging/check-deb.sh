#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 Brieflow contributors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: packaging/check-deb.sh BUILD_DIR
# Builds the .deb from an already built UI build folder (cpack), shows its control data and
# contents, checks that it holds what it should and declares its dependencies, validates the
# desktop entry and AppStream metainfo, then unpacks it into a scratch root and runs both
# programs from there (brieflow-cli --version and a demo validate; brieflow --version offscreen).
# Exits non-zero at the first problem.
set -euo pipefail
build=${1:?usage: packaging/check-deb.sh BUILD_DIR}
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=$(cd "$build" && pwd)
fail() { echo "check-deb: $*" >&2; exit 1; }

rm -rf "$build/package"
(cd "$build" && cpack -G DEB) >"$build/cpack.log" 2>&1 || { cat "$build/cpack.log" >&2; fail "cpack failed"; }
debs=("$build"/package/brieflow_*.deb)
[[ ${#debs[@]} -eq 1 && -f ${debs[0]} ]] || fail "expected one brieflow_*.deb in $build/package"
deb=${debs[0]}
echo "== $(basename "$deb") ($(du -h "$deb" | cut -f1))"
dpkg-deb --info "$deb"
echo "== contents"
dpkg-deb --contents "$deb" | tee "$build/package/contents.txt"

for path in ./usr/bin/brieflow ./usr/bin/brieflow-cli \
    ./usr/share/applications/io.github.brieflow.Brieflow.desktop \
    ./usr/share/metainfo/io.github.brieflow.Brieflow.metainfo.xml \
    ./usr/share/icons/hicolor/scalable/apps/brieflow.svg \
    ./usr/share/brieflow/examples/brief.json ./usr/share/brieflow/examples/briefs.csv \
    ./usr/share/doc/brieflow/copyright; do
    awk '{print $6}' "$build/package/contents.txt" | grep -qxF "$path" || fail "the package lacks $path"
done

# Dependencies: shlibdeps found Qt and the C++ runtime; the plugins are declared by hand. Every
# package named must be one dpkg knows on this machine (the one that built and ran the programs).
depends=$(dpkg-deb --field "$deb" Depends)
names=$(tr ',|' '\n\n' <<<"$depends" | awk 'NF {print $1}')
for needed in libqt6core6 libqt6widgets6 libqt6network6 libqt6sql6 libqt6sql6-sqlite libqt6svg6 \
    qt6-qpa-plugins libstdc++6 libc6; do
    grep -qxF "$needed" <<<"$names" || fail "Depends lacks $needed: $depends"
done
IFS=',' read -ra groups <<<"$depends"
for group in "${groups[@]}"; do
    found=0
    IFS='|' read -ra alternatives <<<"$group"
    for alternative in "${alternatives[@]}"; do
        name=$(awk '{print $1}' <<<"$alternative")
        dpkg-query -W "$name" >/dev/null 2>&1 && found=1
    done
    ((found)) || fail "no package of the dependency '$group' is known to dpkg"
done

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
dpkg-deb -x "$deb" "$scratch/root"
share="$scratch/root/usr/share"
if command -v desktop-file-validate >/dev/null; then
    desktop-file-validate "$share/applications/io.github.brieflow.Brieflow.desktop"
fi
if command -v appstreamcli >/dev/null; then
    appstreamcli validate --no-net "$share/metainfo/io.github.brieflow.Brieflow.metainfo.xml"
fi

echo "== running from the unpacked package"
# The project version, from project(Brieflow VERSION x.y.z) in the top-level CMakeLists.txt.
version=$(sed -n 's/^ *VERSION \([0-9][0-9.]*\)$/\1/p' "$root/CMakeLists.txt" | head -n1)
cli_version=$("$scratch/root/usr/bin/brieflow-cli" --version)
echo "brieflow-cli --version: $cli_version"
[[ -z "$version" || "$cli_version" == *"$version"* ]] || fail "brieflow-cli says '$cli_version', expected $version"
"$scratch/root/usr/bin/brieflow-cli" --data-dir "$scratch/data" validate \
    "$share/brieflow/examples/brief.json" "$share/brieflow/examples/briefs.csv"
gui_version=$(QT_QPA_PLATFORM=offscreen "$scratch/root/usr/bin/brieflow" --version)
echo "brieflow --version: $gui_version"
echo "== package OK: $deb"
