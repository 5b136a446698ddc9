#!/usr/bin/env bash
# Sets OneStop up on this machine, then runs the demo or the test suite.
#
#   bash installer/bootstrap.sh demo    set up, then start the demo
#   bash installer/bootstrap.sh test    set up, then run the whole test suite
#   bash installer/bootstrap.sh setup   set up only
#
# Set-up installs what is missing and nothing else, so a second run is quick:
# Debian packages (Python, Qt's system libraries, espeak-ng, PostgreSQL server
# binaries, Xvfb, fonts), then a virtual environment in .venv with the project.
set -euo pipefail

usage() {
    echo "usage: bash installer/bootstrap.sh demo|test|setup [ARGS...]" >&2
    exit 2
}

[ $# -ge 1 ] || usage
verb=$1
shift
case "$verb" in demo|test|setup) ;; *) usage ;; esac

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

packages=(
    python3 python3-venv python3-dev
    libegl1 libgl1 libglib2.0-0 libfontconfig1 libfreetype6 libdbus-1-3
    libxkbcommon0 libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1
    libxcb-shape0 libxcb-randr0 libxcb-render-util0 libxcb-image0 libxcb-xinerama0
    libxcb-xkb1 libxrender1 libxi6 libsm6 libice6 libnss3 libasound2 libpulse0
    libgstreamer1.0-0 gstreamer1.0-plugins-base
    fonts-dejavu-core fonts-noto-core
    espeak-ng libespeak-ng1 sox
    xvfb xauth
    postgresql libpq5
)

missing=()
for package in "${packages[@]}"; do
    dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "bootstrap: installing ${missing[*]}"
    if [ "$(id -u)" -eq 0 ]; then
        sudo_cmd=()
    elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        sudo_cmd=(sudo -n)
    else
        echo "bootstrap: these Debian packages are missing: ${missing[*]}" >&2
        echo "bootstrap: as root, run: apt-get update && apt-get install -y ${missing[*]}" >&2
        exit 1
    fi
    export DEBIAN_FRONTEND=noninteractive
    log=$(mktemp -t onestop-apt.XXXXXX)
    if ! { "${sudo_cmd[@]}" apt-get update -qq &&
           "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"; } >"$log" 2>&1; then
        cat "$log" >&2
        echo "bootstrap: installing Debian packages failed (log above)" >&2
        exit 1
    fi
    rm -f "$log"
fi

python=${PYTHON:-python3}
if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
    echo "bootstrap: OneStop needs Python 3.11 or newer; $python is $("$python" --version 2>&1)" >&2
    exit 1
fi

stamp=.venv/.onestop-installed
if [ ! -x .venv/bin/python ]; then
    echo "bootstrap: creating .venv"
    "$python" -m venv .venv
    .venv/bin/python -m pip install -q --upgrade pip
fi
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
    echo "bootstrap: installing OneStop and its Python packages into .venv"
    .venv/bin/python -m pip install -q -e '.[dev]'
    touch "$stamp"
fi

# Translations: compile the Qt Linguist sources (.ts) to .qm when they changed.
for source in resources/translations/*.ts; do
    target=${source%.ts}.qm
    if [ ! -f "$target" ] || [ "$source" -nt "$target" ]; then
        .venv/bin/pyside6-lrelease -silent "$source" -qm "$target"
    fi
done

case "$verb" in
    setup) echo "bootstrap: ready. Try: .venv/bin/onestop --help" ;;
    demo) exec .venv/bin/onestop demo "$@" ;;
    test) exec .venv/bin/python -m pytest "$@" ;;
esac
