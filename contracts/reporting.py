"""Texts and tables that other documents take from the contracts: the konkurrensplan table of
the VP (Avtal som ska upphandlas), the reports' Uppföljning av genomförda upphandlingar, the
Avtalsuppföljning paragraph and the tjänsteskrivelse for one follow-up.

Reads only; `reports` may import this module, never the other way round.
"""

from __future__ import annotations

import datetime

from django.db.models import Q
from django.utils import timezone

from contracts import rules
from contracts.models import (
    CheckResult,
    ContractFollowUp,
    FollowUpKind,
    FollowUpStatus,
    Frequency,
    Procurement,
    ProcurementStatus,
    Rating,
)


def rating_counts(followup: ContractFollowUp) -> list[tuple[str, str, int]]:
    """(value, label, count) per rating in scale order, then unrated; computed from the
    items (prefetch them)."""
    counts = rules.count_ratings((item.rating for item in followup.items.all()), Rating.values)
    rows = [(value, Rating(value).label, counts[value]) for value in Rating.values]
    rows.append(("", "Ej bedömd", counts[""]))
    return rows


def areas(followup: ContractFollowUp) -> list[tuple[int, str, list]]:
    """Items grouped by area in order: (number, title, items)."""
    grouped: dict[int, tuple[int, str, list]] = {}
    for item in followup.items.all():
        grouped.setdefault(item.area_number, (item.area_number, item.area_title, []))[2].append(
            item
        )
    return [grouped[key] for key in sorted(grouped)]


def checklist(followup: ContractFollowUp) -> list[tuple[str, list]]:
    """Supplier activities grouped by frequency (varje vecka … varje år), empty groups left out."""

    groups = []
    activities = list(followup.activities.all())
    for value, label in Frequency.choices:
        members = [a for a in activities if a.frequency == value]
        if members:
            groups.append((label, members))
    return groups


def procurements_to_tender(year: int):
    """VP table Avtal som ska upphandlas: the year's konkurrensplan."""
    return Procurement.objects.filter(plan_year=year).order_by("designation")


def procurements_followed_up(year: int):
    """Reports' table Uppföljning av genomförda upphandlingar: procurements under way or
    finished during the year."""
    first = datetime.date(year, 1, 1)
    last = datetime.date(year, 12, 31)
    return (
        Procurement.objects.exclude(status=ProcurementStatus.PLANNED)
        .filter(Q(planned_start__isnull=True) | Q(planned_start__lte=last))
        .filter(Q(completed_on__isnull=True) | Q(completed_on__gte=first))
        .order_by("area", "designation")
    )


def _lower_first(text: str) -> str:
    if len(text) > 1 and text[1].isupper():
        return text  # an abbreviation such as HVB
    return text[:1].lower() + text[1:]


def _join(parts: list[str]) -> str:
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " och " + parts[-1]


def _kind_phrase(followup: ContractFollowUp) -> str:
    kind = "en ordinarie" if followup.kind == FollowUpKind.ORDINARY else "en förenklad"
    return f"{kind} uppföljning av {_lower_first(followup.contract.area)}"


def followup_paragraph(year: int, *, today: datetime.date | None = None) -> str:
    """The Avtalsuppföljning paragraph of a report for `year`: the approved follow-ups and
    their results, then those still planned."""
    today = today or timezone.localdate()
    followups = list(
        ContractFollowUp.objects.filter(plan__year=year)
        .select_related("contract")
        .prefetch_related("deficiencies")
        .order_by("contract__area", "contract__name")
    )
    done = [f for f in followups if f.status == FollowUpStatus.APPROVED]
    planned = [f for f in followups if f.status != FollowUpStatus.APPROVED]
    sentences = []
    if done:
        sentences.append(
            "Nämnden har i enlighet med årets plan för avtalsuppföljningar genomfört "
            + _join(
                [_kind_phrase(f).replace(" uppföljning ", " avtalsuppföljning ", 1) for f in done]
            )
            + "."
        )
        for followup in done:
            sentences.append(
                f"För {_lower_first(followup.contract.area)} bedömer förvaltningen: "
                f"{_lower_first(followup.get_outcome_display())}."
            )
            deficiencies = list(followup.deficiencies.all())
            if deficiencies:
                count = len(deficiencies)
                what = "en brist" if count == 1 else f"{count} brister"
                sentences.append(
                    f"Uppföljningen har identifierat {what} som leverantören ska åtgärda."
                )
    else:
        sentences.append(f"Ingen avtalsuppföljning för {year} är godkänd ännu.")
    if planned:
        when = "Under resten av året" if today.year == year else "Enligt planen"
        sentences.append(f"{when} planeras {_join([_kind_phrase(f) for f in planned])}.")
    return " ".join(sentences)


def memo_title(followup: ContractFollowUp) -> str:
    kind = "Ordinarie" if followup.kind == FollowUpKind.ORDINARY else "Förenklad"
    return (
        f"{kind} avtalsuppföljning {followup.plan.year} av {_lower_first(followup.contract.name)}"
    )


def memo_decision_proposal(followup: ContractFollowUp) -> str:
    kind = "ordinarie" if followup.kind == FollowUpKind.ORDINARY else "förenklade"
    return (
        f"Socialnämnden tar del av den {kind} avtalsuppföljningen av "
        f"{_lower_first(followup.contract.name)}."
    )


def memo_summary(followup: ContractFollowUp) -> str:
    """Prefilled Sammanfattning (blank line = new paragraph, "- " = bullet)."""
    contract = followup.contract
    suppliers = ", ".join(s.name for s in contract.suppliers.all())
    kind = "en ordinarie" if followup.kind == FollowUpKind.ORDINARY else "en förenklad"
    done = f" {followup.completed_on:%Y-%m-%d}" if followup.completed_on else ""
    parts = [
        f"Förvaltningen har{done} genomfört {kind} avtalsuppföljning av avtalet "
        f"{contract.name}{f' ({contract.dnr})' if contract.dnr else ''}"
        f"{f' med {suppliers}' if suppliers else ''} enligt tidsplanen för "
        f"avtalsuppföljning {followup.plan.year}."
    ]
    if followup.kind == FollowUpKind.ORDINARY:
        counts = [(label, n) for value, label, n in rating_counts(followup) if value and n]
        if counts:
            parts.append(
                "Bedömningen av avtalets punkter:\n"
                + "\n".join(f"- {label}: {n}" for label, n in counts)
            )
    else:
        lines = [
            f"- {c.get_topic_display()}: {CheckResult(c.result).label.lower()}"
            for c in followup.checks.all()
            if c.result
        ]
        if lines:
            parts.append("Kontrollerna:\n" + "\n".join(lines))
    if followup.outcome:
        parts.append(f"Resultat: {followup.get_outcome_display()}. {followup.verdict}".strip())
    deficiencies = list(followup.deficiencies.all())
    if deficiencies:
        parts.append(
            "Brister som ska åtgärdas:\n"
            + "\n".join(
                f"- {d.description.rstrip('.')}. Åtgärd: {d.action.rstrip('.')}, senast "
                f"{d.deadline:%Y-%m-%d}."
                for d in deficiencies
            )
        )
    return "\n\n".join(parts)
