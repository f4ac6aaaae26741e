"""The economy of a verksamhetsplan year: starting next year's budget as a copy of this
year's (budget version, plan tables, taxor och avgifter, kvalitetsdeklarationer), and
fastställa the budget version the plan's tables use."""

from __future__ import annotations

import datetime

from django.db import transaction

from economy.models import (
    BudgetVersionKind,
    Footnote,
    QualityDeclaration,
    Tariff,
)
from economy.queries import plan_budget_versions, plan_sheets
from economy.services.budget import budget_version_create
from economy.services.common import EconomyError, footnotes_fingerprint
from economy.services.registers import register_copy_year
from economy.services.sheets import sheet_create, sheet_footnotes_save
from solna_sn import audit, permissions


def plan_version_problem(committee, year: int):
    """(the one budget version the year's plan tables print, "") or (None, why not)."""
    versions = plan_budget_versions(committee, year)
    if not versions:
        return None, f"Det finns ingen budget för {year} (verksamhetsplanens tabeller saknas)."
    if len(versions) > 1:
        names = ", ".join(version.name for version in versions)
        return None, (
            f"Verksamhetsplanens tabeller för {year} hämtar budgeten från olika versioner "
            f"({names}); välj samma budgetversion för alla tabeller."
        )
    return versions[0], ""


@transaction.atomic
def plan_year_copy(*, committee, from_year: int, to_year: int, by) -> dict:
    """Start the budget of `to_year` as a copy of `from_year`'s: a new budget version
    "Budget <to_year>" with the same figures, the plan tables for `to_year` printing it
    beside `from_year`'s version (so Förändring starts at 0,0), their footnotes, and the
    taxor and kvalitetsdeklarationer (status Oförändrad). Refused (EconomyError, nothing
    changed) when `to_year` has plan tables already or `from_year` has no single version."""
    if plan_sheets(committee, to_year).exists():
        raise EconomyError(f"Verksamhetsplanens tabeller för {to_year} finns redan.")
    source, problem = plan_version_problem(committee, from_year)
    if source is None:
        raise EconomyError(problem)
    version = budget_version_create(
        committee=committee,
        year=to_year,
        kind=BudgetVersionKind.ORIGINAL,
        name=f"Budget {to_year}",
        note=f"Förslag till verksamhetsplan och budget {to_year}, kopierat från {source.name}.",
        copy_from=source,
        by=by,
    )
    sheets = 0
    for sheet in plan_sheets(committee, from_year):
        copy = sheet_create(
            committee=committee,
            definition=sheet.definition,
            year=to_year,
            period=sheet.period,
            budget_version=version,
            previous_budget_version=source,
            by=by,
        )
        texts = list(
            Footnote.objects.filter(sheet=sheet)
            .order_by("sort_order", "pk")
            .values_list("text", flat=True)
        )
        if texts:
            sheet_footnotes_save(sheet=copy, texts=texts, expected=footnotes_fingerprint([]), by=by)
        sheets += 1
    tariffs = register_copy_year(
        model=Tariff, committee=committee, from_year=from_year, to_year=to_year, by=by
    )
    declarations = register_copy_year(
        model=QualityDeclaration, committee=committee, from_year=from_year, to_year=to_year, by=by
    )
    audit.record(
        "economy.plan_year_copied",
        target=version,
        by=by,
        changes={"år": (from_year, to_year)},
        reason=f"{sheets} tabeller, {tariffs} taxor, {declarations} kvalitetsdeklarationer",
    )
    return {"version": version, "sheets": sheets, "tariffs": tariffs, "declarations": declarations}


@transaction.atomic
def plan_budget_adopt(*, committee, year: int, decided_on: datetime.date, paragraph: str, by):
    """Fastställ the budget version the year's plan tables print: decision date and §,
    decided by the nämnd, locked (a later change is a new version). Refused (EconomyError,
    nothing changed) when there is no single version or it is locked already."""
    if not permissions.can_adopt_plan_year(by):
        raise EconomyError("Bara förvaltningsledningen kan fastställa budgeten.")
    version, problem = plan_version_problem(committee, year)
    if version is None:
        raise EconomyError(problem)
    version = type(version).objects.select_for_update().get(pk=version.pk)
    if version.is_locked:
        raise EconomyError(f"{version.name} är redan fastställd och låst.")
    paragraph = " ".join(str(paragraph or "").split())
    if decided_on is None or not paragraph:
        raise EconomyError("Ange beslutets datum och paragraf.")
    before = {
        "beslutad": version.decided_on.isoformat() if version.decided_on else None,
        "paragraf": version.decision_paragraph,
        "låst": False,
    }
    version.decided_on = decided_on
    version.decided_by = committee.name
    version.decision_paragraph = paragraph[:40]
    version.is_locked = True
    version.save(update_fields=["decided_on", "decided_by", "decision_paragraph", "is_locked"])
    audit.record(
        "economy.budget_version_adopted",
        target=version,
        by=by,
        changes=audit.diff(
            before,
            {
                "beslutad": decided_on.isoformat(),
                "paragraf": version.decision_paragraph,
                "låst": True,
            },
        ),
    )
    return version
