"""Random damage to the shipped site files, as hand editing does it.

Lines deleted, duplicated or swapped; values changed to other values or to the
wrong type; keys misspelt or unknown; headings broken; garbage typed in; the text
cut short; and, as bytes, other encodings, a byte-order mark, CRLF or lone CR line
ends and bytes that are not UTF-8.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from hypothesis import strategies as st

from shared.config import _toml, default_site_files
from tests.fuzz.nasty import nasty, weird

SHIPPED = {path.name: path.read_text(encoding="utf-8") for path in default_site_files()}
VALUE_LINE = re.compile(r"^(\s*)([A-Za-z0-9_\-]+)(\s*=\s*)(.+?)(\s*#.*)?$")


def toml_string(text: str) -> str:
    return _toml(text)


# Values of every TOML type, each wrong somewhere: the pool a changed value is drawn from.
any_value = st.one_of(
    st.integers(-(2**70), 2**70).map(str),
    st.sampled_from(["0", "-1", "1", "15", "58", "80", "99999999999999999999"]),
    st.floats(allow_nan=True, allow_infinity=True)
    .map(repr)
    .map(lambda r: {"nan": "nan", "inf": "inf", "-inf": "-inf"}.get(r, r)),
    st.sampled_from(["true", "false", "[]", "{}", '[""]', "[1, 2]", "{ a = 1 }", '"x"']),
    st.sampled_from(["1979-05-27", "1979-05-27T07:32:00Z", "07:32:00", '"""x"""', "'lit'"]),
    nasty(long=False).map(toml_string),
    st.sampled_from(list(SHIPPED)).flatmap(
        lambda name: st.sampled_from(
            [m.group(4) for line in SHIPPED[name].splitlines() if (m := VALUE_LINE.match(line))]
        )
    ),
)
# For a value of each type, values of other types (sure to be refused).
WRONG = {
    "string": ["5", "true", "[]", "{}", "1.5", '["a"]', "1979-05-27"],
    "integer": ['"2"', "true", "2.5", "[]", "{}", '""', "nan", "inf"],
    "float": ['"7.5"', "true", "[]", "{}", "nan", "-inf", "0", "-3"],
    "boolean": ['"true"', "1", "0", "[]", '"yes"', "{}"],
    "array": ['"a"', "5", "true", "{}", "[1]", "[true, false]"],
}


def kind_of(value: str) -> str | None:
    value = value.strip()
    if value.startswith('"') and value.endswith('"') and not value.startswith('"""'):
        return "string"
    if value in ("true", "false"):
        return "boolean"
    if re.fullmatch(r"-?\d+", value):
        return "integer"
    if re.fullmatch(r"-?\d+\.\d+", value):
        return "float"
    if value.startswith("[") and value.endswith("]"):
        return "array"
    return None


@dataclass(frozen=True)
class WrongType:
    """A shipped file with one value changed to the wrong type: where, and which field."""

    name: str
    text: str
    line: int  # 1-based
    key: str


def value_lines(text: str) -> list[tuple[int, str, str]]:
    """(line number, key, value) of every single-line `key = value` outside strings."""
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        match = VALUE_LINE.match(line)
        if match and kind_of(match.group(4)) is not None:
            found.append((number, match.group(2), match.group(4)))
    return found


@st.composite
def wrong_type(draw: st.DrawFn) -> WrongType:
    name = draw(st.sampled_from(sorted(SHIPPED)))
    text = SHIPPED[name]
    number, key, value = draw(st.sampled_from(value_lines(text)))
    kind = "float" if key == "mean_service_minutes" else kind_of(value) or "string"
    replacement = draw(st.sampled_from(WRONG[kind]))
    lines = text.splitlines()
    match = VALUE_LINE.match(lines[number - 1])
    assert match is not None
    indent, _key, equals, _value, comment = match.groups()
    lines[number - 1] = f"{indent}{key}{equals}{replacement}{comment or ''}"
    # Harmless lines TOML allows anywhere: comments holding what some readers take for a
    # line break (U+2028, NEL), right-to-left text and emoji, and blank lines.
    for _ in range(draw(st.integers(0, 3))):
        at = draw(st.integers(0, len(lines)))
        odd = draw(st.lists(st.sampled_from(HARMLESS), max_size=6).map("".join))
        lines.insert(at, f"# {odd}" if draw(st.booleans()) else "")
        if at < number:
            number += 1
    return WrongType(name, "\n".join(lines) + "\n", number, key)


