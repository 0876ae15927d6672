#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 Brieflow contributors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Installs what is missing, builds Brieflow and starts the desktop app. Arguments go to the app
# (e.g. --data-dir DIR). On a machine without a display it says so and runs the example brief
# through the whole pipeline with brieflow-cli in demo mode (the built-in sandbox) instead.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
preset=${BRIEFLOW_PRESET:-release}

"$root/scripts/install-deps.sh"
"$root/scripts/build.sh" "$preset"
bin="$root/build/$preset/app"

if [[ -n "${DISPLAY:-}" || -n "${WAYLAND_DISPLAY:-}" || "${QT_QPA_PLATFORM:-}" == offscreen ]]; then
    exec "$bin/gui/brieflow" "$@"
fi

example="$root/resources/examples/brief.json"
echo "brieflow: no display found (neither DISPLAY nor WAYLAND_DISPLAY is set)," >&2
echo "brieflow: so here is the example brief through the command-line interface instead." >&2
echo "+ brieflow-cli validate $example" >&2
"$bin/cli/brieflow-cli" validate "$example"
# The demo data folder, so the example never lands in a real queue.
echo "+ brieflow-cli --demo run --wait $example" >&2
"$bin/cli/brieflow-cli" --demo "$@" run --wait "$example"
echo "+ brieflow-cli --demo list" >&2
exec "$bin/cli/brieflow-cli" --demo "$@" list
