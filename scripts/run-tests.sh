#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 Brieflow contributors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Installs what is missing, builds Brieflow and runs every test (unit, integration, GUI).
# BRIEFLOW_PRESET picks the preset (default: release; CI uses "ci", where warnings are errors).
# Extra arguments go to ctest, e.g. `scripts/run-tests.sh -L unit`.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
preset=${BRIEFLOW_PRESET:-release}

"$root/scripts/install-deps.sh"
"$root/scripts/build.sh" "$preset"
cd "$root"
export QT_QPA_PLATFORM=offscreen
ctest --preset "$preset" --timeout 600 "$@"
