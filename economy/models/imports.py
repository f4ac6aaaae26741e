"""How the ekonomisystem's export is read (the account mapping) and the uploaded files."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from economy.models.common import Period, period_label
from economy.models.definitions import TableRow
from solna_sn.models import Committee, code_validator


class AccountMapping(models.Model):
    """How the ekonomisystem's Excel export is read: the column headers, the unit of its
    amounts, and (in its rules) which table row each account belongs to."""

    code = models.CharField("kod", max_length=40, unique=True, validators=[code_validator])
    name = models.CharField("namn", max_length=200)
    sheet_name = models.CharField(
        "blad", max_length=31, blank=True, help_text="Tomt: filens första blad."
    )
    header_account = models.CharField("kolumn för konto", max_length=100, default="Konto")
    header_activity = models.CharField(
        "kolumn för verksamhet",
        max_length=100,
        default="Verksamhet",
        blank=True,
        help_text="Tomt om exporten saknar verksamhetskolumn.",
    )
    header_outcome = models.CharField("kolumn för utfall", max_length=100, default="Utfall")
    header_outcome_prev = models.CharField(
        "kolumn för utfall föregående år", max_length=100, default="Utfall föregående år"
    )
    header_budget = models.CharField("kolumn för årsbudget", max_length=100, default="Budget")
    header_forecast = models.CharField("kolumn för prognos", max_length=100, default="Prognos")
    amount_divisor = models.DecimalField(
        "delas med",
        max_digits=12,
        decimal_places=0,
        default=1_000_000,
        help_text="Exportens belopp delas med detta för att bli tabellens enhet: 1 000 000 "
        "när exporten är i kronor och tabellerna i mkr.",
    )
    reverse_sign = models.BooleanField(
        "vänd tecknet",
        default=True,
        help_text="Bokföringen har intäkter negativa och kostnader positiva (kredit/debet); "
        "tabellerna har intäkter positiva och kostnader negativa.",
    )

    class Meta:
        verbose_name = "kontokoppling"
        verbose_name_plural = "kontokopplingar"
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_divisor__gt=0), name="accountmapping_divisor_positive"
            )
        ]

    def __str__(self):
        return self.name


class MappingRule(models.Model):
    """Accounts from–to (and optionally one verksamhet code) → a line of a row set, or
    ignored on purpose. An account that no rule knows stops the import."""

    mapping = models.ForeignKey(
        AccountMapping, on_delete=models.CASCADE, related_name="rules", verbose_name="koppling"
    )
    row = models.ForeignKey(
        TableRow,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="mapping_rules",
        verbose_name="rad",
    )
    ignore = models.BooleanField(
        "ingår inte", default=False, help_text="Kontona läses inte in (till exempel balanskonton)."
    )
    account_from = models.PositiveIntegerField("från konto")
    account_to = models.PositiveIntegerField("till och med konto")
    activity = models.CharField(
        "verksamhet", max_length=40, blank=True, help_text="Tomt: alla verksamheter."
    )
    note = models.CharField("anteckning", max_length=200, blank=True)

    class Meta:
        verbose_name = "kontoregel"
        verbose_name_plural = "kontoregler"
        ordering = ["mapping", "account_from", "activity"]
        constraints = [
            models.CheckConstraint(
                condition=Q(account_to__gte=F("account_from")), name="mappingrule_range_ordered"
            ),
            models.CheckConstraint(
                condition=Q(ignore=True, row__isnull=True) | Q(ignore=False, row__isnull=False),
                name="mappingrule_row_or_ignored",
                violation_error_message="Ange en rad, eller markera att kontona inte ingår.",
            ),
        ]

    def __str__(self):
        target = "ingår inte" if self.ignore else str(self.row)
        activity = f" verksamhet {self.activity}" if self.activity else ""
        return f"{self.account_from}–{self.account_to}{activity} → {target}"


class EconomyImport(models.Model):
    """An uploaded export, kept until it is applied (the preview and the apply read the same
    bytes)."""

    committee = models.ForeignKey(
        Committee, on_delete=models.PROTECT, related_name="+", verbose_name="nämnd"
    )
    mapping = models.ForeignKey(
        AccountMapping, on_delete=models.PROTECT, related_name="imports", verbose_name="koppling"
    )
    year = models.PositiveSmallIntegerField("år")
    period = models.CharField("period", max_length=10, choices=Period.choices)
    filename = models.CharField("filnamn", max_length=255)
    content = models.BinaryField("innehåll")
    uploaded_at = models.DateTimeField("uppladdad", auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="uppladdad av",
    )
    applied_at = models.DateTimeField("inläst", null=True, blank=True)
    parsed = models.JSONField(
        "inlästa summor",
        null=True,
        blank=True,
        editable=False,
        help_text="Filens summor per tabellrad, sparade vid uppladdningen.",
    )

    class Meta:
        verbose_name = "ekonomiimport"
        verbose_name_plural = "ekonomiimporter"
        ordering = ["-uploaded_at"]

    def __str__(self):
        return f"{self.filename} ({period_label(self.year, self.period)})"
