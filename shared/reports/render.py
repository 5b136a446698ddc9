"""The report as text, JSON, CSV or Markdown, and the charter statement the council publishes."""

from __future__ import annotations

import csv
import io
import json
import textwrap
from datetime import date
from html import escape
from typing import Any

HEADLINES = [
    ("visits", "Visits", ""),
    ("greet_target_met_pct", "Greeted within the greet target", "%"),
    ("serve_target_met_pct", "Called within the serve target", "%"),
    ("average_wait_minutes", "Average wait to see a CSA", " min"),
    ("p90_wait_minutes", "90th percentile wait", " min"),
    ("average_wait_minutes_12_14", "Average wait, arrivals 12:00-14:00", " min"),
    ("p90_wait_minutes_12_14", "90th percentile wait, arrivals 12:00-14:00", " min"),
    ("appointments_on_time_pct", "Appointments on time", "%"),
    ("no_shows", "No-shows", ""),
    ("left_before_called", "Left before being called", ""),
    ("first_contact_resolution_pct", "Resolved at first point of contact", "%"),
    ("avoidable_contact_pct", "Avoidable contact", "%"),
]
SURVEY = [
    ("responses", "Survey responses", ""),
    ("resolved_pct", "Query fully resolved during the visit", "%"),
    ("csa_satisfied_pct", "Very or fairly satisfied with the CSA", "%"),
    ("overall_satisfied_pct", "Very or fairly satisfied with the whole experience", "%"),
    ("treated_fairly_pct", "Felt treated fairly", "%"),
]
# The survey's questions in a few words, for chart labels and narrow columns.
SURVEY_SHORT = {
    "responses": "Responses",
    "resolved_pct": "Query resolved",
    "csa_satisfied_pct": "Satisfied with CSA",
    "overall_satisfied_pct": "Satisfied overall",
    "treated_fairly_pct": "Treated fairly",
}


def show(value: Any, unit: str) -> str:
    if value is None:
        return "n/a"
    if isinstance(value, float) and value.is_integer() and unit == " min":
        return f"{value:.1f}{unit}"
    return f"{value}{unit}"


def as_json(report: dict[str, Any]) -> str:
    return json.dumps(report, indent=2, default=str)


Table = tuple[str, list[str], list[list[Any]]]  # title, column headings, rows


def tick_step(peak: float, most: int = 6) -> int:
    """A whole-number axis step giving at most `most` ticks up to `peak`: 1, 2, 5, 10, 20 ..."""
    step = 1
    while peak / step > most:
        for factor in (2, 5 / 2, 2):  # 1 -> 2 -> 5 -> 10 -> 20 -> 50 ...
            step = round(step * factor)
            if peak / step <= most:
                break
    return step


def site_name(report: dict[str, Any], code: str) -> str:
    return str(report.get("site_names", {}).get(code, code))


def service_name(report: dict[str, Any], code: str) -> str:
    return str(report.get("service_names", {}).get(code, code))


def survey_rows(report: dict[str, Any]) -> list[list[Any]]:
    """The survey by site: name, responses and the four shares."""
    return [
        [site_name(report, code), *[figures[key] for key, _, _ in SURVEY]]
        for code, figures in report["survey"]["by_site"].items()
    ]


def comment_rows(report: dict[str, Any]) -> list[list[Any]]:
    return [
        [site_name(report, c["site"]), c["date"], c["comment"]]
        for c in report["survey"]["comments"]
    ]


def tables(report: dict[str, Any]) -> list[Table]:
    """The report's tables, as text, Markdown and the workbook show them."""
    reason_share = report["avoidable_by_reason_pct"]
    service_share = report["avoidable_by_service_pct"]
    service_rate = report["avoidable_rate_by_service_pct"]
    return [
        (
            "Visits by service",
            ["Service", "Visits"],
            [[service_name(report, k), n] for k, n in _items(report, "visits_by_service")],
        ),
        (
            "Visits by hour",
            ["Hour", "Visits"],
            [[k, n] for k, n in _items(report, "visits_by_hour")],
        ),
        (
            "Visits by weekday",
            ["Weekday", "Visits"],
            [[k, n] for k, n in _items(report, "visits_by_weekday")],
        ),
        (
            "Wait to see a CSA",
            ["Wait", "Visits"],
            [[k, n] for k, n in _items(report, "wait_distribution")],
        ),
        (
            "Avoidable contact by reason",
            ["Reason", "Visits", "% of avoidable contact"],
            [
                [k or "(none given)", n, reason_share[k]]
                for k, n in _items(report, "avoidable_by_reason")
            ],
        ),
        (
            "Avoidable contact by service",
            ["Service", "Visits", "% of avoidable contact", "% of the service's finished visits"],
            [
                [service_name(report, k), n, service_share[k], service_rate[k]]
                for k, n in _items(report, "avoidable_by_service")
            ],
        ),
        (
            "Survey by site",
            ["Site", *[SURVEY_SHORT[key] + (" (%)" if unit else "") for key, _, unit in SURVEY]],
            survey_rows(report),
        ),
        ("Comments", ["Site", "Date", "Comment"], comment_rows(report)),
        (
            "Month by month",
            ["Month", "Visits", "Average wait (min)", "Greeted in time (%)", "Called in time (%)"],
            [
                [
                    m["month"],
                    m["visits"],
                    m["average_wait_minutes"],
                    m["greet_target_met_pct"],
                    m["serve_target_met_pct"],
                ]
                for m in report["months"]
            ],
        ),
    ]


