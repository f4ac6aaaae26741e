"""The interface between the report engine and the generated sections.

The engine stores, per outline section, the key of a generator (`OutlineSection.generator`).
To print a section of a report it calls the generator with the report's period and gets back
the section body as HTML, the figures it shows and the warnings for the consistency check.
Generators read the module apps only through their `reporting.py` (import-linter enforces it),
never write, and are pure given the data: the same data give the same HTML, so a report frozen
when sent stores `Generated.html` and `Generated.figures` and prints them from then on.

    @register("economy.resultatrakning", "Resultaträkning")
    def resultatrakning(period: ReportPeriod) -> Generated: ...
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

PERIOD_MONTHS = {"april": 4, "augusti": 8, "helar": 12}
PERIOD_LABELS = {"april": "per april", "augusti": "per augusti", "helar": "helår"}


@dataclass(frozen=True)
class ReportPeriod:
    """What a generator prints for: a nämnd, a year and a report period.

    `kind` is the report kind's code ("budgetuppfoljning", "delarsrapport", "arsredovisning",
    "verksamhetsplan"); `period` is "april", "augusti" or "helar"; `plan` is True for the
    verksamhetsplan (which prints next year's plan instead of a follow-up)."""

    committee_id: int
    year: int
    period: str
    kind: str
    plan: bool = False
    as_of: datetime.date | None = None

    @property
    def months(self) -> int:
        return PERIOD_MONTHS[self.period]

    @property
    def label(self) -> str:
        return PERIOD_LABELS[self.period]


@dataclass(frozen=True)
class Figure:
    """One figure a writer may quote in a text as a live reference: `key` is stable (stored in
    the text), `label` is what the picker shows, `text` is the figure formatted in Swedish as
    printed ("-138,2", "7,1 %", "10 210 kr")."""

    key: str
    label: str
    text: str


@dataclass
class Generated:
    """A generated section body: HTML (no heading: the engine prints the canonical title),
    the figures it shows, and warnings for the consistency check (Swedish, one line each)."""

    html: str
    figures: list[Figure] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


Generator = Callable[[ReportPeriod], Generated]


@dataclass(frozen=True)
class Registered:
    key: str
    label: str
    function: Generator


REGISTRY: dict[str, Registered] = {}


def register(key: str, label: str) -> Callable[[Generator], Generator]:
    """Register a generator under a stable key (stored in outlines) and a Swedish label
    (shown when an administrator configures an outline)."""

    def decorate(function: Generator) -> Generator:
        REGISTRY[key] = Registered(key, label, function)
        return function

    return decorate


def generate(key: str, period: ReportPeriod) -> Generated:
    """The section body for `key`; an unknown key is a visible message, not a crash."""
    registered = REGISTRY.get(key)
    if registered is None:
        return Generated(
            html='<p class="generator-missing">Avsnittet kan inte skapas: okänd generator '
            f"”{key}”.</p>",
            warnings=[f"Okänd generator ”{key}” i dispositionen."],
        )
    return registered.function(period)
