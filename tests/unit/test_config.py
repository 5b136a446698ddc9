"""Site configuration: the shipped sites load; each mistake names file, line and field;
what dump_site writes, parse_site reads back to the same site."""

from __future__ import annotations

import re
from datetime import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shared.config import (
    ICONS_DIR,
    QUESTIONS,
    SITES_DIR,
    Checker,
    ConfigError,
    Locator,
    default_site_files,
    dump_site,
    load_site,
    parse_site,
)
from shared.domain import Desk, DomainError, OpeningHours, Service, Site, Targets
from shared.domain.model import DataOptions, DisplayOptions, KioskOptions, TicketOptions
from shared.domain.policy import CLASSES

BOOTLE = (SITES_DIR / "bootle.toml").read_text()
PRIORITISED = {"elas", "household-support-fund", "social-care"}

# -- the shipped sites ----------------------------------------------------------------


def test_default_site_files_are_the_shipped_bootle_and_southport() -> None:
    files = default_site_files()
    assert [f.name for f in files] == ["bootle.toml", "southport.toml"]
    assert all(isinstance(f, Path) and f.is_file() for f in files)


@pytest.mark.parametrize("path", default_site_files(), ids=lambda p: p.stem)
def test_a_shipped_site_loads_and_keeps_the_charter(path: Path) -> None:
    site = load_site(path)
    assert site.code == path.stem
    assert site.council == "Sefton Council"
    assert site.timezone == "Europe/London"
    assert site.prioritised_services == PRIORITISED
    names = {s.code: s.name for s in site.services}
    assert "Emergency Limited Assistance Scheme" in names["elas"]
    assert names["household-support-fund"] == "Household Support Fund"
    assert names["social-care"] == "Social Care"
    served = set().union(*(d.services for d in site.desks))
    assert served == {s.code for s in site.services}
    assert len({s.letter for s in site.services}) == len(site.services)
    assert (site.targets.greet_minutes, site.targets.serve_minutes) == (2, 15)
    assert site.targets.appointment_grace_minutes == 5
    assert site.queue_order == CLASSES
    assert 4 <= len(site.desks) <= 12
    monday = site.opening_hours.days[0]
    assert monday == (time(9), time(17))
    assert 5 not in site.opening_hours.days and 6 not in site.opening_hours.days


def test_the_prioritised_services_are_seen_in_private_interview_rooms() -> None:
    for path in default_site_files():
        site = load_site(path)
        rooms = [d for d in site.desks if d.name.startswith("Interview Room")]
        assert rooms, path
        for code in PRIORITISED:
            assert any(room.serves(code) for room in rooms), (path, code)
            assert "private_room" in site.service(code).questions


def test_bootle_and_southport_sizes() -> None:
    bootle = load_site(SITES_DIR / "bootle.toml")
    southport = load_site(SITES_DIR / "southport.toml")
    desk_names = [d.name for d in bootle.desks]
    assert desk_names == [f"Desk {n}" for n in range(1, 9)] + [
        "Interview Room 1",
        "Interview Room 2",
    ]
    assert [d.name for d in southport.desks] == [f"Desk {n}" for n in range(1, 7)] + [
        "Interview Room 1"
    ]


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
        parse_site(BOOTLE.replace('announce = "voice"', 'announce = "loud"'), "x.toml")


# -- mistakes: exact line and field ----------------------------------------------------

# A small valid site; the line numbers in the table below count from "[site]" = 1.
MINIMAL = """\
[site]
code = "test"
name = "Test One Stop Shop"
council = "Sefton Council"
timezone = "Europe/London"

[targets]
greet_minutes = 2
serve_minutes = 15

[queue]
order = ["appointment", "priority", "walk_in"]

[opening_hours]
monday = "09:00-17:00"

[[services]]
code = "council-tax"
name = "Council Tax"
letter = "C"
mean_service_minutes = 12

[[services]]
code = "elas"
name = "ELAS"
letter = "E"
prioritised = true

[[desks]]
name = "Desk 1"
services = [
    "council-tax",
    "elas",
]
"""


