"""The guides (docs/guides/): every picture they show is made by `python -m installer.guides`,
committed, and current in size; every link they make leads somewhere."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from installer.guides import IMAGES, WIDEST

ROOT = Path(__file__).resolve().parents[2]
GUIDES = ROOT / "docs" / "guides"
LINK = re.compile(r"\]\(([^)#\s]+)(#[^)\s]*)?\)")


def referenced_images() -> set[str]:
    names = set()
    for guide in GUIDES.glob("*.md"):
        for target, _anchor in LINK.findall(guide.read_text(encoding="utf-8")):
            if target.startswith("img/"):
                names.add(target[4:])
    return names


def test_every_picture_a_guide_shows_is_one_the_command_makes_and_is_committed():
    shown = referenced_images()
    assert shown, "the guides show no pictures?"
    assert shown <= set(IMAGES), shown - set(IMAGES)
    assert shown == set(IMAGES), f"made but shown nowhere: {set(IMAGES) - shown}"
    committed = {p.name for p in (GUIDES / "img").glob("*.png")}
    assert committed == set(IMAGES), committed ^ set(IMAGES)


def test_every_link_in_the_guides_leads_to_a_file_that_exists():
    for guide in GUIDES.glob("*.md"):
        for target, _anchor in LINK.findall(guide.read_text(encoding="utf-8")):
            if "://" in target:
                continue
            assert (guide.parent / target).exists(), f"{guide.name}: {target}"


def test_the_readme_points_to_the_guides():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "docs/guides/" in readme


@pytest.mark.slow
def test_the_command_makes_every_picture_small_and_readable(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "installer.guides", "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert f"{len(IMAGES)} screenshots" in done.stdout
    for name in IMAGES:
        with Image.open(tmp_path / name) as image:
            assert image.format == "PNG"
            assert 400 <= image.width <= WIDEST, (name, image.size)
            colours = image.convert("RGB").getcolors(maxcolors=1 << 16)
            assert colours is None or len(colours) > 8, f"{name} is nearly blank"
        assert (tmp_path / name).stat().st_size < 400_000, name
