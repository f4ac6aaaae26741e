"""The budget as a part of the verksamhetsplan (see solna_sn.planning): the budget version
the plan tables print, the tables themselves, taxor och avgifter and kvalitetsdeklarationer."""

from __future__ import annotations

from economy import queries, services
from solna_sn import planning
from solna_sn.errors import StateError
from solna_sn.lib.numbers import format_number


def _exists(committee, year: int) -> bool:
    return queries.plan_sheets(committee, year).exists()


def _copy(committee, from_year: int, to_year: int, by):
    try:
        return services.plan_year_copy(
            committee=committee, from_year=from_year, to_year=to_year, by=by
        )
    except services.EconomyError as error:
        raise StateError(str(error)) from None


def _adoption_problem(committee, year: int) -> str:
    version, problem = services.plan_version_problem(committee, year)
    if version is None:
        return problem
    if version.is_locked:
        return f"{version.name} är redan fastställd och låst."
    return ""


def _adopt(committee, year: int, decided_on, paragraph: str, by):
    try:
        return services.plan_budget_adopt(
            committee=committee, year=year, decided_on=decided_on, paragraph=paragraph, by=by
        )
    except services.EconomyError as error:
        raise StateError(str(error)) from None


def _amount(value, decimals: int) -> str:
    return "" if value is None else f"{format_number(value, decimals)} mkr"


def _changes(committee, year: int) -> list[planning.Change]:
    rows, _ = queries.plan_budget_changes(committee, year)
    result = []
    for row in rows:
        if row.last_year is None:
            kind = planning.ADDED
        elif row.next_year is None:
            kind = planning.REMOVED
        else:
            kind = planning.CHANGED
        change = (
            "" if row.change is None else f" (förändring {format_number(row.change, row.decimals)})"
        )
        result.append(
            planning.Change(
                kind,
                f"{row.table}: {row.row}",
                _amount(row.last_year, row.decimals),
                _amount(row.next_year, row.decimals) + change,
            )
        )
    return result


def _warnings(committee, year: int) -> list[str]:
    return queries.plan_budget_changes(committee, year)[1]


def _adopted(committee, year: int) -> str:
    versions = queries.plan_budget_versions(committee, year)
    if len(versions) != 1 or not versions[0].is_locked:
        return ""
    version = versions[0]
    decided = version.decided_on.isoformat() if version.decided_on else ""
    paragraph = f", {version.decision_paragraph}" if version.decision_paragraph else ""
    return f"{version.name} fastställd {decided}{paragraph}".strip()


planning.register(
    planning.Part(
        code="economy",
        title="Budget",
        order=20,
        exists=_exists,
        copy=_copy,
        adoption_problem=_adoption_problem,
        adopt=_adopt,
        changes=_changes,
        adopted=_adopted,
        warnings=_warnings,
    )
)
