#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 Brieflow contributors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: scripts/build.sh PRESET   — configure (once) and build with a CMakePresets.json preset.
set -euo pipefail
preset=${1:?usage: scripts/build.sh PRESET}
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
if [[ ! -f "build/$preset/CMakeCache.txt" ]]; then
    cmake --preset "$preset" >/dev/null
fi
cmake --build --preset "$preset"
