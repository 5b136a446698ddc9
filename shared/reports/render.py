"""The report as text, JSON, CSV or Markdown, and the charter statement the council publishes."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

HEADLINES = [
    ("visits", "Visits", ""),
    ("greet_target_met_pct", "Greeted within the greet target", "%"),
    ("serve_target_met_pct", "Called within the serve target", "%"),
    ("average_wait_minutes", "Average wait to see a CSA", " min"),
    ("p90_wait_minutes", "90th percentile wait", " min"),
    ("average_wait_minutes_12_14", "Average wait, arrivals 12:00-14:00", " min"),
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


def show(value: Any, unit: str) -> str:
    if value is None:
        return "n/a"
    if isinstance(value, float) and value.is_integer() and unit == " min":
        return f"{value:.1f}{unit}"
    return f"{value}{unit}"


def as_json(report: dict[str, Any]) -> str:
    return json.dumps(report, indent=2, default=str)


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
    for title, key in (
        ("Visits by service", "visits_by_service"),
        ("Visits by hour", "visits_by_hour"),
        ("Visits by weekday", "visits_by_weekday"),
        ("Avoidable contact by reason", "avoidable_by_reason"),
        ("Avoidable contact by service", "avoidable_by_service"),
    ):
        if report[key]:
            lines += ["", title] + [f"  {k:<40} {v}" for k, v in report[key].items()]
    if report["months"]:
        lines += ["", "Month by month"]
        lines += [
            f"  {m['month']}  visits {m['visits']:>6}  average wait "
            f"{show(m['average_wait_minutes'], ' min'):>9}  greeted in time "
            f"{show(m['greet_target_met_pct'], '%'):>6}  called in time "
            f"{show(m['serve_target_met_pct'], '%'):>6}"
            for m in report["months"]
        ]
    return "\n".join(lines)


def as_csv(report: dict[str, Any]) -> str:
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
        "avoidable_by_reason",
        "avoidable_by_service",
    ):
        for name, value in report[table].items():
            writer.writerow([table, name, value])
    for month in report["months"]:
        for key, value in month.items():
            if key != "month":
                writer.writerow([f"month {month['month']}", key, "" if value is None else value])
    return out.getvalue()


def whole(value: float) -> int:
    """Rounded half up, as people round (9.5 -> 10, 8.5 -> 9)."""
    return int(Decimal(str(value)).quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def long_date(day: date) -> str:
    suffix = "th" if 11 <= day.day <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(day.day % 10, "th")
    return f"{day.day}{suffix} {day:%B %Y}"


def date_range(start: date, end: date) -> str:
    """As the council writes it: "1st July – 30th September 2025"."""
    if start.year == end.year:
        return f"{long_date(start).rsplit(' ', 1)[0]} – {long_date(end)}"
    return f"{long_date(start)} – {long_date(end)}"


def statement(report: dict[str, Any], names: dict[str, str]) -> str:
    """The charter statement as Markdown, in the council's own words."""
    start = date.fromisoformat(report["period"]["from"])
    end = date.fromisoformat(report["period"]["to"])
    count = len(report["sites"])
    where = (
        "across our two One Stop Shop sites"
        if count == 2
        else f"across our {count} One Stop Shop sites"
        if count > 2
        else f"at {names.get(report['sites'][0], report['sites'][0])}"
    )
    wait = report["average_wait_minutes"]
    lines = [f"## One Stop Shops: {long_date(start)} – {long_date(end)}", ""]
    if wait is None:
        lines.append(
            f"Between {long_date(start)} – {long_date(end)}, no visitors were called {where}."
        )
    else:
        lines.append(
            f"Between {long_date(start)} – {long_date(end)}, the average waiting time to "
            f"see a CSA, {where}, was {round(wait):.0f} minutes."
        )
    lines += [
        "",
        f"- {show(report['greet_target_met_pct'], '%')} of visitors were greeted within the "
        "greet target, and "
        f"{show(report['serve_target_met_pct'], '%')} were called within the serve target.",
        f"- {show(report['first_contact_resolution_pct'], '%')} of enquiries were resolved at "
        "the first point of contact.",
    ]
    survey = report["survey"]
    if survey["by_site"]:
        lines += ["", "### Customer Service User Experience Survey", ""]
        for code, figures in survey["by_site"].items():
            name = names.get(code, code)
            if not figures["responses"]:
                lines.append(f"- {name}: no survey responses in this period.")
                continue
            lines.append(
                f"- {name} ({figures['responses']} responses): "
                f"{show(figures['resolved_pct'], '%')} said their query was fully resolved during "
                f"the visit; {show(figures['csa_satisfied_pct'], '%')} were very or fairly "
                f"satisfied with the CSA; {show(figures['overall_satisfied_pct'], '%')} with the "
                f"whole experience; {show(figures['treated_fairly_pct'], '%')} felt treated fairly."
            )
    return "\n".join(lines) + "\n"


def as_markdown(report: dict[str, Any], names: dict[str, str]) -> str:
    rows = ["| Figure | Value |", "|---|---|"]
    rows += [f"| {label} | {show(report[key], unit)} |" for key, label, unit in HEADLINES]
    rows += [f"| {label} | {show(report['survey'][key], unit)} |" for key, label, unit in SURVEY]
    return statement(report, names) + "\n" + "\n".join(rows) + "\n"


def as_html(report: dict[str, Any], names: dict[str, str]) -> str:
    import html

    body = []
    for line in statement(report, names).splitlines():
        if line.startswith("### "):
            body.append(f"<h3>{html.escape(line[4:])}</h3>")
        elif line.startswith("## "):
            body.append(f"<h2>{html.escape(line[3:])}</h2>")
        elif line.startswith("- "):
            body.append(f"<li>{html.escape(line[2:])}</li>")
        elif line.strip():
            body.append(f"<p>{html.escape(line)}</p>")
    return (
        "<!doctype html><meta charset='utf-8'><title>One Stop Shop performance</title>\n"
        + "\n".join(body)
    )
