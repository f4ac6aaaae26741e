"""Personnel key figures per period, and the footnotes of any table."""

from __future__ import annotations

import datetime

from django.db import models
from django.db.models import F, Q

from economy.models.common import AMOUNT_PLACES, Editable, Period, amount_field, period_label
from economy.models.sheets import Sheet
from solna_sn.lib.periods import Month
from solna_sn.models import Committee, code_validator


class PersonnelFigure(models.Model):
    """A row of the personnel table, with its own unit and decimals."""

    code = models.CharField("kod", max_length=40, unique=True, validators=[code_validator])
    label = models.CharField("rubrik", max_length=200)
    unit_label = models.CharField("enhet", max_length=40, help_text="antal, årsarbetare, %, index")
    decimals = models.PositiveSmallIntegerField("decimaler", default=0)
    part_of = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="parts",
        verbose_name="del av",
        help_text="”varav”-rader: raderna ska tillsammans bli raden de är del av.",
    )
    sort_order = models.PositiveIntegerField("sorteringsordning", default=0)

    class Meta:
        verbose_name = "personalnyckeltal"
        verbose_name_plural = "personalnyckeltal"
        ordering = ["sort_order", "label"]
        constraints = [
            models.CheckConstraint(
                condition=Q(decimals__lte=AMOUNT_PLACES), name="personnelfigure_decimals_limit"
            )
        ]

    def __str__(self):
        return self.label


class PersonnelSheet(Editable):
    """The personnel table of one report period (Väsentliga personalförhållanden)."""

    committee = models.ForeignKey(
        Committee, on_delete=models.PROTECT, related_name="+", verbose_name="nämnd"
    )
    year = models.PositiveSmallIntegerField("år")
    period = models.CharField("period", max_length=10, choices=Period.choices)
    stub_header = models.CharField(
        "rubrik i första kolumnen", max_length=100, default="Periodutfall"
    )

    class Meta:
        verbose_name = "personaltabell"
        verbose_name_plural = "personaltabeller"
        ordering = ["-year", "period"]
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "year", "period"], name="personnelsheet_one_per_period"
            ),
            models.CheckConstraint(
                condition=Q(year__gte=1900, year__lte=2999), name="personnelsheet_year_range"
            ),
            models.CheckConstraint(
                condition=Q(period__in=Period.values), name="personnelsheet_period_known"
            ),
        ]

    def __str__(self):
        return f"Personal, {self.period_label}"

    @property
    def period_label(self) -> str:
        return period_label(self.year, self.period)

    @property
    def period_start(self) -> datetime.date:
        return datetime.date(self.year, 1, 1)

    @property
    def period_end(self) -> datetime.date:
        return Month(self.year, Period(self.period).months).last_day


class PersonnelValue(models.Model):
    """One row of a personnel table. The measured period and the comparison period default to
    the report period and the same period a year earlier; sick leave is measured 1 December –
    31 July, and an HME survey may be compared with one two years older."""

    sheet = models.ForeignKey(
        PersonnelSheet, on_delete=models.CASCADE, related_name="values", verbose_name="tabell"
    )
    figure = models.ForeignKey(
        PersonnelFigure, on_delete=models.PROTECT, related_name="values", verbose_name="nyckeltal"
    )
    value = amount_field("värde")
    comparison_value = amount_field("jämförelsevärde")
    change = amount_field("förändring (som tryckt)")
    measured_from = models.DateField("mätperiod från", null=True, blank=True)
    measured_to = models.DateField("mätperiod till och med", null=True, blank=True)
    comparison_from = models.DateField("jämförelseperiod från", null=True, blank=True)
    comparison_to = models.DateField("jämförelseperiod till och med", null=True, blank=True)

    class Meta:
        verbose_name = "personalvärde"
        verbose_name_plural = "personalvärden"
        ordering = ["figure__sort_order"]
        constraints = [
            models.UniqueConstraint(
                fields=["sheet", "figure"], name="personnelvalue_one_per_figure"
            ),
            models.CheckConstraint(
                condition=Q(measured_from__isnull=True)
                | Q(measured_to__isnull=True)
                | Q(measured_to__gte=F("measured_from")),
                name="personnelvalue_measured_ordered",
            ),
            models.CheckConstraint(
                condition=Q(comparison_from__isnull=True)
                | Q(comparison_to__isnull=True)
                | Q(comparison_to__gte=F("comparison_from")),
                name="personnelvalue_comparison_ordered",
            ),
        ]

    def __str__(self):
        return f"{self.sheet}: {self.figure}"


class Footnote(models.Model):
    """A footnote printed under a table: a sheet's or a personnel table's (exactly one)."""

    sheet = models.ForeignKey(
        Sheet,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="footnotes",
        verbose_name="tabell",
    )
    personnel_sheet = models.ForeignKey(
        PersonnelSheet,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="footnotes",
        verbose_name="personaltabell",
    )
    text = models.TextField("fotnot")
    sort_order = models.PositiveIntegerField("sorteringsordning", default=0)

    class Meta:
        verbose_name = "fotnot"
        verbose_name_plural = "fotnoter"
        ordering = ["sort_order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(sheet__isnull=False, personnel_sheet__isnull=True)
                | Q(sheet__isnull=True, personnel_sheet__isnull=False),
                name="footnote_one_table",
            )
        ]

    def __str__(self):
        return self.text[:80]