def test_the_minimal_site_is_valid_and_takes_the_defaults() -> None:
    site = parse_site(MINIMAL)
    assert site.targets == Targets(2, 15, 5, 0)
    assert site.services[1] == Service("elas", "ELAS", "E", prioritised=True)
    assert site.desks == (Desk("Desk 1", frozenset({"council-tax", "elas"})),)
    assert site.opening_hours == OpeningHours({0: (time(9), time(17))})
    assert site.address == ""


def mistake(old: str, new: str) -> str:
    assert MINIMAL.count(old) == 1, old
    return MINIMAL.replace(old, new)


@pytest.mark.parametrize(
    ("text", "line", "field", "message"),
    [
        pytest.param(
            mistake("[targets]", "[targets"),
            7,
            None,
            "not valid TOML: Expected ']' at the end of a table declaration",
            id="syntax-error",
        ),
        pytest.param(
            mistake('name = "Council Tax"', 'name = """Council Tax'),
            19,
            None,
            "not valid TOML: Unterminated string",
            id="syntax-error-at-end-of-document",
        ),
        pytest.param(
            mistake("serve_minutes = 15", "serve_minutes = 15\ngreet_minutes = 3"),
            10,
            None,
            "not valid TOML: Cannot overwrite a value",
            id="key-written-twice",
        ),
        pytest.param(
            mistake('letter = "C"', 'leter = "C"'),
            20,
            "services[0].leter",
            'unknown field "leter" (did you mean "letter"?); expected one of code, name, letter',
            id="unknown-key-with-suggestion",
        ),
        pytest.param(
            mistake("[targets]", "[target]"),
            7,
            "target",
            'unknown field "target" (did you mean "targets"?)',
            id="unknown-table-with-suggestion",
        ),
        pytest.param(
            mistake('name = "Council Tax"', "name = 12"),
            19,
            "services[0].name",
            "expected some text, got 12",
            id="wrong-type",
        ),
        pytest.param(
            mistake("greet_minutes = 2", "greet_minutes = true"),
            8,
            "targets.greet_minutes",
            "expected a whole number of minutes, got true",
            id="bool-for-int",
        ),
        pytest.param(
            mistake("greet_minutes = 2", "greet_minutes = 2.5"),
            8,
            "targets.greet_minutes",
            "expected a whole number of minutes, got 2.5",
            id="float-for-int",
        ),
        pytest.param(
            mistake("serve_minutes = 15", "serve_minutes = -1"),
            9,
            "targets.serve_minutes",
            "expected at least 0 minutes, got -1",
            id="negative-minutes",
        ),
        pytest.param(
            mistake("mean_service_minutes = 12", "mean_service_minutes = true"),
            21,
            "services[0].mean_service_minutes",
            "expected a number above zero, got true",
            id="bool-for-number",
        ),
        pytest.param(
            mistake("mean_service_minutes = 12", "mean_service_minutes = inf"),
            21,
            "services[0].mean_service_minutes",
            "expected a number above zero, got inf",
            id="infinite-minutes",
        ),
        pytest.param(
            mistake("prioritised = true", 'prioritised = "yes"'),
            27,
            "services[1].prioritised",
            'expected true or false, got "yes"',
            id="text-for-bool",
        ),
        pytest.param(
            mistake('letter = "E"', 'letter = "e"'),
            26,
            "services[1].letter",
            'expected one capital letter, got "e"',
            id="lower-case-letter",
        ),
        pytest.param(
            mistake('letter = "C"', 'letter = "CC"'),
            20,
            "services[0].letter",
            'expected one capital letter, got "CC"',
            id="two-letters",
        ),
        pytest.param(
            mistake('code = "elas"', 'code = "Elas"'),
            24,
            "services[1].code",
            'expected lower-case letters, digits and dashes, got "Elas"',
            id="bad-service-code",
        ),
        pytest.param(
            mistake('code = "elas"', 'code = "council-tax"'),
            24,
            "services[1].code",
            'service code "council-tax" is used twice',
            id="duplicate-service-code",
        ),
        pytest.param(
            mistake('    "elas",', '    "elass",'),
            33,
            "desks[0].services",
            'unknown service "elass" (did you mean "elas"?)',
            id="desk-names-an-unknown-service",
        ),
        pytest.param(
            mistake('    "elas",\n', ""),
            24,
            "services[1].code",
            'no desk serves "elas", so nobody could ever be called for it',
            id="service-no-desk-serves",
        ),
        pytest.param(
            mistake('    "elas",\n]\n', '    "elas",\n]\n\n[[desks]]\nname = "desk 1"\n'),
            37,
            "desks[1].name",
            'desk "desk 1" is named twice',
            id="duplicate-desk",
        ),
        pytest.param(
            mistake('timezone = "Europe/London"', 'timezone = "Europe/Londn"'),
            5,
            "site.timezone",
            'unknown time zone "Europe/Londn" (e.g. "Europe/London")',
            id="bad-timezone",
        ),
        pytest.param(
            mistake('monday = "09:00-17:00"', 'monday = "9-5"'),
            15,
            "opening_hours.monday",
            'expected "09:00-17:00" or "closed" (opening-closing, 24-hour clock), got "9-5"',
            id="bad-opening-hours",
        ),
        pytest.param(
            mistake('monday = "09:00-17:00"', 'monday = "17:00-09:00"'),
            15,
            "opening_hours.monday",
            'got "17:00-09:00"',
            id="closing-before-opening",
        ),
        pytest.param(
            mistake('monday = "09:00-17:00"', 'monday = "09:00-17:00"\nfunday = "closed"'),
            16,
            "opening_hours.funday",
            'unknown field "funday" (did you mean "sunday"?)',
            id="unknown-day",
        ),
        pytest.param(
            mistake('"priority", "walk_in"]', '"vip", "walk_in"]'),
            12,
            "queue.order",
            'unknown queue class "vip"; expected some of appointment, priority, walk_in',
            id="bad-queue-order",
        ),
        pytest.param(
            mistake('"priority", "walk_in"]', '"walk_in", "walk_in"]'),
            12,
            "queue.order",
            '"walk_in" is listed twice',
            id="queue-class-twice",
        ),
        pytest.param(
            mistake('council = "Sefton Council"\n', ""),
            1,
            "site.council",
            "is required",
            id="missing-required-field",
        ),
        pytest.param(
            mistake('letter = "E"\n', ""),
            23,
            "services[1].letter",
            "is required",
            id="missing-service-letter",
        ),
        pytest.param(
            mistake("services = [", "servces = ["),
            31,
            "desks[0].servces",
            'did you mean "services"?',
            id="misspelt-desk-services",
        ),
    ],
)
def test_a_mistake_names_the_file_line_and_field(
    text: str, line: int, field: str | None, message: str
) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_site(text, "sites/test.toml")
    error = caught.value
    assert (error.path, error.line, error.field) == ("sites/test.toml", line, field)
    assert message in error.message
    where = f"sites/test.toml, line {line}" + (f", {field}" if field else "")
    assert str(error) == f"{where}: {error.message}"


