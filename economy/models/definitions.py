"""Table definitions as data: row sets and rows (line, subtotal, total, which rows a sum
covers, the sign convention), and per table its columns (a given figure, or derived from two
columns A and B with a formula)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from economy.models.common import (
    AMOUNT_PLACES,
    Derived,
    Document,
    Figure,
    RowKind,
    Sign,
)
from solna_sn.models import Unit, code_validator


class RowSet(models.Model):
    """The rows of one or more tables (the delårsrapport's and the årsredovisning's
    Resultaträkning share theirs, and so their budget figures and account mapping)."""

    code = models.CharField("kod", max_length=40, unique=True, validators=[code_validator])
    title = models.CharField("namn", max_length=200)

    class Meta:
        verbose_name = "raduppsättning"
        verbose_name_plural = "raduppsättningar"
        ordering = ["title"]

    def __str__(self):
        return self.title


class TableRow(models.Model):
    rowset = models.ForeignKey(
        RowSet, on_delete=models.CASCADE, related_name="rows", verbose_name="raduppsättning"
    )
    code = models.CharField("kod", max_length=40, validators=[code_validator])
    label = models.CharField("rubrik", max_length=200, help_text="Som den skrivs ut.")
    kind = models.CharField("typ", max_length=10, choices=RowKind.choices, default=RowKind.LINE)
    sign = models.CharField(
        "tecken",
        max_length=10,
        choices=Sign.choices,
        default=Sign.ANY,
        help_text="Teckenkonventionen för radens belopp; avvikande tecken ger en varning.",
    )
    covers = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="covered_by",
        verbose_name="summerar raderna",
        help_text="För delsummor och totalsummor: raderna som summan omfattar.",
    )
    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="economy_rows",
        verbose_name="enhet",
        help_text="Enheten som verksamhetsraden motsvarar, om någon.",
    )
    sort_order = models.PositiveIntegerField("sorteringsordning", default=0)

    class Meta:
        verbose_name = "tabellrad"
        verbose_name_plural = "tabellrader"
        ordering = ["rowset", "sort_order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["rowset", "code"], name="tablerow_code_unique"),
            models.CheckConstraint(
                condition=Q(kind__in=RowKind.values), name="tablerow_kind_known"
            ),
            models.CheckConstraint(condition=Q(sign__in=Sign.values), name="tablerow_sign_known"),
        ]

    def __str__(self):
        return self.label

    @property
    def is_sum(self) -> bool:
        return self.kind != RowKind.LINE


class TableDefinition(models.Model):
    """One printed table: its rows (a row set), columns, sign convention and formulas."""

    code = models.CharField("kod", max_length=40, unique=True, validators=[code_validator])
    title = models.CharField("rubrik", max_length=200)
    document = models.CharField("dokument", max_length=20, choices=Document.choices)
    rowset = models.ForeignKey(
        RowSet, on_delete=models.PROTECT, related_name="definitions", verbose_name="rader"
    )
    stub_header = models.CharField(
        "rubrik i första kolumnen", max_length=200, help_text="Till exempel Resultaträkning (mkr)."
    )
    unit_label = models.CharField("enhet", max_length=20, default="mkr")
    sign_convention = models.TextField(
        "teckenkonvention",
        help_text="Hur tecknen ska läsas, till exempel att kostnader är negativa.",
    )
    sort_order = models.PositiveIntegerField("sorteringsordning", default=0)

    class Meta:
        verbose_name = "tabelldefinition"
        verbose_name_plural = "tabelldefinitioner"
        ordering = ["sort_order", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(document__in=Document.values), name="tabledefinition_document_known"
            )
        ]

    def __str__(self):
        return f"{self.title} ({self.get_document_display().lower()})"


class TableColumn(models.Model):
    """A column: a given figure, or derived from two other columns A and B of the table."""

    definition = models.ForeignKey(
        TableDefinition, on_delete=models.CASCADE, related_name="columns", verbose_name="tabell"
    )
    code = models.CharField("kod", max_length=40, validators=[code_validator])
    header = models.CharField(
        "kolumnrubrik",
        max_length=100,
        help_text="{år} blir tabellens år, {fg_år} året före, {åå} och {fg_åå} de två sista "
        "siffrorna: ”% {åå}/{fg_åå}” blir ”% 24/23”.",
    )
    figure = models.CharField(
        "angiven siffra", max_length=20, choices=Figure.choices, blank=True, default=""
    )
    derived = models.CharField(
        "beräkning", max_length=20, choices=Derived.choices, blank=True, default=""
    )
    operand_a = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="kolumn A",
    )
    operand_b = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="kolumn B",
    )
    decimals = models.PositiveSmallIntegerField("decimaler", default=1)
    sum_rows_only = models.BooleanField(
        "bara på summarader", default=False, help_text="Som ”% 24/23” i delårsrapporten."
    )
    percent_sign = models.BooleanField("skriv ut %-tecken", default=True)
    printed = models.BooleanField(
        "skrivs ut", default=True, help_text="En periodbudget matas in men skrivs inte ut."
    )
    sort_order = models.PositiveIntegerField("sorteringsordning", default=0)

    class Meta:
        verbose_name = "tabellkolumn"
        verbose_name_plural = "tabellkolumner"
        ordering = ["definition", "sort_order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["definition", "code"], name="tablecolumn_code_unique"),
            models.CheckConstraint(
                condition=(
                    Q(derived="", operand_a__isnull=True, operand_b__isnull=True)
                    & Q(figure__in=Figure.values)
                )
                | (
                    Q(figure="", operand_a__isnull=False, operand_b__isnull=False)
                    & Q(derived__in=Derived.values)
                ),
                name="tablecolumn_given_or_derived",
                violation_error_message="En kolumn är antingen en angiven siffra eller beräknad "
                "från två kolumner A och B.",
            ),
            models.CheckConstraint(
                condition=Q(decimals__lte=AMOUNT_PLACES), name="tablecolumn_decimals_limit"
            ),
        ]

    def __str__(self):
        return self.header

    @property
    def is_derived(self) -> bool:
        return bool(self.derived)