def _items(report: dict[str, Any], key: str) -> list[tuple[Any, Any]]:
    return list(report[key].items())


def cell(value: Any) -> str:
    return "n/a" if value is None else str(value)


def as_text(report: dict[str, Any]) -> str:
    lines = [
        f"OneStop report: {', '.join(report['sites'])}, "
        f"{report['period']['from']} to {report['period']['to']}",
        "",
    ]
    width = max(len(label) for _, label, _ in HEADLINES + SURVEY)
    lines += [f"{label:<{width}}  {show(report[key], unit)}" for key, label, unit in HEADLINES]
    lines.append("")
    lines += [
        f"{label:<{width}}  {show(report['survey'][key], unit)}" for key, label, unit in SURVEY
    ]
    for title, columns, rows in tables(report):
        if title == "Comments":
            lines += ["", f"Comments ({len(rows)})"] if rows else []
            for site, day, comment in rows:
                text = " ".join(str(comment).split())
                lines += textwrap.wrap(
                    f"{day}, {site}: {text}", 96, initial_indent="  ", subsequent_indent="    "
                )
            continue
        if not rows:
            continue
        texts = [columns] + [[cell(v) for v in row] for row in rows]
        widths = [max(len(row[i]) for row in texts) for i in range(len(columns))]
        lines += ["", title]
        for row in texts:
            first = f"  {row[0]:<{widths[0]}}"
            rest = "".join(f"  {v:>{w}}" for v, w in zip(row[1:], widths[1:], strict=True))
            lines.append((first + rest).rstrip())
    return "\n".join(lines)


