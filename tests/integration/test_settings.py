"""This PC's settings file: `onestop setup --export/--import/--show/--check`, and the apps
taking it as their defaults, under arguments and environment variables."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from shared.eventlog import read_events
from shared.settings import Settings, SettingsError, load_settings, parse_settings, save_settings
from shared.store.db import resolve_url


@pytest.fixture
def config(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "config"
    monkeypatch.setenv("ONESTOP_CONFIG_DIR", str(folder))
    monkeypatch.delenv("ONESTOP_DB", raising=False)
    return folder


def onestop(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "shared.cli", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **(env or {})},
    )


def test_settings_written_are_read_back_exactly(config):
    settings = Settings(
        role="desk",
        site="bootle",
        database='postgresql+psycopg://staff:p"w\\d@db/onestop',
        printer="usb://04b8:0202",
        desk="Interview Room 1",
        kiosk_name="Kiosk – entrance",
        voice_language="pl",
        announce="chime",
    )
    path = save_settings(settings)
    assert path == config / "settings.toml"
    assert load_settings() == settings


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("role = kiosk", "not a settings file"),
        ('role = "kiosk"\ncolour = "red"', "unknown setting 'colour'"),
        ('role = "printer"', "role is 'printer'; expected one of kiosk, survey"),
        ("desk = 4", 'desk must be text in quotes, like desk = "..."'),
        ('database = "mysql://x/y"', "database: unsupported database 'mysql'"),
        ('printer = "lpt1"', "printer: printer 'lpt1': expected one of tcp://HOST:9100"),
        ('announce = "loud"', "announce is 'loud'; expected one of voice, chime, silent"),
        ('voice_language = "fr"', "voice_language is 'fr'"),
    ],
)
def test_a_mistake_names_the_file_and_the_setting(text, says):
    with pytest.raises(SettingsError) as raised:
        parse_settings(text, "/tmp/x/settings.toml")
    assert str(raised.value).startswith("/tmp/x/settings.toml: ")
    assert says in str(raised.value)


def test_export_then_import_on_another_pc(config, tmp_path):
    assert onestop("setup", "--export", str(tmp_path / "out.toml")).returncode == 2  # none yet
    save_settings(Settings(role="reception", site="southport", printer="tcp://10.0.0.9:9100"))
    exported = tmp_path / "southport.toml"
    done = onestop("setup", "--export", str(exported))
    assert done.returncode == 0, done.stderr
    other = tmp_path / "other-pc"
    done = onestop("setup", "--import", str(exported), env={"ONESTOP_CONFIG_DIR": str(other)})
    assert done.returncode == 0, done.stderr
    assert "Reception console" in done.stdout
    assert (other / "settings.toml").read_text() == exported.read_text()


@pytest.mark.parametrize(
    "content",
    [b'role = "kiosk"\nsite = ', b"\xff\xfe not text", b'role = "bouncer"', b'[kiosk]\nname="x"'],
)
def test_a_bad_file_to_import_is_refused_and_changes_nothing(config, tmp_path, content):
    save_settings(Settings(role="kiosk", site="bootle"))
    before = (config / "settings.toml").read_bytes()
    bad = tmp_path / "bad.toml"
    bad.write_bytes(content)
    done = onestop("setup", "--import", str(bad))
    assert done.returncode == 2
    assert done.stderr.startswith(f"onestop setup: error: {bad}: ")
    assert "Traceback" not in done.stderr
    assert (config / "settings.toml").read_bytes() == before


def test_import_of_a_file_that_is_not_there_says_so(config, tmp_path):
    done = onestop("setup", "--import", str(tmp_path / "missing.toml"))
    assert done.returncode == 2 and "no such file" in done.stderr


def test_check_and_show(config):
    done = onestop("setup", "--check")
    assert done.returncode == 1 and "not set up: no role or site" in done.stdout
    save_settings(Settings(role="display", site="bootle", database="postgresql://d:secret@db/o"))
    done = onestop("setup", "--check")
    assert done.returncode == 0 and "Call-forward display at bootle" in done.stdout
    shown = onestop("setup", "--show")
    assert "secret" not in shown.stdout and "***" in shown.stdout
    as_json = json.loads(onestop("setup", "--show", "--json").stdout)
    assert as_json["role"] == "display" and as_json["file"] == str(config / "settings.toml")


def test_the_database_is_the_argument_then_onestop_db_then_the_settings_then_local(
    config, monkeypatch, tmp_path
):
    local = resolve_url(None)
    assert local.endswith("onestop.db")
    save_settings(Settings(database=f"sqlite:///{tmp_path}/from-settings.db"))
    assert resolve_url(None) == f"sqlite:///{tmp_path}/from-settings.db"
    monkeypatch.setenv("ONESTOP_DB", f"sqlite:///{tmp_path}/from-env.db")
    assert resolve_url(None) == f"sqlite:///{tmp_path}/from-env.db"
    assert resolve_url(f"sqlite:///{tmp_path}/argument.db") == f"sqlite:///{tmp_path}/argument.db"


def test_the_apps_take_site_desk_and_database_from_the_settings(config, tmp_path):
    db = tmp_path / "office.db"
    save_settings(
        Settings(role="desk", site="southport", desk="Desk 2", database=f"sqlite:///{db}")
    )
    logs = tmp_path / "logs"
    shot = tmp_path / "desk.png"
    done = onestop("desk", "--log-dir", str(logs), "--screenshot", str(shot))
    assert done.returncode == 0, done.stderr
    assert db.exists()  # the settings' database, not the local file
    started = [e for e in read_events(logs / "desk.jsonl") if e["event"] == "started"]
    assert started[-1]["site"] == "southport"
    # An argument wins over the settings.
    done = onestop("desk", "--site", "bootle", "--log-dir", str(logs), "--screenshot", str(shot))
    assert done.returncode == 0, done.stderr
    started = [e for e in read_events(logs / "desk.jsonl") if e["event"] == "started"]
    assert started[-1]["site"] == "bootle"


def test_without_a_site_anywhere_the_apps_say_to_run_the_set_up(config):
    for app in (["kiosk"], ["reception"], ["display"], ["desk", "--desk", "1"]):
        done = onestop(*app, "--screenshot", "/dev/null")
        assert done.returncode == 2, (app, done.stderr)
        assert "onestop setup" in done.stderr
    save_settings(Settings(site="bootle"))
    done = onestop("desk", "--screenshot", "/dev/null")
    assert done.returncode == 2 and "say which desk (--desk 4)" in done.stderr


def test_a_broken_settings_file_stops_the_apps_and_the_command_with_its_reason(config):
    config.mkdir(parents=True)
    (config / "settings.toml").write_text('site = "bootle"\nprinter = "lpt1"\n')
    for args in (["kiosk", "--screenshot", "/dev/null"], ["site", "list"]):
        done = onestop(*args)
        assert done.returncode == 2, (args, done.stderr)
        assert f"{config / 'settings.toml'}: printer:" in done.stderr
        assert "Traceback" not in done.stderr
