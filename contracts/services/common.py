"""Shared checks for the contracts services: field parsing helpers, the role check and the
default committee."""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError

from contracts.models import (
    ChecklistPlaceStatus,
    Supplier,
)
from solna_sn.lib.dnr import DnrError, parse_dnr
from solna_sn.lib.text import TEXT_MAX_LENGTH, text_problem
from solna_sn.models import Committee


def _max(model, name: str) -> int:
    """The column's max_length: the limit a text is checked against before it is saved."""
    return model._meta.get_field(name).max_length


SUPPLIER_NAME_MAX = _max(Supplier, "name")
PLACE_MAX = _max(ChecklistPlaceStatus, "place")


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def default_committee() -> Committee:
    committee = Committee.objects.order_by("pk").first()
    if committee is None:
        raise ValidationError({NON_FIELD_ERRORS: "Ingen nämnd är upplagd."})
    return committee


# --- Shared field checks -------------------------------------------------------------------


def _text(
    value, *, field: str, errors: dict, required: str = "", max_length: int = TEXT_MAX_LENGTH
) -> str:
    """Stripped text, or a message in `errors`: required and empty, longer than the column
    (`max_length`; free text has the product's limit), or with control characters."""
    if value is None:
        value = ""
    if not isinstance(value, str):
        errors[field] = "Ange text."
        return ""
    value = value.strip()
    if required and not value:
        errors[field] = required
    elif problem := text_problem(value, max_length=max_length):
        errors[field] = problem
    return value


def _date(value, *, field: str, errors: dict, required: str = "") -> datetime.date | None:
    if value is None or value == "":
        if required:
            errors[field] = required
        return None
    if isinstance(value, datetime.datetime) or not isinstance(value, datetime.date):
        errors[field] = "Ange datum som ÅÅÅÅ-MM-DD."
        return None
    return value


def _dnr(value, *, field: str, errors: dict) -> str:
    raw = _text(value, field=field, errors=errors)
    if not raw:
        return ""
    try:
        return str(parse_dnr(raw))
    except DnrError as error:
        errors[field] = str(error)
        return raw


def _choice(value, choices, *, field: str, errors: dict, message: str, allow_blank=False) -> str:
    if allow_blank and (value is None or value == ""):
        return ""
    if value not in choices.values:
        errors[field] = message
        return ""
    return value


def _money(value, *, field: str, errors: dict) -> Decimal | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool | float):
        errors[field] = "Ange beloppet i kronor, till exempel 438 000."
        return None
    try:
        amount = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        errors[field] = "Ange beloppet i kronor, till exempel 438 000."
        return None
    if not amount.is_finite() or amount < 0:
        errors[field] = "Beloppet kan inte vara negativt."
        return None
    if amount >= Decimal("1e12"):
        errors[field] = "Beloppet är orimligt stort."
        return None
    return amount.quantize(Decimal("0.01"))


def _raise(errors: dict) -> None:
    if errors:
        raise ValidationError(errors)
