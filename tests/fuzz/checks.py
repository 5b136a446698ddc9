"""What every refusal must look like, whichever input it refuses."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from typing import Any

from shared.domain import DomainError
from tests.fuzz.snapshot import Dump, differences, restore, snapshot

# Bidirectional embeddings, overrides and isolates: in a message they can make the
# text read backwards ("Trojan source"); repr() escapes them, f"{x}" does not.
BIDI_CONTROLS = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# What only an unhandled error puts into a message.
LEAKS = (
    "Traceback (most recent call last)",
    "object has no attribute",
    "NoneType",
    "unexpected keyword argument",
    "(Background on this error",
    "builtins.",
    "sqlalchemy.",
    "psycopg.",
    "[SQL:",
)
MAX_LINE = 800  # a line of a message, quoting the bad value shortened if need be
MAX_LINES = 60  # a listing of bad rows (the import lists 50 and counts the rest)


def assert_clear(message: str, *, names: str | None = None) -> None:
    """A message a person can read: it names `names` (the file), leaks no internals,
    holds no terminal control characters or text-reversing marks, and is not a wall
    of text however long the bad value was."""
    assert message.strip(), "an empty message"
    for leak in LEAKS:
        assert leak not in message, f"{leak!r} in the message:\n{message[:2000]}"
    bad = sorted(
        {
            f"U+{ord(c):04X}"
            for c in message
            if (unicodedata.category(c) == "Cc" and c not in "\n\t") or c in BIDI_CONTROLS
        }
    )
    assert not bad, f"control characters {bad} in the message: {message[:300]!r}"
    lines = message.splitlines()
    assert len(lines) <= MAX_LINES, f"{len(lines)} lines: {message[:2000]}"
    longest = max(lines, key=len)
    assert len(longest) <= MAX_LINE, f"a line of {len(longest)} characters: {longest[:300]!r}..."
    if names is not None:
        assert names in message, f"{names!r} is not named in: {message[:500]}"


def refused_unchanged(url: str, action: Callable[[], Any]) -> DomainError | None:
    """Run `action`: either it succeeds (returns None, and the database is put back as
    it was, so every example starts from the same state), or it raises a DomainError
    (returned) and every table is as it was. Anything else propagates: a bug."""
    before = snapshot(url)
    try:
        action()
    except DomainError as error:
        after = snapshot(url)
        changed = differences(before, after)
        assert not changed, f"refused ({error}) but changed:\n" + "\n".join(changed)
        return error
    restore(url, before)
    return None


def settle(url: str, before: Dump, code: int, said: str = "") -> None:
    """After a command: exit 2 must have left every table as `before`; after any other
    exit the database is put back as `before` for the next example."""
    if code == 2:
        changed = differences(before, snapshot(url))
        assert not changed, f"exit 2 ({said[:300]}) but changed:\n" + "\n".join(changed)
    else:
        restore(url, before)
