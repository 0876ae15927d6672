#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 Brieflow contributors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: tools/screenshots.sh [OUT_DIR]
#
# Builds the release app and CLI, runs the desktop app under Xvfb (1600x1000) and saves
# screenshots of its main states to OUT_DIR (default: a new folder under /tmp), which it prints
# at the end. Nothing here is committed; look at the pictures.
#
#   01-empty.png      demo mode, nothing queued yet
#   02-running.png    demo mode, the example brief on its way through the pipeline
#   03-succeeded.png  demo mode, the job done, with its images
#   04-failed.png     a job whose image step failed (the model refused the prompt)
#
# How the jobs get there: brieflow-cli queues the example brief in the same data folder
# (`submit`), and the app's engine picks up jobs other processes queue within about 2 s. The
# failed step needs a fault the app's own in-process demo sandbox can't be given from outside,
# so the last part runs a separate `brieflow-cli sandbox` on 127.0.0.1, scripts a
# "fail_prediction" fault for the image model through its /__control API, and starts the app
# with --api-base pointing at it (REPLICATE_API_TOKEN=test: any token works there; nothing
# leaves the machine).
#
# Environment: BRIEFLOW_PRESET (default release), BRIEFLOW_BUILD_DIR (use that build folder's
# programs, build nothing), BRIEFLOW_SANDBOX_LATENCY_MS (default 2500:
# slow enough to catch a step running), SCREENSHOT_TIMEOUT (seconds to wait for a job, 120).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
preset=${BRIEFLOW_PRESET:-release}
# BRIEFLOW_BUILD_DIR: use the programs of an existing build folder instead (nothing is built).
build_dir=${BRIEFLOW_BUILD_DIR:-$root/build/$preset}
gui="$build_dir/app/gui/brieflow"
cli="$build_dir/app/cli/brieflow-cli"
example="$root/resources/examples/brief.json"