def as_csv(report: dict[str, Any]) -> str:
    """Long form, one figure a row: table, name, value (empty: nothing to count)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["table", "name", "value"])
    for key, _label, _unit in HEADLINES:
        writer.writerow(["headline", key, "" if report[key] is None else report[key]])
    for key, _label, _unit in SURVEY:
        value = report["survey"][key]
        writer.writerow(["survey", key, "" if value is None else value])
    for table in (
        "visits_by_service",
        "visits_by_hour",
        "visits_by_weekday",
        "wait_distribution",
        "avoidable_by_reason",
        "avoidable_by_reason_pct",
        "avoidable_by_service",
        "avoidable_by_service_pct",
        "avoidable_rate_by_service_pct",
    ):
        for name, value in report[table].items():
            writer.writerow([table, name, "" if value is None else value])
    for month in report["months"]:
        for key, value in month.items():
            if key != "month":
                writer.writerow([f"month {month['month']}", key, "" if value is None else value])
    for code, figures in report["survey"]["by_site"].items():
        for key, _label, _unit in SURVEY:
            value = figures[key]
            writer.writerow([f"survey {code}", key, "" if value is None else value])
    for c in report["survey"]["comments"]:
        writer.writerow(["comment", f"{c['site']} {c['date']}", c["comment"]])
    return out.getvalue()


MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
NUMBERS = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
    "twenty",
]


def in_words(count: int) -> str:
    """A number of sites as the council writes it: "two", "three" (digits above twenty)."""
    return NUMBERS[count] if 0 <= count < len(NUMBERS) else str(count)


def long_date(day: date) -> str:
    """As in "1st July 2025" (English whatever the machine's locale)."""
    suffix = "th" if 11 <= day.day <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(day.day % 10, "th")
    return f"{day.day}{suffix} {MONTHS[day.month - 1]} {day.year}"


def date_range(start: date, end: date) -> str:
    """As the council writes it: "1st July – 30th September 2025"."""
    if start.year == end.year:
        return f"{long_date(start).rsplit(' ', 1)[0]} – {long_date(end)}"
    return f"{long_date(start)} – {long_date(end)}"


def short_range(start: date, end: date) -> str:
    """A quarter in the statement's comparison: "Jul–Sep 2025"."""
    first, last = MONTHS[start.month - 1][:3], MONTHS[end.month - 1][:3]
    if start.year == end.year:
        return f"{first}–{last} {end.year}"
    return f"{first} {start.year}–{last} {end.year}"


def in_minutes(whole_minutes: int) -> str:
    if whole_minutes == 0:
        return "under a minute"
    return f"{whole_minutes} minute" + ("" if whole_minutes == 1 else "s")


Block = tuple[str, Any]  # ("h2" | "h3" | "p", text) or ("ul", [text, ...])


def statement_blocks(report: dict[str, Any], names: dict[str, str]) -> list[Block]:
    """The charter statement, in the council's own words, as headings, paragraphs and lists:
    "Between 1st July – 30th September 2025, the average waiting time to see a CSA, across
    our two One Stop Shop sites, was 20 minutes. (Apr–Jun 2025: 18 minutes.)"."""
    start = date.fromisoformat(report["period"]["from"])
    end = date.fromisoformat(report["period"]["to"])
    count = len(report["sites"])
    only = names.get(report["sites"][0]) or site_name(report, report["sites"][0])
    where = f"across our {in_words(count)} One Stop Shop sites" if count > 1 else f"at {only}"
    heading = "One Stop Shops" if count > 1 else only
    when = f"On {long_date(start)}" if start == end else f"Between {date_range(start, end)}"
    whole_minutes = report["average_wait_whole_minutes"]
    if whole_minutes is None:
        sentence = f"{when}, no visitors were called {where}."
    else:
        sentence = (
            f"{when}, the average waiting time to see a CSA, {where}, "
            f"was {in_minutes(whole_minutes)}."
        )
    before = report.get("previous_quarter")
    if before and before["average_wait_whole_minutes"] is not None:
        earlier = short_range(date.fromisoformat(before["from"]), date.fromisoformat(before["to"]))
        sentence += f" ({earlier}: {in_minutes(before['average_wait_whole_minutes'])}.)"
    blocks: list[Block] = [
        ("h2", f"{heading}: {date_range(start, end)}"),
        ("p", sentence),
        (
            "ul",
            [
                f"{show(report['greet_target_met_pct'], '%')} of visitors were greeted within "
                f"the greet target, and {show(report['serve_target_met_pct'], '%')} were called "
                "within the serve target.",
                f"{show(report['first_contact_resolution_pct'], '%')} of enquiries were resolved "
                "at the first point of contact.",
            ],
        ),
    ]
    survey = report["survey"]
    if survey["by_site"]:
        items = []
        for code, figures in survey["by_site"].items():
            name = names.get(code) or site_name(report, code)
            if not figures["responses"]:
                items.append(f"{name}: no survey responses in this period.")
                continue
            responses = figures["responses"]
            items.append(
                f"{name} ({responses} response{'' if responses == 1 else 's'}): "
                f"{show(figures['resolved_pct'], '%')} said their query was fully resolved during "
                f"the visit; {show(figures['csa_satisfied_pct'], '%')} were very or fairly "
                f"satisfied with the CSA; {show(figures['overall_satisfied_pct'], '%')} with the "
                f"whole experience; {show(figures['treated_fairly_pct'], '%')} felt treated fairly."
            )
        blocks += [("h3", "Customer Service User Experience Survey"), ("ul", items)]
    return blocks


def statement(report: dict[str, Any], names: dict[str, str]) -> str:
    """The charter statement as Markdown."""
    lines: list[str] = []
    for kind, content in statement_blocks(report, names):
        if kind == "ul":
            lines += [f"- {item}" for item in content]
        else:
            lines.append({"h2": "## ", "h3": "### ", "p": ""}[kind] + content)
        lines.append("")
    return "\n".join(lines)


def _md(value: Any) -> str:
    """A table cell: one line, pipes and Markdown's own characters escaped."""
    text = " ".join(cell(value).split())
    for char in "\\|*_`[]<>#":
        text = text.replace(char, "\\" + char)
    return text


def as_markdown(report: dict[str, Any], names: dict[str, str]) -> str:
    """The charter statement, the headline figures, then every table."""
    rows = ["| Figure | Value |", "|---|---:|"]
    rows += [f"| {label} | {show(report[key], unit)} |" for key, label, unit in HEADLINES]
    rows += [f"| {label} | {show(report['survey'][key], unit)} |" for key, label, unit in SURVEY]
    parts = [statement(report, names), "### Figures", "", *rows]
    for title, columns, body in tables(report):
        if not body:
            continue
        parts += ["", f"### {title}", ""]
        parts.append("| " + " | ".join(_md(c) for c in columns) + " |")
        parts.append("|" + "|".join(["---"] + ["---:"] * (len(columns) - 1)) + "|")
        if title == "Comments":
            parts[-1] = "|---|---|---|"
        parts += ["| " + " | ".join(_md(v) for v in row) + " |" for row in body]
    return "\n".join(parts) + "\n"


def as_html(report: dict[str, Any], names: dict[str, str]) -> str:
    """The charter statement as a complete HTML document, every text escaped."""
    body = []
    for kind, content in statement_blocks(report, names):
        if kind == "ul":
            body.append("<ul>")
            body += [f"  <li>{escape(item)}</li>" for item in content]
            body.append("</ul>")
        else:
            body.append(f"<{kind}>{escape(content)}</{kind}>")
    return "\n".join(
        [
            "<!DOCTYPE html>",
            '<html lang="en-GB">',
            "<head>",
            '<meta charset="utf-8" />',
            "<title>One Stop Shop performance</title>",
            "</head>",
            "<body>",
            *body,
            "</body>",
            "</html>",
            "",
        ]
    )
