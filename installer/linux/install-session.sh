#!/usr/bin/env bash
# Starts one OneStop app full screen when this user signs in, and again if it crashes.
#
#   bash installer/linux/install-session.sh ROLE      ROLE: kiosk survey reception desk display
#   bash installer/linux/install-session.sh --remove ROLE
#
# Run it as the user the PC signs in as (not root). It writes, for that user only:
#   ~/.config/systemd/user/onestop-ROLE.service   the app, restarted 5 s after a crash
#   ~/.config/autostart/onestop-ROLE.desktop      starts that service at sign-in, on
#                                                 desktops without graphical-session.target
# then enables the service if this user's systemd is running. Running it again
# rewrites the same two files (idempotent). The app's site, database, printer, desk
# and voice come from `onestop setup` (the settings file), so run the set-up first.
#
# Which onestop runs: $ONESTOP_BIN if set, else the built program beside this folder
# (dist/onestop/onestop, where build.sh copies this script to dist/onestop/session/),
# else the repository's .venv/bin/onestop, else `onestop` on the PATH.
set -euo pipefail

ROLES="kiosk survey reception desk display"

usage() {
    echo "usage: bash installer/linux/install-session.sh [--remove] ROLE" >&2
    echo "  ROLE is one of: $ROLES" >&2
    exit 2
}
say() { echo "install-session: $*"; }
die() {
    echo "install-session: $*" >&2
    exit 1
}

remove=0
if [ "${1:-}" = "--remove" ]; then
    remove=1
    shift
fi
[ $# -eq 1 ] || usage
role=$1
case " $ROLES " in *" $role "*) ;; *)
    echo "install-session: unknown role '$role'" >&2
    usage
    ;;
esac
[ "$(id -u)" -ne 0 ] || [ "${ONESTOP_ALLOW_ROOT:-}" = 1 ] ||
    die "run this as the user who signs in to this PC, not as root"

case "$role" in
    kiosk) title="check-in kiosk" args="kiosk" ;;
    survey) title="exit survey" args="kiosk --mode survey" ;;
    reception) title="reception console" args="reception" ;;
    desk) title="desk console" args="desk --on-top" ;;
    display) title="call-forward display" args="display" ;;
esac

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
unit="onestop-$role.service"
config=${XDG_CONFIG_HOME:-$HOME/.config}
unit_path="$config/systemd/user/$unit"
autostart_path="$config/autostart/onestop-$role.desktop"

have_systemd() {
    command -v systemctl >/dev/null 2>&1 && systemctl --user show-environment >/dev/null 2>&1
}

if [ "$remove" -eq 1 ]; then
    if have_systemd; then
        systemctl --user disable --now "$unit" >/dev/null 2>&1 || true
    fi
    rm -f "$unit_path" "$autostart_path"
    have_systemd && systemctl --user daemon-reload
    say "removed the $title's start at sign-in ($unit)"
    exit 0
fi

find_onestop() {
    if [ -n "${ONESTOP_BIN:-}" ]; then
        echo "$ONESTOP_BIN"
    elif [ -x "$here/../onestop" ] && [ -f "$here/../onestop" ]; then
        (cd "$here/.." && echo "$(pwd)/onestop")
    elif [ -x "$here/../../.venv/bin/onestop" ]; then
        (cd "$here/../../.venv/bin" && echo "$(pwd)/onestop")
    elif command -v onestop >/dev/null 2>&1; then
        command -v onestop
    else
        return 1
    fi
}
onestop=$(find_onestop) || die "no onestop program found: set ONESTOP_BIN=/path/to/onestop"
case "$onestop" in /*) ;; *) die "ONESTOP_BIN must be an absolute path, not '$onestop'" ;; esac
[ -x "$onestop" ] || die "$onestop is not an executable program"
case "$onestop" in *[[:space:]%]*) die "the path $onestop has a space or %: move it" ;; esac

render() {
    sed -e "s|@ONESTOP@|$onestop|g" -e "s|@ARGS@|$args|g" -e "s|@TITLE@|$title|g" \
        -e "s|@UNIT@|$unit|g" -e "s|@ROLE@|$role|g" "$1"
}

mkdir -p "$(dirname "$unit_path")" "$(dirname "$autostart_path")"
render "$here/onestop-app.service.in" >"$unit_path.new"
mv "$unit_path.new" "$unit_path"
render "$here/onestop-app.desktop.in" >"$autostart_path.new"
mv "$autostart_path.new" "$autostart_path"
say "wrote $unit_path"
say "wrote $autostart_path"

if have_systemd; then
    systemctl --user daemon-reload
    systemctl --user enable "$unit" >/dev/null
    say "enabled $unit: the $title starts at the next sign-in (now: systemctl --user start $unit)"
else
    say "this user's systemd is not running here: the $title starts at the next graphical sign-in"
fi
"$onestop" setup --check >/dev/null 2>&1 ||
    say "note: this PC is not set up yet: run '$onestop setup' before signing in again"
