"""Shared pieces: how amounts are stored, documents and periods, the choices mirroring
economy.tables, and optimistic locking."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from economy import tables

AMOUNT_DIGITS = 18
AMOUNT_PLACES = 6


def amount_field(verbose_name: str, **kwargs) -> models.DecimalField:
    return models.DecimalField(
        verbose_name,
        max_digits=AMOUNT_DIGITS,
        decimal_places=AMOUNT_PLACES,
        null=True,
        blank=True,
        **kwargs,
    )


class Document(models.TextChoices):
    FOLLOW_UP = "uppfoljning", "Budgetuppföljning och delårsrapport"
    ANNUAL = "arsredovisning", "Årsredovisning"
    PLAN = "verksamhetsplan", "Verksamhetsplan och budget"


class Period(models.TextChoices):
    APRIL = "april", "per april"
    AUGUST = "augusti", "per augusti"
    FULL_YEAR = "helar", "helår"
    PLAN = "plan", "budgetår"

    @property
    def months(self) -> int:
        return {"april": 4, "augusti": 8, "helar": 12, "plan": 12}[self.value]


PERIODS_FOR_DOCUMENT = {
    Document.FOLLOW_UP: (Period.APRIL, Period.AUGUST),
    Document.ANNUAL: (Period.FULL_YEAR,),
    Document.PLAN: (Period.PLAN,),
}


def period_label(year: int, period: str) -> str:
    if period == Period.PLAN:
        return f"budget {year}"
    return f"{Period(period).label} {year}"


class RowKind(models.TextChoices):
    LINE = tables.RowKind.LINE.value, "Rad"
    SUBTOTAL = tables.RowKind.SUBTOTAL.value, "Delsumma"
    TOTAL = tables.RowKind.TOTAL.value, "Totalsumma"


class Sign(models.TextChoices):
    POSITIVE = tables.Sign.POSITIVE.value, "Positiv (intäkt, investering)"
    NEGATIVE = tables.Sign.NEGATIVE.value, "Negativ (kostnad, nettokostnad)"
    ANY = tables.Sign.ANY.value, "Valfritt tecken"


class Figure(models.TextChoices):
    OUTCOME = tables.Figure.OUTCOME.value, "Utfall för perioden"
    OUTCOME_PREV = tables.Figure.OUTCOME_PREV.value, "Utfall samma period föregående år"
    ANNUAL_BUDGET = tables.Figure.ANNUAL_BUDGET.value, "Årsbudget (tabellens budgetversion)"
    PERIOD_BUDGET = tables.Figure.PERIOD_BUDGET.value, "Periodbudget (om den inte är linjär)"
    FORECAST = tables.Figure.FORECAST.value, "Årsprognos"
    BUDGET_PREV = tables.Figure.BUDGET_PREV.value, "Föregående års budget (tidigare version)"


class Derived(models.TextChoices):
    PERCENT_CHANGE = tables.Derived.PERCENT_CHANGE.value, "Procentuell förändring: (A − B) / B"
    BUDGET_VARIANCE = tables.Derived.BUDGET_VARIANCE.value, "Budgetavvikelse: A − B × månader/12"
    FORECAST_VARIANCE = tables.Derived.FORECAST_VARIANCE.value, "Prognosavvikelse: A − B"
    CHANGE = tables.Derived.CHANGE.value, "Förändring: A − B"
    DIFFERENCE = tables.Derived.DIFFERENCE.value, "Differens: A − B"
    REMAINING = tables.Derived.REMAINING.value, "Återstår: A − B"


class Editable(models.Model):
    """Abstract: optimistic locking on `revision`, who changed it last."""

    revision = models.PositiveIntegerField("version", default=0)
    updated_at = models.DateTimeField("ändrad", auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="ändrad av",
    )

    class Meta:
        abstract = True
