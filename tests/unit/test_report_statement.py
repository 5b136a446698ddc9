"""The charter statement, worded as the council publishes it, as Markdown and HTML."""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree
from datetime import date
from typing import Any

import pytest

from shared.reports.render import as_html, date_range, in_words, statement

NAMES = {"bootle": "Bootle One Stop Shop", "southport": "Southport One Stop Shop"}


def report(
    sites: list[str],
    start: str = "2025-07-01",
    end: str = "2025-09-30",
    minutes: int | None = 20,
    before: int | None = None,
) -> dict[str, Any]:
    return {
        "sites": sites,
        "period": {"from": start, "to": end},
        "average_wait_whole_minutes": minutes,
        "previous_quarter": None
        if before is None
        else {"from": "2025-04-01", "to": "2025-06-30", "average_wait_whole_minutes": before},
        "greet_target_met_pct": 91.5,
        "serve_target_met_pct": 80.0,
        "first_contact_resolution_pct": 88.0,
        "survey": {
            "by_site": {
                code: {
                    "responses": 12,
                    "resolved_pct": 97.5,
                    "csa_satisfied_pct": 100.0,
                    "overall_satisfied_pct": 95.0,
                    "treated_fairly_pct": 100.0,
                }
                for code in sites
            }
        },
    }


def test_the_statement_reads_as_the_council_writes_it() -> None:
    text = statement(report(["bootle", "southport"]), NAMES)
    assert (
        "Between 1st July – 30th September 2025, the average waiting time to see a CSA, "
        "across our two One Stop Shop sites, was 20 minutes.\n"
    ) in text
    assert text.startswith("## One Stop Shops: 1st July – 30th September 2025\n")


def test_a_quarter_is_compared_with_the_one_before() -> None:
    text = statement(
        report(["bootle", "southport"], "2025-10-01", "2025-12-31", minutes=9, before=20), NAMES
    )
    assert (
        "Between 1st October – 31st December 2025, the average waiting time to see a CSA, "
        "across our two One Stop Shop sites, was 9 minutes. (Apr–Jun 2025: 20 minutes.)"
    ) in text


@pytest.mark.parametrize(("count", "word"), [(2, "two"), (3, "three"), (12, "twelve"), (25, "25")])
def test_the_number_of_sites_is_in_words(count: int, word: str) -> None:
    sites = [f"site-{n}" for n in range(count)]
    assert f"across our {word} One Stop Shop sites" in statement(report(sites), {})
    assert in_words(count) == word


def test_one_site_is_named_and_one_minute_is_singular() -> None:
    text = statement(report(["bootle"], minutes=1), NAMES)
    assert "CSA, at Bootle One Stop Shop, was 1 minute." in text
    assert "(12 responses)" in text


def test_nobody_called_and_a_single_day() -> None:
    text = statement(report(["bootle"], "2025-07-01", "2025-07-01", minutes=None), NAMES)
    assert "On 1st July 2025, no visitors were called at Bootle One Stop Shop." in text


def test_a_range_across_years_names_both_years() -> None:
    assert (
        date_range(date(2025, 12, 1), date(2026, 1, 31)) == "1st December 2025 – 31st January 2026"
    )
    assert date_range(date(2025, 7, 2), date(2025, 9, 23)) == "2nd July – 23rd September 2025"


def test_the_html_is_a_whole_document_with_lists_and_escaped_text() -> None:
    page = as_html(report(["bootle", "southport"]), {"bootle": "Bootle <Linacre> & Co"})
    assert page.startswith("<!DOCTYPE html>\n")
    root = ElementTree.fromstring(page.split("\n", 1)[1])  # well formed, or this raises
    assert root.tag == "html" and [child.tag for child in root] == ["head", "body"]
    assert root.find("head/title").text == "One Stop Shop performance"
    parents = {child: parent for parent in root.iter() for child in parent}
    items = list(root.iter("li"))
    assert len(items) == 4 and all(parents[item].tag == "ul" for item in items)
    assert items[2].text.startswith("Bootle <Linacre> & Co (12 responses)")
    assert "&lt;Linacre&gt; &amp; Co" in page
    paragraph = root.find("body/p").text
    assert paragraph.startswith("Between 1st July – 30th September 2025")
