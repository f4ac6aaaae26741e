"""Errors, figure parsing, permission and lock checks shared by the services."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from decimal import Decimal

from economy.models import (
    BudgetVersion,
    Footnote,
    Sheet,
    SheetStatus,
    SheetValue,
    TableColumn,
)
from solna_sn import audit, permissions
from solna_sn.forms import decimal_limits
from solna_sn.lib.numbers import NumberFormatError, parse_number, parse_percent
from solna_sn.lib.text import text_problem


class EconomyError(Exception):
    """A refused change; str(error) is a Swedish message for the person."""


class StaleError(EconomyError):
    """Someone else saved after this person loaded the page."""

    def __init__(self, message: str, *, current_text: str = "", current_revision: int = 0):
        super().__init__(message)
        self.current_text = current_text
        self.current_revision = current_revision


def check_may_enter(committee, by) -> None:
    if not permissions.can_enter_economy(by, committee):
        raise EconomyError(
            "Du får inte mata in ekonomiska siffror. Det gör förvaltningens controller eller "
            "förvaltningsledningen."
        )


def parse_figure(raw, column: TableColumn | None = None) -> Decimal | None:
    """A typed or imported figure: blank is "not given" (None); "12,3,0" and text are
    refused with a Swedish message; the column's limits are checked. A percentage column
    accepts "7,1 %"."""
    if raw is None or (isinstance(raw, str) and raw.strip() == ""):
        return None
    limits = decimal_limits(SheetValue, "value")
    parse = parse_percent if column is not None and column.derived == "percent_change" else None
    try:
        if parse is not None:
            return parse_number(parse(raw), **limits)
        return parse_number(raw, **limits)
    except NumberFormatError as error:
        raise EconomyError(str(error)) from None


@dataclass
class CellOutcome:
    saved: bool
    value: Decimal | None
    revision: int
    old_text: str = ""


def lock_sheet(sheet: Sheet) -> Sheet:
    locked = Sheet.objects.select_for_update().get(pk=sheet.pk)
    if locked.status == SheetStatus.LOCKED:
        raise EconomyError(
            f"{sheet.definition.title}, {locked.period_label} är låst. Be förvaltningsledningen "
            "öppna tabellen om en siffra behöver ändras."
        )
    return locked


def lock_version(version_id: int) -> BudgetVersion:
    version = BudgetVersion.objects.select_for_update().get(pk=version_id)
    if version.is_locked:
        raise EconomyError(
            f"{version.name} är låst (fastställd). Skapa en ny budgetversion om budgeten har "
            "ändrats."
        )
    return version


def clean_footnotes(texts: list[str]) -> list[str]:
    cleaned = [" ".join(text.split()) for text in texts]
    cleaned = [text for text in cleaned if text]
    for text in cleaned:
        if problem := text_problem(text, max_length=2000, multiline=False):
            raise EconomyError(problem)
    return cleaned


def footnotes_fingerprint(texts: list[str]) -> str:
    """Identifies a list of footnotes, so a save can tell whether someone changed them since
    the page was loaded."""
    return hashlib.sha256("\n".join(texts).encode()).hexdigest()[:16]


def replace_footnotes(owner: dict, texts: list[str], expected: str, by, target) -> bool:
    current = list(
        Footnote.objects.select_for_update().filter(**owner).order_by("sort_order", "pk")
    )
    current_texts = [footnote.text for footnote in current]
    if footnotes_fingerprint(current_texts) != expected:
        raise StaleError(
            "Någon annan har ändrat fotnoterna efter att du öppnade sidan. De sparade "
            "fotnoterna visas nu; för över dina ändringar och spara igen.",
            current_text="\n".join(current_texts),
        )
    if current_texts == texts:
        return False
    Footnote.objects.filter(**owner).delete()
    Footnote.objects.bulk_create(
        Footnote(**owner, text=text, sort_order=index) for index, text in enumerate(texts, 1)
    )
    audit.record(
        "economy.footnotes_changed",
        target=target,
        by=by,
        changes={"fotnoter": (current_texts, texts)},
    )
    return True
