"""Packaging: what the PyInstaller build and the wheel carry, and where the program finds it.

The build itself (about a minute) is not part of the suite: `bash installer/build.sh`
builds dist/onestop/ and smoke-tests it (CI runs it as its own step). Here: the
spec's list of data files against the repository's resources, its hidden imports
against what is installed, the wheel's contents, the frozen lookup, and the smoke
script on the installed command, so that the build's own check cannot rot.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
import tomllib
import types
import zipfile
from pathlib import Path
from typing import Any

import pytest

import shared
from shared import resources

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "installer" / "pyinstaller" / "onestop.spec"


def run_spec(spec: Path = SPEC) -> dict[str, Any]:
    """Execute the spec as PyInstaller would, with its build steps recorded, not run."""
    recorded: dict[str, Any] = {"exes": []}

    class Analysis:
        def __init__(self, scripts: list[str], **options: Any) -> None:
            recorded.update(options, scripts=scripts)
            self.pure = self.scripts = self.binaries = self.datas = []

    def exe(*_args: Any, **options: Any) -> dict[str, Any]:
        recorded["exes"].append(options)
        return options

    hooks = types.ModuleType("PyInstaller.utils.hooks")
    hooks.collect_data_files = lambda package: [(f"<{package} data>", package)]  # type: ignore[attr-defined]
    saved = {name: sys.modules.get(name) for name in ("PyInstaller.utils.hooks",)}
    sys.modules["PyInstaller.utils.hooks"] = hooks
    try:
        namespace = {
            "SPECPATH": str(spec.parent),
            "Analysis": Analysis,
            "PYZ": lambda *_a, **_k: None,
            "EXE": exe,
            "COLLECT": lambda *_a, **_k: None,
        }
        exec(compile(spec.read_text(encoding="utf-8"), str(spec), "exec"), namespace)
    finally:
        for name, module in saved.items():
            if module is None:
                sys.modules.pop(name, None)
            else:
                sys.modules[name] = module
    return recorded


def shipped(folder: str, *patterns: str) -> set[tuple[str, str]]:
    """(file, folder inside the bundle) for each file the program reads at run time."""
    return {
        (str(path), str(path.parent.relative_to(ROOT)))
        for pattern in patterns
        for path in (ROOT / folder).glob(pattern)
        if path.is_file()
    }


def test_the_spec_bundles_every_resource_and_migration_where_the_program_looks():
    datas = set(run_spec()["datas"])
    resources_needed = {
        (str(path), str(path.parent.relative_to(ROOT)))
        for path in (ROOT / "resources").rglob("*")
        if path.is_file() and path.suffix in (".toml", ".svg", ".ts", ".qm")
    }
    assert resources_needed, "no resources found: is this the repository?"
    assert resources_needed <= datas, resources_needed - datas
    assert shipped("shared/store/migrations", "*.py", "*.mako", "versions/*.py") <= datas
    assert ("<escpos data>", "escpos") in datas  # the printer profiles (capabilities.json)
    # Where shared/resources.py and shared/store/migrate.py look, frozen:
    assert {dest for _src, dest in datas} >= {
        "resources/sites",
        "resources/icons",
        "resources/translations",
        "shared/store/migrations/versions",
    }


def test_every_translation_ships_compiled_and_the_spec_refuses_to_build_without():
    assert {p.stem for p in (ROOT / "resources/translations").glob("*.qm")} == {
        p.stem for p in (ROOT / "resources/translations").glob("*.ts")
    }, "run installer/bootstrap.sh setup: it compiles the translations"


def test_the_spec_stops_when_a_translation_is_not_compiled(tmp_path):
    spec = tmp_path / "installer" / "pyinstaller" / "onestop.spec"
    spec.parent.mkdir(parents=True)
    shutil.copy(SPEC, spec)
    shutil.copytree(ROOT / "resources", tmp_path / "resources")
    (tmp_path / "resources/translations/onestop_pl.qm").unlink()
    with pytest.raises(SystemExit, match="onestop_pl"):
        run_spec(spec)


def test_the_spec_names_an_entry_point_and_runtime_hook_that_exist_and_one_console_program():
    recorded = run_spec()
    for path in [*recorded["scripts"], *recorded["runtime_hooks"]]:
        assert Path(path).is_file(), path
    names = [(exe["name"], exe["console"]) for exe in recorded["exes"]]
    expected = [("onestop", True)] + ([("onestopw", False)] if sys.platform == "win32" else [])
    assert names == expected


def test_every_hidden_import_for_this_platform_is_installed():
    missing = [
        name for name in run_spec()["hiddenimports"] if importlib.util.find_spec(name) is None
    ]
    assert missing == []


def test_the_version_reported_is_the_package_version():
    with (ROOT / "pyproject.toml").open("rb") as source:
        version = tomllib.load(source)["project"]["version"]
    assert shared.__version__ == version
    done = subprocess.run(
        [sys.executable, "-m", "shared.cli", "--version"], capture_output=True, text=True
    )
    assert done.stdout.strip() == f"onestop {version}"


def test_frozen_the_resources_are_looked_up_in_the_bundle(monkeypatch, tmp_path):
    assert resources.resources_root() == ROOT / "resources"
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert resources.is_frozen()
    assert resources.resource_path("icons", "help.svg") == tmp_path / "resources/icons/help.svg"


@pytest.mark.slow
def test_a_wheel_installed_elsewhere_finds_its_site_files_icons_and_translations(tmp_path):
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(ROOT)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert built.returncode == 0, built.stderr
    wheel = next(tmp_path.glob("onestop-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for path in (ROOT / "resources").rglob("*"):
        if path.is_file() and path.suffix in (".toml", ".svg", ".ts", ".qm"):
            assert path.relative_to(ROOT).as_posix() in names
    target = tmp_path / "site"
    with zipfile.ZipFile(wheel) as archive:  # what pip install does with a pure wheel
        archive.extractall(target)
    probe = (
        "import shared.config as c, kiosk.widgets as w, kiosk.i18n as i;"
        "print(c.__file__);"
        "print(*[p.name for p in c.default_site_files()]);"
        "print(w.ICONS.joinpath('help.svg').is_file(),"
        " i.TRANSLATIONS.joinpath('onestop_pl.ts').is_file())"
    )
    env = {**os.environ, "PYTHONPATH": str(target), "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, env=env, cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr
    where, sites, found = done.stdout.splitlines()
    assert Path(where).is_relative_to(target)  # the wheel's copy, not the repository
    assert sites == "bootle.toml southport.toml"
    assert found == "True True"


@pytest.mark.slow
def test_the_build_smoke_test_passes_on_the_installed_command(capsys):
    from installer import smoke

    command = Path(sys.executable).with_name("onestop")
    assert smoke.main([str(command)]) == 0
    said = capsys.readouterr().out
    for app in smoke.WINDOWS:
        assert f"{app} window opens offscreen" in said