def test_the_error_reads_as_the_documentation_shows() -> None:
    with pytest.raises(ConfigError) as caught:
        parse_site(mistake('letter = "C"', 'letter = "cc"'), "resources/sites/bootle.toml")
    assert str(caught.value) == (
        "resources/sites/bootle.toml, line 20, services[0].letter: "
        'expected one capital letter, got "cc"'
    )


def test_missing_tables() -> None:
    with pytest.raises(ConfigError, match=r"^x\.toml: missing the \[site\] table$"):
        parse_site(MINIMAL.split("\n\n", 1)[1], "x.toml")
    with pytest.raises(ConfigError, match=r"^x\.toml: expected at least one \[\[desks\]\] table"):
        parse_site(MINIMAL.split("[[desks]]")[0], "x.toml")
    with pytest.raises(ConfigError, match=r"line 29, desks: write \[\[desks\]\] with double"):
        parse_site(MINIMAL.replace("[[desks]]", "[desks]"), "x.toml")


def test_mistakes_in_the_shipped_file_point_at_its_lines() -> None:
    def line_of(text: str, pattern: str) -> int:
        return next(n for n, line in enumerate(text.splitlines(), 1) if re.search(pattern, line))

    text = BOOTLE.replace('"payments", "general-enquiries"]', '"payment", "general-enquiries"]', 1)
    with pytest.raises(ConfigError, match='did you mean "payments"') as caught:
        parse_site(text, "bootle.toml")
    assert caught.value.field == "desks[0].services"
    assert caught.value.line == line_of(text, r'"payment", "general')

    text = BOOTLE.replace('questions = ["step_free_access"]', 'questions = ["lift"]')
    with pytest.raises(ConfigError, match='unknown question "lift"') as caught:
        parse_site(text, "bootle.toml")
    assert caught.value.field == "services[8].questions"
    assert caught.value.line == line_of(text, r'"lift"')