HARMLESS = ["\u2028", "\u2029", "\x85", "é", "😀", "שלום", "\u202e", "a", " "]


# -- damage of every kind -------------------------------------------------------------


@st.composite
def damaged_text(draw: st.DrawFn) -> str:
    """A shipped file with one to four kinds of damage done to it."""
    name = draw(st.sampled_from(sorted(SHIPPED)))
    lines = SHIPPED[name].splitlines()
    for _ in range(draw(st.integers(1, 4))):
        if not lines:
            break
        at = draw(st.integers(0, len(lines) - 1))
        kind = draw(
            st.sampled_from(
                [
                    "delete",
                    "delete_block",
                    "duplicate",
                    "swap",
                    "value",
                    "rename",
                    "unknown_key",
                    "header",
                    "garbage",
                    "insert_char",
                    "truncate",
                ]
            )
        )
        if kind == "delete":
            del lines[at]
        elif kind == "delete_block":
            del lines[at : at + draw(st.integers(2, 30))]
        elif kind == "duplicate":
            lines.insert(at, lines[at])
        elif kind == "swap":
            other = draw(st.integers(0, len(lines) - 1))
            lines[at], lines[other] = lines[other], lines[at]
        elif kind == "value":
            match = VALUE_LINE.match(lines[at])
            if match:
                indent, key, equals, _value, comment = match.groups()
                lines[at] = f"{indent}{key}{equals}{draw(any_value)}{comment or ''}"
        elif kind == "rename":
            match = VALUE_LINE.match(lines[at])
            if match:
                key = draw(
                    st.one_of(
                        st.just(match.group(2)[:-1] or "x"),
                        st.just(match.group(2) + "s"),
                        st.just(match.group(2).upper()),
                        st.from_regex(r"[a-z_]{1,12}", fullmatch=True),
                        weird.map(toml_string),
                    )
                )
                lines[at] = lines[at].replace(match.group(2), key, 1)
        elif kind == "unknown_key":
            key = draw(st.from_regex(r"[A-Za-z0-9_\-]{1,16}", fullmatch=True))
            lines.insert(at, f"{key} = {draw(any_value)}")
        elif kind == "header":
            headers = [i for i, line in enumerate(lines) if line.startswith("[")]
            if headers:
                where = draw(st.sampled_from(headers))
                lines[where] = draw(
                    st.sampled_from(
                        [
                            "[services]",
                            "[[desks]]",
                            "[[site]]",
                            "[sites]",
                            "[site.extra]",
                            "[targets",
                            "[[services]",
                            "[]",
                            "[ site ]",
                            '["site"]',
                            "[targets.greet_minutes]",
                            lines[where] + " junk",
                        ]
                    )
                )
        elif kind == "garbage":
            lines.insert(at, draw(nasty(long=False)))
        elif kind == "insert_char":
            line = lines[at]
            column = draw(st.integers(0, len(line)))
            char = draw(st.sampled_from(list("\"'[]{}=#,\\\t\x00\x1b\u2028\u0085\ré")))
            lines[at] = line[:column] + char + line[column:]
        elif kind == "truncate":
            lines = lines[:at]
            if lines and draw(st.booleans()):
                lines[-1] = lines[-1][: draw(st.integers(0, len(lines[-1])))]
    return "\n".join(lines) + ("\n" if draw(st.booleans()) else "")


@st.composite
def damaged_bytes(draw: st.DrawFn) -> bytes:
    """The file as it reaches the disk: sometimes in another encoding or with bad bytes."""
    text = draw(st.one_of(damaged_text(), st.sampled_from(sorted(SHIPPED.values()))))
    how = draw(
        st.sampled_from(["utf-8", "bom", "crlf", "cr", "utf-16", "cp1252", "bad_bytes", "nul"])
    )
    if how == "bom":
        return b"\xef\xbb\xbf" + text.encode("utf-8", "surrogatepass")
    if how == "crlf":
        return text.replace("\n", "\r\n").encode("utf-8", "surrogatepass")
    if how == "cr":
        return text.replace("\n", "\r").encode("utf-8", "surrogatepass")
    if how == "utf-16":
        return text.encode("utf-16", "surrogatepass")
    if how == "cp1252":
        return text.replace("Bootle", "Bootle £ café").encode("cp1252", "replace")
    data = text.encode("utf-8", "surrogatepass")
    at = draw(st.integers(0, len(data)))
    junk = b"\x00" if how == "nul" else draw(st.sampled_from([b"\xff", b"\xc3", b"\xed\xa0\x80"]))
    return data[:at] + junk + data[at:]
