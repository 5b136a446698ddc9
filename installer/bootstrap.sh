#!/usr/bin/env bash
# Sets OneStop up on this machine, then runs the demo or the test suite.
#
#   bash installer/bootstrap.sh demo  [ARGS...]   set up, then `onestop demo ARGS...`
#   bash installer/bootstrap.sh test  [ARGS...]   set up, then `python -m pytest ARGS...`
#   bash installer/bootstrap.sh setup             set up only
#
# Set-up installs what is missing and nothing else, so a second run is quick:
# Debian packages (Python, Qt's system libraries, espeak-ng, PostgreSQL server
# binaries, Xvfb, fonts), then a virtual environment in .venv with the project.
# Works from any directory. PYTHON=/path/to/python3 chooses another interpreter.
set -euo pipefail

usage() {
    echo "usage: bash installer/bootstrap.sh demo|test|setup [ARGS...]" >&2
    exit 2
}

say() { echo "bootstrap: $*"; }
die() {
    echo "bootstrap: $*" >&2
    exit 1
}

# Runs a command with its output in a log; shows the log only if the command fails.
quietly() {
    local log status=0
    log=$(mktemp -t onestop-bootstrap.XXXXXX)
    "$@" >"$log" 2>&1 || status=$?
    [ "$status" -eq 0 ] || cat "$log" >&2
    rm -f "$log"
    return "$status"
}

[ $# -ge 1 ] || usage
verb=$1
shift
case "$verb" in demo | test | setup) ;; *) usage ;; esac

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

# --- Debian packages ---------------------------------------------------------
packages=(
    python3 python3-venv python3-dev
    # Qt (PySide6 6.x) offscreen and under X
    libegl1 libgl1 libglib2.0-0 libfontconfig1 libfreetype6 libdbus-1-3
    libxkbcommon0 libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1
    libxcb-shape0 libxcb-randr0 libxcb-render-util0 libxcb-image0 libxcb-xinerama0
    libxcb-xkb1 libxrender1 libxi6 libsm6 libice6 libnss3 libasound2 libpulse0
    libgstreamer1.0-0 gstreamer1.0-plugins-base
    fonts-dejavu-core fonts-noto-core fonts-wqy-microhei  # Latin, Arabic, Ethiopic...; Chinese
    # speech, chime, a virtual screen
    espeak-ng libespeak-ng1 sox
    xvfb xauth
    # ticket printers: libusb for usb:// (pyusb loads it), lp for cups:// queues
    libusb-1.0-0 cups-client
    # the test suite starts its own PostgreSQL server from these binaries
    postgresql libpq5
)

# One dpkg call for all of them; "installed" means "Status: install ok installed"
# (a removed package whose configuration files remain does not count).
installed=$(dpkg -s "${packages[@]}" 2>/dev/null |
    awk '/^Package:/ { name = $2 } /^Status: install ok installed$/ { print name }' || true)
missing=()
for package in "${packages[@]}"; do
    grep -qxF -- "$package" <<<"$installed" || missing+=("$package")
done

if [ ${#missing[@]} -gt 0 ]; then
    apt_install="apt-get install -y --no-install-recommends ${missing[*]}"
    if [ "$(id -u)" -eq 0 ]; then
        sudo_cmd=()
    elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        sudo_cmd=(sudo -n)
    else
        echo "bootstrap: these Debian packages are missing: ${missing[*]}" >&2
        echo "bootstrap: install them as root, then run this again:" >&2
        echo "    apt-get update && $apt_install" >&2
        die "cannot install packages: not root and no passwordless sudo"
    fi
    say "installing Debian packages: ${missing[*]}"
    apt=("${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -y -qq)
    quietly "${apt[@]}" update || die "apt-get update failed (its output above)"
    quietly "${apt[@]}" install --no-install-recommends "${missing[@]}" ||
        die "installing Debian packages failed (apt's output above)"
fi

# --- Python and the virtual environment -----------------------------------------
python=${PYTHON:-python3}
command -v "$python" >/dev/null 2>&1 || die "$python not found: OneStop needs Python 3.11 or newer"
if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
    die "OneStop needs Python 3.11 or newer; $python is $("$python" --version 2>&1)"
fi

stamp=.venv/.onestop-installed
if [ ! -x .venv/bin/python ] || [ ! -x .venv/bin/pip ]; then
    # Missing, or broken (an interrupted creation, a removed interpreter): start afresh.
    say "creating .venv with $("$python" --version 2>&1)"
    "$python" -m venv --clear .venv
    quietly .venv/bin/python -m pip install --disable-pip-version-check --upgrade pip ||
        die "upgrading pip in .venv failed (its output above)"
fi
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
    say "installing OneStop and its Python packages into .venv"
    quietly .venv/bin/python -m pip install --disable-pip-version-check -e '.[dev]' ||
        die "installing the Python packages failed (pip's output above)"
    touch "$stamp"
fi

# --- Translations: compile Qt Linguist sources (.ts) to .qm when they changed ----
for source in resources/translations/*.ts; do
    [ -f "$source" ] || continue
    target=${source%.ts}.qm
    if [ ! -f "$target" ] || [ "$source" -nt "$target" ]; then
        .venv/bin/pyside6-lrelease -silent "$source" -qm "$target"
    fi
done

case "$verb" in
    setup) say "ready. Try: .venv/bin/onestop --help" ;;
    demo) exec .venv/bin/onestop demo "$@" ;;
    # The suite in one process per core (pytest-xdist; each worker starts its own
    # PostgreSQL server); ONESTOP_TEST_WORKERS=0 runs it in this one process.
    test) exec .venv/bin/python -m pytest -n "${ONESTOP_TEST_WORKERS:-auto}" --dist worksteal "$@" ;;
esac
