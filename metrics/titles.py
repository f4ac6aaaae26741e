"""Matching a title read from a workbook to the catalogue (pure, no database).

Titles change over the years: spacing, a unit added in parentheses, a typo fixed ("antal
vårddygn" / "antal vård dygn", "Dygnetrutplaceringar"). A title is matched, within its
category, in this order:

1. exactly, to a metric's current title or one of its earlier titles (`MetricTitle`);
2. after normalising (case, whitespace, also inside words, punctuation) with or without a
   trailing part in parentheses ("Snittbidrag per månad (kr)" = "Snittbidrag per månad, kr"),
   when exactly one metric of the category matches that way;
3. otherwise never silently: the closest titles by `difflib` (a small typo) are offered as
   candidates for "Menade du …?", and the person chooses.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

# Above this ratio a title is offered as "Menade du …?" (a few letters in a long title).
CUTOFF = 0.8
MAX_CANDIDATES = 3

_PARENTHESES = re.compile(r"\s*\([^()]*\)\s*$")
_PUNCTUATION = re.compile(r"[^\w]+")


def normalise(title: str) -> str:
    """Case, whitespace and punctuation do not tell titles apart."""
    text = unicodedata.normalize("NFC", title).casefold()
    return " ".join(_PUNCTUATION.sub(" ", text).split())


def _without_parentheses(title: str) -> str:
    return _PARENTHESES.sub("", title)


def forms(title: str) -> set[str]:
    """The normalised forms a title is known by: as written and without a trailing
    parenthesis (a unit or a note added to it), each also without spaces ("antal vårddygn"
    and "antal vård dygn" are one spelling)."""
    found = {normalise(title), normalise(_without_parentheses(title))} - {""}
    return found | {form.replace(" ", "") for form in found}


@dataclass(frozen=True)
class Match:
    code: str | None  # the metric matched, or None
    how: str = ""  # "exakt", "tidigare rubrik", "stavning", or "" when not matched
    candidates: tuple[str, ...] = ()  # codes offered for "Menade du …?" when not matched


class TitleIndex:
    """The titles of one category: `titles` maps every current and earlier title to a code,
    `current` every code to its current title."""

    def __init__(self, current: dict[str, str], earlier: Iterable[tuple[str, str]] = ()):
        self.current = dict(current)
        self.exact: dict[str, tuple[str, str]] = {
            title.strip(): (code, "exakt") for code, title in current.items()
        }
        for code, title in earlier:
            self.exact.setdefault(title.strip(), (code, "tidigare rubrik"))
        self.by_form: dict[str, set[str]] = {}
        for title, (code, _) in self.exact.items():
            for form in forms(title):
                self.by_form.setdefault(form, set()).add(code)

    def match(self, title: str) -> Match:
        title = title.strip()
        if title in self.exact:
            code, how = self.exact[title]
            return Match(code, how)
        found: set[str] = set()
        for form in forms(title):
            found |= self.by_form.get(form, set())
        if len(found) == 1:
            return Match(next(iter(found)), "stavning")
        if found:
            return Match(None, candidates=tuple(sorted(found, key=self.current.get)))
        return Match(None, candidates=self.close(title))

    def close(self, title: str) -> tuple[str, ...]:
        """Codes whose titles (current or earlier) are within a small typo of `title`, the
        closest first."""
        wanted = normalise(title)
        scored: dict[str, float] = {}
        for known, (code, _) in self.exact.items():
            for form in forms(known):
                ratio = difflib.SequenceMatcher(None, wanted, form, autojunk=False).ratio()
                if ratio >= CUTOFF and ratio > scored.get(code, 0):
                    scored[code] = ratio
        ranked = sorted(scored, key=lambda code: (-scored[code], self.current.get(code, "")))
        return tuple(ranked[:MAX_CANDIDATES])
