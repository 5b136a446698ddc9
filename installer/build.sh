#!/usr/bin/env bash
# Builds OneStop as one folder with PyInstaller, then smoke-tests what it built.
#
#   bash installer/build.sh              set up, build dist/onestop/, smoke-test it
#   bash installer/build.sh --no-smoke   build only
#
# Set-up is installer/bootstrap.sh's (Debian packages, .venv, compiled translations)
# plus the `build` extra (PyInstaller). The result, dist/onestop/, runs on Linux
# machines with the same or a newer glibc and Qt's system libraries (the list in
# bootstrap.sh); copy the folder, or a tarball of it, to the PC. The smoke test
# (python -m installer.smoke) runs the built program: --version, `site list`,
# a printed ticket, and every app's window offscreen.
#
# On Windows the same spec builds dist\onestop\ with onestop.exe and onestopw.exe
# (no console): run in a PowerShell with Python 3.11 and the project installed,
#   py -m pip install -e ".[build]"
#   pyside6-lrelease resources\translations\onestop_pl.ts -qm resources\translations\onestop_pl.qm
#   pyside6-lrelease resources\translations\onestop_ar.ts -qm resources\translations\onestop_ar.qm
#   pyinstaller --noconfirm --clean --distpath dist --workpath build\pyinstaller installer\pyinstaller\onestop.spec
#   python -m installer.smoke dist\onestop\onestop.exe
# then compile installer\windows\onestop.iss with Inno Setup. (Not yet tried on Windows.)
set -euo pipefail

smoke=1
case "${1:-}" in
    "") ;;
    --no-smoke) smoke=0 ;;
    *)
        echo "usage: bash installer/build.sh [--no-smoke]" >&2
        exit 2
        ;;
esac

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
say() { echo "build: $*"; }

bash installer/bootstrap.sh setup >/dev/null
if ! .venv/bin/python -c "import PyInstaller" 2>/dev/null; then
    say "installing PyInstaller (the build extra) into .venv"
    .venv/bin/python -m pip install --disable-pip-version-check -q -e '.[dev,build]'
fi

say "building dist/onestop/ with PyInstaller $(.venv/bin/python -c 'import PyInstaller; print(PyInstaller.__version__)')"
started=$(date +%s.%N)
log=build/pyinstaller.log
mkdir -p build
if ! .venv/bin/pyinstaller --noconfirm --clean --log-level WARN \
    --distpath dist --workpath build/pyinstaller installer/pyinstaller/onestop.spec >"$log" 2>&1; then
    cat "$log" >&2
    echo "build: PyInstaller failed (its output above, also in $log)" >&2
    exit 1
fi
finished=$(date +%s.%N)
# The Linux session installer travels with the program (it finds ../onestop from there).
mkdir -p dist/onestop/session
cp installer/linux/install-session.sh installer/linux/*.in dist/onestop/session/
say "built in $(awk -v a="$started" -v b="$finished" 'BEGIN { printf "%.0f", b - a }') s:" \
    "dist/onestop/ is $(du -sh dist/onestop | cut -f1)" \
    "($(find dist/onestop -type f | wc -l) files; PyInstaller's warnings in $log)"

if [ "$smoke" -eq 1 ]; then
    say "smoke test of dist/onestop/onestop"
    .venv/bin/python -m installer.smoke dist/onestop/onestop
fi
