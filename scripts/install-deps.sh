#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 Brieflow contributors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Installs the Debian 12 packages Brieflow needs to build, run and test, and nothing that is
# already there. Uses sudo when not run as root. Safe to run again.
set -euo pipefail

packages=(
    # toolchain
    g++ cmake ninja-build ccache pkg-config git
    # Qt 6 (Core, Gui, Network, Sql + SQLite driver, Concurrent, Widgets, Test)
    qt6-base-dev qt6-base-dev-tools libqt6sql6-sqlite qt6-qpa-plugins
    # Qt HTTP Server for the Replicate sandbox (Debian's CMake package for it needs WebSockets)
    qt6-httpserver-dev qt6-websockets-dev
    # image formats used by outputs (WebP, etc.)
    qt6-image-formats-plugins
    # charts in the Monitoring view (Qt Charts)
    qt6-charts-dev
    # the SVG icon engine and image format plugins (QIcon loads the app's SVG icons through them)
    libqt6svg6
    # third-party libraries
    nlohmann-json3-dev libgl-dev
    # image metadata in exports (XMP/IPTC in PNG, JPEG, WebP) and ZIP bundles
    libexiv2-dev libzip-dev
    # the fault suite builds compression bombs (zlib) and fills a tmpfs in a private mount
    # namespace (unshare, from util-linux)
    zlib1g-dev util-linux
    # the OS keychain for the API token (QtKeychain)
    qtkeychain-qt6-dev
    # the .deb (CPack: dpkg-shlibdeps) and its checks in CI
    dpkg-dev appstream desktop-file-utils
    # running the GUI and its tests without a desktop
    xvfb xauth
    # fonts so headless screenshots render text
    fonts-dejavu-core
)

missing=()
for p in "${packages[@]}"; do
    status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
    [[ "$status" == "install ok installed" ]] || missing+=("$p")
done

if ((${#missing[@]} == 0)); then
    exit 0
fi

echo "brieflow: installing missing Debian packages: ${missing[*]}" >&2
sudo_cmd=()
if [[ $(id -u) -ne 0 ]]; then
    if ! command -v sudo >/dev/null; then
        echo "brieflow: these packages are missing and sudo is not available; install them as root:" >&2
        echo "  apt-get install ${missing[*]}" >&2
        exit 1
    fi
    sudo_cmd=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
