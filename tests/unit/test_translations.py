"""Every word the kiosk shows a visitor is translated into each of its languages."""

from __future__ import annotations

import ast
from pathlib import Path
from xml.etree import ElementTree

import pytest

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "resources" / "translations"
SCREENS = [ROOT / "kiosk" / name for name in ("screen.py", "widgets.py", "window.py", "survey.py")]
# Words chosen at run time from a table (tr(name)), not written as tr("...").
INDIRECT = [
    "Another language",
    "Very satisfied",
    "Fairly satisfied",
    "Neither satisfied nor dissatisfied",
    "Fairly dissatisfied",
    "Very dissatisfied",
    "Was your query fully resolved during your visit today?",
    "How satisfied were you with the Customer Service Advisor who helped you?",
    "How satisfied were you with your whole experience today?",
    "Did you feel you were treated fairly?",
]


def shown_words(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if (
            isinstance(node, ast.Call)
            and getattr(node.func, "id", None) == "tr"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            found.add(node.args[0].value)
    return found


def translated(language: str) -> dict[str, str]:
    tree = ElementTree.parse(TRANSLATIONS / f"onestop_{language}.ts")
    return {
        m.findtext("source") or "": (m.findtext("translation") or "").strip()
        for m in tree.iter("message")
        if (m.find("translation") is None or m.find("translation").get("type") != "unfinished")
    }


@pytest.mark.parametrize("language", ["pl", "ar"])
def test_every_word_on_the_kiosks_screens_is_translated(language: str) -> None:
    have = translated(language)
    words = set(INDIRECT).union(*(shown_words(path) for path in SCREENS))
    missing = sorted(w for w in words if not have.get(w))
    assert not missing, f"not translated into {language}: {missing}"


@pytest.mark.parametrize("language", ["pl", "ar"])
def test_placeholders_survive_translation(language: str) -> None:
    for source, text in translated(language).items():
        for placeholder in ("{n}", "{ticket}", "{time}", "{reason}"):
            assert (placeholder in source) == (placeholder in text), (source, text)
