"""Verksamhetsplan och budget across the modules: starting next year's plan as a copy of this
year's, what changed from the year before, and adopting (fastställa) a year's plan.

A year's plan has parts that live in modules that know nothing of each other: the goal tree
(goals), the budget version with its plan tables, taxor and kvalitetsdeklarationer (economy)
and the internkontrollplan (controls). solna_sn knows none of them, so each module registers
its part in its own <app>/planning.py (found like admin.py is, see SolnaSnConfig.ready).

A part's functions:
- `exists(committee, year) -> bool`: the part has been started for the year.
- `copy(committee, from_year, to_year, by)`: start `to_year` as a copy of `from_year`; may
  raise StateError / ValidationError / PermissionDenied (nothing is left half-written: the
  whole start runs in one transaction).
- `adoption_problem(committee, year) -> str`: why the year's part cannot be adopted (missing,
  already fastställd), "" when it can.
- `adopt(committee, year, decided_on, paragraph, by)`: fastställ the part.
- `changes(committee, year) -> list[Change]`: what differs from the year before.
- `adopted(committee, year) -> str`: "" while not fastställd, else a short Swedish text.
- `warnings(committee, year) -> list[str]` (optional): soft warnings about the year's part
  (budget rows that do not add up); shown, never corrected.

Parts run in `order`: lower first.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction

from solna_sn import permissions
from solna_sn.errors import StateError, require


@dataclass(frozen=True)
class Change:
    """One difference between year N and year N+1, printed as "<kind>: <label>" with the old
    and the new text (one of them empty for added and removed)."""

    kind: str  # "Tillagt", "Omformulerat", "Borttaget", "Ändrat"
    label: str  # what it is: "Nämndmål 2", "Driftbudget, nämnd: Intäkter"
    old: str = ""
    new: str = ""


ADDED = "Tillagt"
REWORDED = "Omformulerat"
REMOVED = "Borttaget"
CHANGED = "Ändrat"


@dataclass(frozen=True)
class Item:
    """One comparable item of a year's part, by its stable key (goals, mått, aktiviteter,
    risks keep their key when a year is copied)."""

    key: str
    label: str  # what it is, as its year numbers it: "Nämndmål 2", "Risk 3"
    text: str  # the wording that is compared: a goal's måltext, a risk's text
    detail: str = ""  # compared too, reported as "Ändrat" (a goal's beskrivning)
    detail_label: str = "beskrivning"


def compare(old: list[Item], new: list[Item]) -> list[Change]:
    """By key: added and changed items in the new year's order, then removed ones in the
    old year's order (the old year keeps them, and their follow-up). Pure."""
    before = {item.key: item for item in old}
    after = {item.key for item in new}
    changes = []
    for item in new:
        previous = before.get(item.key)
        if previous is None:
            changes.append(Change(ADDED, item.label, "", item.text))
            continue
        if _words(previous.text) != _words(item.text):
            changes.append(Change(REWORDED, item.label, previous.text, item.text))
        if _words(previous.detail) != _words(item.detail):
            changes.append(
                Change(CHANGED, f"{item.label}, {item.detail_label}", previous.detail, item.detail)
            )
    changes += [Change(REMOVED, item.label, item.text, "") for item in old if item.key not in after]
    return changes


def _words(text: str) -> str:
    """Whitespace is not a change of wording."""
    return " ".join((text or "").split())


@dataclass(frozen=True)
class Part:
    code: str
    title: str  # "Målträd", "Budget", "Internkontrollplan"
    order: int
    exists: Callable[[object, int], bool]
    copy: Callable[..., object]
    adoption_problem: Callable[[object, int], str]
    adopt: Callable[..., object]
    changes: Callable[[object, int], list[Change]]
    adopted: Callable[[object, int], str]
    warnings: Callable[[object, int], list[str]] | None = None
    adoptable: bool = True  # False: copied with the year, but not fastställd on its own


def _none(*args) -> str:
    return ""


def _no_changes(*args) -> list:
    return []


_parts: dict[str, Part] = {}


def register(part: Part) -> Part:
    """Register a module's part; registering the same code again replaces it."""
    _parts[part.code] = part
    return part


def parts() -> list[Part]:
    return sorted(_parts.values(), key=lambda part: (part.order, part.code))


def adoptable_parts() -> list[Part]:
    return [part for part in parts() if part.adoptable]


def companion(*, code: str, title: str, order: int, exists, copy) -> Part:
    """A part that only follows the year when it is copied (links between the parts)."""
    return Part(
        code=code,
        title=title,
        order=order,
        exists=exists,
        copy=copy,
        adoption_problem=_none,
        adopt=_none,
        changes=_no_changes,
        adopted=_none,
        adoptable=False,
    )


@dataclass(frozen=True)
class PartChanges:
    part: Part
    changes: list[Change]
    warnings: list[str]


@transaction.atomic
def start_next_year(*, committee, year: int, by) -> int:
    """Start the plan of `year + 1` as a copy of `year`: every registered part. Refused
    (StateError, nothing changed) when any part of `year + 1` has been started already, or
    when `year` has nothing to copy. Returns the new year."""
    require(permissions.can_start_plan_year(by))
    target = year + 1
    started = [part for part in adoptable_parts() if part.exists(committee, target)]
    if started:
        names = ", ".join(part.title.lower() for part in started)
        raise StateError(
            f"Planeringen för {target} är redan påbörjad ({names} finns). Inget har kopierats; "
            f"fortsätt i planen för {target}."
        )
    missing = [part for part in parts() if not part.exists(committee, year)]
    if all(part in missing for part in adoptable_parts()):
        raise StateError(f"Det finns ingen plan för {year} att kopiera.")
    for part in parts():
        if part in missing:
            continue
        part.copy(committee, year, target, by)
    return target


def changes_from_previous(committee, year: int) -> list[PartChanges]:
    """What differs in `year` from `year - 1`, per part started for `year` (each part
    compares with what it has of the year before)."""
    return [
        PartChanges(
            part,
            part.changes(committee, year),
            part.warnings(committee, year) if part.warnings else [],
        )
        for part in adoptable_parts()
        if part.exists(committee, year)
    ]


def adoption_problems(committee, year: int) -> list[str]:
    """Why the year cannot be adopted, one Swedish sentence per part; empty when it can."""
    if not adoptable_parts():
        return ["Inga delar av verksamhetsplanen är registrerade."]
    problems = []
    for part in adoptable_parts():
        if problem := part.adoption_problem(committee, year):
            problems.append(problem)
    return problems


@transaction.atomic
def adopt_year(*, committee, year: int, decided_on: datetime.date, paragraph: str, by) -> None:
    """Fastställ every part of the year's plan together. Refused (StateError listing every
    problem, nothing changed) when a part is missing or already fastställd."""
    require(permissions.can_adopt_plan_year(by))
    problems = adoption_problems(committee, year)
    if problems:
        raise StateError(
            f"Verksamhetsplanen för {year} kan inte fastställas: " + " ".join(problems)
        )
    for part in adoptable_parts():
        part.adopt(committee, year, decided_on, paragraph, by)


def adoption_status(committee, year: int) -> list[tuple[Part, str]]:
    """Each part and "" (not fastställd) or its adoption text."""
    return [(part, part.adopted(committee, year)) for part in adoptable_parts()]
