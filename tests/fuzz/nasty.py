"""Text a scanner, a spreadsheet or a tired person can produce: the strategies.

Control characters, right-to-left text and its overrides, emoji (with joiners),
combining marks, Unicode line separators, digits that are not ASCII, lone
surrogates (what Python makes of argv bytes that are not UTF-8), and very long
strings built by repetition (hypothesis would take long to grow them itself).
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

CONTROL = "".join(map(chr, range(0x00, 0x20))) + "\x7f" + "".join(map(chr, range(0x80, 0xA0)))
RTL = "\u202e\u202d\u202b\u202a\u202c\u200f\u200e\u2067\u2069" + "مرحبا" + "שלום" + "ـ"
EMOJI = ["😀", "👍🏽", "👩‍👩‍👧", "🇬🇧", "❤️", "🏳️‍🌈", "\ufe0f", "\u200d"]
ODD = (
    "\u2028\u2029\u0085\u00a0\u200b\ufeff\u0301\u0308"  # separators, spaces, combining
    "²³¹½٣٤۵१߁𝟘Ａｚ"  # digits and letters that are not ASCII
    "ßİıﬁ"  # letters whose case changes their length
    "\"'\\#=[]{},.:;-/_ "  # what TOML and CSV care about
)
SURROGATE = "\udcff\udc80\ud800"

plain = st.text(alphabet=st.characters(codec="ascii", categories=["L", "N", "P", "S", "Zs"]))
weird_char = st.one_of(
    st.sampled_from(CONTROL),
    st.sampled_from(RTL),
    st.sampled_from(EMOJI),
    st.sampled_from(ODD),
    st.characters(),
)
weird = st.lists(weird_char, max_size=24).map("".join)


def long_text(alphabet: st.SearchStrategy[str] = weird_char) -> st.SearchStrategy[str]:
    """A few hundred to a few hundred thousand characters."""
    return st.builds(
        lambda unit, times: unit * times,
        st.lists(alphabet, min_size=1, max_size=8).map("".join),
        st.sampled_from([50, 400, 5_000, 40_000, 200_000]),
    )


def nasty(*, surrogates: bool = False, long: bool = True) -> st.SearchStrategy[str]:
    """Any of the above, mixed; `surrogates` only where no file or argv must hold it."""
    parts = [plain, weird, st.text(max_size=30)]
    if long:
        parts.append(long_text())
    if surrogates:
        parts.append(st.text(alphabet=st.sampled_from(SURROGATE + "ab"), min_size=1, max_size=6))
    return st.one_of(*parts)


def around(value: str) -> st.SearchStrategy[str]:
    """A real value with something nasty before, after or inside it."""
    return st.builds(
        lambda junk, where: (
            junk + value
            if where == 0
            else value + junk
            if where == 1
            else value[: len(value) // 2] + junk + value[len(value) // 2 :]
        ),
        st.one_of(weird, st.sampled_from(list(CONTROL + RTL + ODD) + EMOJI)),
        st.integers(0, 2),
    )


# -- how many examples ------------------------------------------------------------

SCALE = float(os.environ.get("ONESTOP_FUZZ_SCALE", "1"))
IN_CI = os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def fuzz_settings(examples: int) -> settings:
    """`examples` in the suite (the same ones each CI run, so CI is repeatable), times
    ONESTOP_FUZZ_SCALE under the soak (fresh random ones each round)."""
    return settings(
        max_examples=max(1, round(examples * SCALE)),
        deadline=None,
        derandomize=IN_CI and SCALE == 1,
        print_blob=True,
        suppress_health_check=[
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
            HealthCheck.filter_too_much,
            HealthCheck.function_scoped_fixture,
        ],
    )