def test_a_missing_file() -> None:
    with pytest.raises(ConfigError, match="cannot read"):
        load_site("/nonexistent/bootle.toml")


def test_a_config_error_is_a_domain_error_for_the_staff_screens() -> None:
    assert issubclass(ConfigError, DomainError)


def test_a_rule_the_domain_enforces_is_reported_at_the_field() -> None:
    check = Checker("x.toml", Locator(MINIMAL))
    with pytest.raises(ConfigError) as caught, check.building("services[1]"):
        raise DomainError("service elas: something the domain refuses")
    assert (caught.value.line, caught.value.field) == (23, "services[1]")
    assert (
        str(caught.value)
        == "x.toml, line 23, services[1]: service elas: something the domain refuses"
    )


def test_the_locator_skips_multi_line_strings_and_finds_dotted_tables() -> None:
    text = '[site]\naddress = """\nletter = "not a key"\n"""\n[site.extra]\nletter = "B"\n'
    locator = Locator(text)
    assert locator.line("site.address") == 2
    assert locator.line("site.letter") == 1  # not line 3, which is inside the string
    assert locator.line("site.extra") == 5
    assert locator.line("nowhere.at.all") is None
    assert locator.line(None) is None


# -- writing a site back -------------------------------------------------------------


@pytest.mark.parametrize("path", default_site_files(), ids=lambda p: p.stem)
def test_a_shipped_site_round_trips(path: Path) -> None:
    site = load_site(path)
    written = dump_site(site)
    assert parse_site(written, "dumped.toml") == site
    assert dump_site(parse_site(written)) == written


def test_dump_writes_readable_toml() -> None:
    written = dump_site(parse_site(MINIMAL))
    assert '[site]\ncode = "test"\n' in written
    assert 'monday = "09:00-17:00"\ntuesday = "closed"\n' in written
    assert "mean_service_minutes = 12\n" in written
    assert 'services = ["council-tax", "elas"]\n' in written


def test_dump_escapes_what_toml_needs_escaped() -> None:
    site = parse_site(MINIMAL)
    awkward = 'Rates "and" C:\\bills\tpaid\nlate \x7f\x01 café – £'
    changed = Site(
        code=site.code,
        name=awkward,
        council=site.council,
        services=site.services,
        desks=site.desks,
        address="1 Oriel Road\nBootle",
    )
    assert parse_site(dump_site(changed)) == changed


def texts() -> st.SearchStrategy[str]:
    """Text as parse_site keeps it: not empty, no white space at either end."""
    return st.text(min_size=1, max_size=12).map(str.strip).filter(bool)


