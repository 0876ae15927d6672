#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 Brieflow contributors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: scripts/build.sh PRESET   — configure (once) and build with a CMakePresets.json preset.
set -euo pipefail
preset=${1:?usage: scripts/build.sh PRESET}
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
# Let ccache share results between clones in different folders (CI builds a fresh clone).
export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$root}
export CCACHE_NOHASHDIR=${CCACHE_NOHASHDIR:-1}
if [[ ! -f "build/$preset/CMakeCache.txt" ]]; then
    cmake --preset "$preset" >/dev/null
fi
cmake --build --preset "$preset"
