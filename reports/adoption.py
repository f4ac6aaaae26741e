"""Fastställa a verksamhetsplan year: when the nämnd's decision on the VP is recorded, the
year's goal tree, the budget version its tables print and the internkontrollplan become
fastställda together, with the decision's date and §.

The parts live in modules the documents may not write to directly; each module registers its
own audited adopt step in <app>/planning.py (solna_sn.planning) and this is the one entry
point the documents call:

- `adopt_plan_year(year=…, decided_on=…, paragraph="§ 64", by=…)`
- `adopt_plan_year_for_decision(decision=…, year=…, by=…)` with the casework Decision
  (protokollsutdrag) recorded on the meeting: the date is the meeting's, the § the decision's.
- `adoption_problems(year)` / `adoption_status(year)` to show what is missing or done.

Later changes need a new revision in each module (goals: a new revision of the tree;
economy: a new budget version; controls: a new revision of the plan).
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from casework.models import Decision
from solna_sn import planning
from solna_sn.errors import StateError
from solna_sn.models import Committee


def _committee(committee) -> Committee:
    committee = (
        committee or Committee.objects.filter(code="SN").first() or Committee.objects.first()
    )
    if committee is None:
        raise StateError("Det finns ingen nämnd.")
    return committee


def _paragraph(paragraph) -> str:
    text = " ".join(str(paragraph or "").split())
    if not text:
        return ""
    return text if text.startswith("§") else f"§ {text}"


@transaction.atomic
def adopt_plan_year(
    *, year: int, decided_on: datetime.date, paragraph: str, by, committee=None
) -> None:
    """Mark the year's goal tree, budget version and internkontrollplan fastställda with the
    decision date and § ("§ 64"; a bare "64" gets its §), in one transaction. Refused with a
    StateError (Swedish, nothing changed) without a decision date and §, with a date in the
    future, or when any part is missing or already fastställd; PermissionDenied for roles
    that do not keep the protokoll."""
    committee = _committee(committee)
    paragraph = _paragraph(paragraph)
    if decided_on is None or not paragraph:
        raise StateError(
            f"Verksamhetsplanen för {year} kan inte fastställas utan ett protokollfört beslut: "
            "ange beslutets datum och paragraf."
        )
    if decided_on > timezone.localdate():
        raise StateError("Beslutsdatumet ligger i framtiden; ett beslut protokollförs i efterhand.")
    try:
        planning.adopt_year(
            committee=committee, year=year, decided_on=decided_on, paragraph=paragraph, by=by
        )
    except ValidationError as error:
        raise StateError(" ".join(error.messages)) from None


def adopt_plan_year_for_decision(*, decision: Decision | None, year: int, by) -> None:
    """Adopt the year's plan with the protokollsutdrag recorded on the meeting (its meeting's
    date and the decision's §). Refused (StateError) when no decision has been recorded."""
    if decision is None or decision.pk is None:
        raise StateError(
            f"Verksamhetsplanen för {year} fastställs när nämndens beslut har protokollförts. "
            "För in protokollsutdraget (§ och beslut) på sammanträdet först."
        )
    decision = Decision.objects.select_related("meeting__committee").get(pk=decision.pk)
    adopt_plan_year(
        year=year,
        decided_on=decision.meeting.date,
        paragraph=f"§ {decision.paragraph}",
        by=by,
        committee=decision.meeting.committee,
    )


def adoption_problems(year: int, committee=None) -> list[str]:
    """Why the year cannot be fastställd now (empty when it can)."""
    return planning.adoption_problems(_committee(committee), year)


def adoption_status(year: int, committee=None) -> list[tuple[str, str]]:
    """(part title, "" or "Fastställd 2024-10-07, § 64 …") for each part of the year's plan."""
    return [
        (part.title, text) for part, text in planning.adoption_status(_committee(committee), year)
    ]