codes = st.from_regex(r"[a-z0-9][a-z0-9-]{0,8}", fullmatch=True)
minutes = st.integers(min_value=0, max_value=120)
spans = st.lists(st.integers(0, 24 * 60 - 1), min_size=2, max_size=2, unique=True).map(
    lambda pair: tuple(time(m // 60, m % 60) for m in sorted(pair))
)
ICONS = ["", *sorted(p.stem for p in ICONS_DIR.glob("*.svg"))]


@st.composite
def sites(draw: st.DrawFn) -> Site:
    service_codes = draw(st.lists(codes, min_size=1, max_size=4, unique=True))
    services = tuple(
        Service(
            code=code,
            name=draw(texts()),
            letter=draw(st.sampled_from("ABCDEFGHIJKLMNOPQRSTUVWXYZ")),
            prioritised=draw(st.booleans()),
            group=draw(texts()),
            mean_service_minutes=draw(
                st.one_of(
                    st.integers(1, 240).map(float),
                    st.floats(0.01, 480, allow_nan=False, allow_infinity=False),
                )
            ),
            questions=tuple(draw(st.lists(st.sampled_from(QUESTIONS), unique=True))),
            icon=draw(st.sampled_from(ICONS)),
        )
        for code in service_codes
    )
    names = draw(st.lists(texts(), min_size=1, max_size=4, unique_by=str.casefold))
    served = [set(draw(st.sets(st.sampled_from(service_codes), min_size=1))) for _ in names]
    served[0] |= set(service_codes) - set().union(*served)  # every service has a desk
    order = draw(st.permutations(CLASSES))[: draw(st.integers(1, 3))]
    languages = draw(
        st.lists(st.sampled_from(("pl", "ar")), unique=True).flatmap(
            lambda rest: st.permutations(["en", *rest])
        )
    )
    return Site(
        code=draw(codes),
        name=draw(texts()),
        council=draw(texts()),
        services=services,
        desks=tuple(Desk(n, frozenset(s)) for n, s in zip(names, served, strict=True)),
        targets=Targets(draw(minutes), draw(minutes), draw(minutes), draw(minutes)),
        timezone=draw(st.sampled_from(["Europe/London", "Europe/Dublin", "UTC"])),
        opening_hours=OpeningHours(draw(st.dictionaries(st.integers(0, 6), spans))),
        queue_order=tuple(order),
        address=draw(st.one_of(st.just(""), texts())),
        tickets=TicketOptions(
            printer=draw(st.sampled_from(["preview", "tcp://192.0.2.10:9100", "usb://04b8:0202"])),
            profile=draw(st.sampled_from(["", "TM-T88V"])),
            paper_mm=draw(st.sampled_from([58, 80])),
            ask_status=draw(st.booleans()),
            qr_url=draw(st.text(max_size=12)).strip() + "{code}",
            footer=draw(texts()),
        ),
        kiosk=KioskOptions(
            idle_seconds=draw(st.integers(15, 600)),
            languages=tuple(languages),
            supervisor_pin_sha256=draw(st.sampled_from(["", "ab" * 32])),
        ),
        display=DisplayOptions(
            announce=draw(st.sampled_from(["voice", "chime", "silent"])),
            language=draw(st.sampled_from(["en", "pl"])),
        ),
        data=DataOptions(retention_days=draw(st.integers(1, 3650))),
    )


@settings(max_examples=150, deadline=None)
@given(sites())
def test_any_valid_site_round_trips(site: Site) -> None:
    written = dump_site(site)
    assert parse_site(written, "dumped.toml") == site


def test_the_documented_example_is_a_valid_site() -> None:
    docs = (SITES_DIR.parent.parent / "docs" / "site-config.md").read_text()
    example = docs.split("## An example", 1)[1].split("```toml\n", 1)[1].split("```", 1)[0]
    site = parse_site(example, "docs/site-config.md")
    assert site.prioritised_services == {"elas"}
    assert [d.name for d in site.desks] == ["Desk 1", "Interview Room 1"]