if [[ -z "${BRIEFLOW_SCREENSHOTS_INNER:-}" ]]; then
    # Outside Xvfb: install what is missing, build just the two programs, then run this script
    # again inside a virtual X server.
    "$root/scripts/install-deps.sh"
    missing=()
    command -v import >/dev/null || missing+=(imagemagick)
    command -v xdotool >/dev/null || missing+=(xdotool)
    command -v curl >/dev/null || missing+=(curl)
    if ((${#missing[@]})); then
        echo "screenshots: installing ${missing[*]}" >&2
        sudo_cmd=()
        [[ $(id -u) -eq 0 ]] || sudo_cmd=(sudo)
        "${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
            --no-install-recommends "${missing[@]}"
    fi
    export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$root} CCACHE_NOHASHDIR=${CCACHE_NOHASHDIR:-1}
    if [[ -z "${BRIEFLOW_BUILD_DIR:-}" ]]; then
        # scripts/build.sh's configure step, but only the two programs are built.
        (cd "$root" && { [[ -f "build/$preset/CMakeCache.txt" ]] || cmake --preset "$preset" >/dev/null; } \
            && cmake --build --preset "$preset" --target brieflow_gui brieflow_cli)
    fi
    out=${1:-$(mktemp -d /tmp/brieflow-screenshots.XXXXXX)}
    mkdir -p "$out"
    out=$(cd "$out" && pwd)
    BRIEFLOW_SCREENSHOTS_INNER=1 xvfb-run -a -s "-screen 0 1600x1000x24" "${BASH_SOURCE[0]}" "$out"
    echo "screenshots: saved in $out"
    ls -1 "$out"
    exit 0
fi

# ---- inside Xvfb ---------------------------------------------------------------------------
out=$1
timeout_s=${SCREENSHOT_TIMEOUT:-120}
export BRIEFLOW_SANDBOX_LATENCY_MS=${BRIEFLOW_SANDBOX_LATENCY_MS:-2500}
unset QT_QPA_PLATFORM REPLICATE_API_TOKEN BRIEFLOW_DATA_DIR
export QT_QPA_PLATFORMTHEME= LANG=${LANG:-C.UTF-8}
work=$(mktemp -d /tmp/brieflow-screenshots-data.XXXXXX)
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

log() { echo "screenshots: $*" >&2; }

# Waits for the app's main window, then fills the screen with it.
window=
wait_for_window() {
    local deadline=$((SECONDS + 30))
    window=
    while [[ -z "$window" ]] && ((SECONDS < deadline)); do
        window=$(xdotool search --onlyvisible --name '^Brieflow' 2>/dev/null | head -n1 || true)
        [[ -n "$window" ]] || sleep 0.3
    done
    [[ -n "$window" ]] || { log "the app's window did not appear"; return 1; }
    xdotool windowmove "$window" 0 0 windowsize "$window" 1600 1000 || true
    xdotool windowactivate "$window" 2>/dev/null || xdotool windowfocus "$window" || true
    sleep 1.5
}

shot() {
    import -window root "$out/$1.png"
    log "saved $1.png"
}

# Waits until `brieflow-cli list --status STATUS` in that data folder shows a job.
wait_for_status() {
    local status=$1
    shift
    local deadline=$((SECONDS + timeout_s))
    while ((SECONDS < deadline)); do
        if "$cli" "$@" --json list --status "$status" 2>/dev/null | grep -q '"id"'; then
            return 0
        fi
        sleep 0.5
    done
    log "no job reached '$status' within ${timeout_s} s"
    return 1
}

# Selects the first job in the queue so the job pane shows its steps: a click on the queue's
# empty area below the rows (the queue is the middle pane of the 1600 px window) gives it the
# keyboard focus without selecting anything, then Home selects the first row.
select_first_job() {
    xdotool mousemove --window "$window" 740 700 click 1 2>/dev/null || true
    sleep 0.3
    xdotool key --window "$window" Home 2>/dev/null || xdotool key Home || true
    sleep 1
}

stop_app() {
    local pid=$1
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
}

# ---- demo mode: empty, running, succeeded --------------------------------------------------
demo=(--demo --data-dir "$work/demo-mode")
"$gui" "${demo[@]}" >"$work/app-demo.log" 2>&1 &
app=$!
pids+=("$app")
wait_for_window
shot 01-empty

log "queueing the example brief with brieflow-cli submit"
"$cli" "${demo[@]}" submit "$example" >/dev/null
wait_for_status processing "${demo[@]}" || true
sleep 1
select_first_job
sleep 2
shot 02-running

wait_for_status succeeded "${demo[@]}" || true
sleep 3 # thumbnails are decoded off the GUI thread
shot 03-succeeded
stop_app "$app"

# ---- a failed step: the app against a separate sandbox with a scripted fault ---------------
"$cli" sandbox --seed 7 >"$work/sandbox.log" 2>&1 &
pids+=("$!")
api=
for _ in $(seq 100); do
    api=$(grep -oE 'http://127\.0\.0\.1:[0-9]+[^ ]*' "$work/sandbox.log" | head -n1 || true)
    [[ -n "$api" ]] && break
    sleep 0.1
done
[[ -n "$api" ]] || { log "brieflow-cli sandbox did not start"; cat "$work/sandbox.log" >&2; exit 1; }
origin=$(grep -oE '^http://[^/]+' <<<"$api")
# Every image prediction fails the way a safety filter refusal does.
curl -fsS -X POST "$origin/__control/faults" -H 'Content-Type: application/json' \
    -d '{"kind":"fail_prediction","method":"POST","path":"/v1/models/black-forest-labs/*","count":-1}' \
    >/dev/null
export REPLICATE_API_TOKEN=test
real=(--api-base "$api" --data-dir "$work/sandbox-mode")
"$gui" "${real[@]}" >"$work/app-sandbox.log" 2>&1 &
app=$!
pids+=("$app")
wait_for_window
log "queueing the example brief against the faulty sandbox"
"$cli" "${real[@]}" submit "$example" >/dev/null
wait_for_status failed "${real[@]}" || true
sleep 1
select_first_job
sleep 1
shot 04-failed
stop_app "$app"
