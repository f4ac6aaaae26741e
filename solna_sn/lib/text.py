"""Checks for free text typed or imported by users: control characters and length. Pure.

PostgreSQL refuses NUL in text, and other control characters break printing and exports, so
they are refused with a message rather than stored. Line breaks and tabs are allowed where the
text may span lines.
"""

from __future__ import annotations

import re

from solna_sn.lib.numbers import format_number

# Longest free text (a memo section, a comment) when the column itself has no limit.
TEXT_MAX_LENGTH = 20_000

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
_CONTROL_SINGLE_LINE = re.compile(r"[\x00-\x1f\x7f-\x9f\ufffe\uffff]")

CONTROL_MESSAGE = (
    "Texten innehåller otillåtna styrtecken (till exempel från en kopierad fil). Ta bort dem och "
    "försök igen."
)


def text_problem(value: str, *, max_length: int | None = None, multiline: bool = True) -> str:
    """A Swedish message if `value` has control characters or is longer than `max_length`,
    else the empty string."""
    if not isinstance(value, str):
        return ""
    pattern = _CONTROL if multiline else _CONTROL_SINGLE_LINE
    if pattern.search(value):
        return CONTROL_MESSAGE
    limit = TEXT_MAX_LENGTH if max_length is None else max_length
    if len(value) > limit:
        return (
            f"Texten är för lång: högst {format_number(limit)} tecken "
            f"(nu {format_number(len(value))})."
        )
    return ""


def without_control_characters(value: str, *, multiline: bool = True) -> str:
    """`value` with control characters removed: for names that come from outside a form (an
    uploaded file's name) and for text stored before the checks existed, when it is written
    where such characters cannot go (an Excel cell)."""
    pattern = _CONTROL if multiline else _CONTROL_SINGLE_LINE
    return pattern.sub("", value)
