"""Site configuration: the shipped sites load; each mistake names file, line and field."""

from __future__ import annotations

import re

import pytest

from shared.config import SITES_DIR, ConfigError, default_site_files, load_site, parse_site

BOOTLE = (SITES_DIR / "bootle.toml").read_text()


def test_the_shipped_sites_load() -> None:
    sites = {load_site(path).code: load_site(path) for path in default_site_files()}
    assert set(sites) == {"bootle", "southport"}
    for site in sites.values():
        assert site.council == "Sefton Council"
        assert site.prioritised_services == {"elas", "household-support-fund", "social-care"}
        served = set().union(*(d.services for d in site.desks))
        assert served == {s.code for s in site.services}
        assert len({s.letter for s in site.services}) == len(site.services)
        assert (site.targets.greet_minutes, site.targets.serve_minutes) == (2, 15)
        assert 4 <= len(site.desks) <= 12
        assert site.opening_hours.days[0][0].hour == 9 and 5 not in site.opening_hours.days


def line_of(text: str, pattern: str, occurrence: int = 0) -> int:
    lines = [n for n, line in enumerate(text.splitlines(), 1) if re.search(pattern, line)]
    return lines[occurrence]


def swap(old: str, new: str, count: int = 1) -> str:
    assert old in BOOTLE
    return BOOTLE.replace(old, new, count)


@pytest.mark.parametrize(
    ("text", "field", "line_pattern", "message"),
    [
        (
            swap('letter = "C"', 'letter = "cc"'),
            "services[0].letter",
            r'letter = "cc"',
            "one capital letter",
        ),
        (
            swap('letter = "C"', 'leter = "C"'),
            "services[0].leter",
            r"^leter",
            'did you mean "letter"',
        ),
        (
            swap("mean_service_minutes = 10", "mean_service_minutes = true"),
            "services[0].mean_service_minutes",
            r"= true",
            "number above zero",
        ),
        (
            swap("greet_minutes = 2", "greet_minutes = true"),
            "targets.greet_minutes",
            r"^greet_minutes",
            "whole number",
        ),
        (
            swap("greet_minutes = 2", 'greet_minutes = "2"'),
            "targets.greet_minutes",
            r"^greet_minutes",
            "whole number",
        ),
        (
            swap('code = "council-tax-reduction"', 'code = "council-tax"'),
            "services[1].code",
            r'code = "council-tax"',
            "used twice",
        ),
        (
            swap('"payments", "general-enquiries"]', '"payment", "general-enquiries"]'),
            "desks[0].services",
            r'"payment",',
            'did you mean "payments"',
        ),
        (
            swap('timezone = "Europe/London"', 'timezone = "Europe/Londn"'),
            "site.timezone",
            r"^timezone",
            "unknown time zone",
        ),
        (
            swap('monday = "09:00-17:00"', 'monday = "9-5"'),
            "opening_hours.monday",
            r"^monday",
            '"09:00-17:00" or "closed"',
        ),
        (
            swap('order = ["appointment", "priority", "walk_in"]', 'order = ["vip"]'),
            "queue.order",
            r"^order",
            "appointment, priority, walk_in",
        ),
        (
            swap("prioritised = true", 'prioritised = "yes"'),
            "services[5].prioritised",
            r'prioritised = "yes"',
            "true or false",
        ),
        (
            swap('questions = ["step_free_access"]', 'questions = ["lift"]'),
            "services[8].questions",
            r'"lift"',
            "unknown question",
        ),
        (
            swap('name = "Desk 2"', 'name = "Desk 1"'),
            "desks[1].name",
            r'name = "Desk 1"',
            "named twice",
        ),
    ],
)
def test_mistakes_name_the_file_line_and_field(text, field, line_pattern, message) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_site(text, "sites/bootle.toml")
    error = caught.value
    assert error.field == field
    occurrence = 1 if field == "desks[1].name" or field == "services[1].code" else 0
    assert error.line == line_of(text, line_pattern, occurrence)
    assert message in str(error)
    assert str(error).startswith(f"sites/bootle.toml, line {error.line}, {field}: ")


def test_a_toml_syntax_error_names_the_line() -> None:
    text = swap("[targets]", "[targets")
    with pytest.raises(ConfigError) as caught:
        parse_site(text, "x.toml")
    assert caught.value.line == line_of(text, r"^\[targets$")
    assert "not valid TOML" in str(caught.value)


def test_a_service_no_desk_serves_is_an_error() -> None:
    text = BOOTLE.replace(', "taxi-licensing"', "").replace('"taxi-licensing", ', "")
    with pytest.raises(ConfigError, match='no desk serves "taxi-licensing"') as caught:
        parse_site(text, "x.toml")
    assert caught.value.line == line_of(text, r'code = "taxi-licensing"')


def test_missing_fields_and_tables() -> None:
    with pytest.raises(ConfigError, match=r"missing the \[site\] table"):
        parse_site('[[services]]\ncode = "a"\n', "x.toml")
    with pytest.raises(ConfigError, match=r"site\.council: is required"):
        parse_site(swap('council = "Sefton Council"\n', ""), "x.toml")
    with pytest.raises(ConfigError, match=r"at least one \[\[desks\]\]"):
        parse_site(BOOTLE.split("[[desks]]")[0], "x.toml")


def test_unknown_top_level_table() -> None:
    with pytest.raises(ConfigError, match=r'unknown field "target".*did you mean "targets"'):
        parse_site(swap("[targets]", "[target]"), "x.toml")


def test_a_missing_file() -> None:
    with pytest.raises(ConfigError, match="cannot read"):
        load_site("/nonexistent/bootle.toml")


def test_a_desk_number_means_the_desk_of_that_number() -> None:
    site = parse_site(BOOTLE, "bootle.toml")
    assert site.desk("1").name == "Desk 1"
    assert site.desk("desk 4").name == "Desk 4"
    assert site.desk("Interview Room 1").name == "Interview Room 1"


def test_display_settings() -> None:
    site = parse_site(BOOTLE, "bootle.toml")
    assert (site.display.announce, site.display.language) == ("voice", "en")
    with pytest.raises(
        ConfigError, match=r'display\.announce: expected "voice", "chime" or "silent"'
    ):
        parse_site(swap('announce = "voice"', 'announce = "loud"'), "x.toml")
