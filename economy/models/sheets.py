"""Budget versions and their figures; a table for a period (a sheet) with its given figures
and row commentary."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from economy.models.common import Editable, Period, amount_field, period_label
from economy.models.definitions import TableColumn, TableDefinition, TableRow
from solna_sn.models import Committee


class BudgetVersionKind(models.TextChoices):
    ORIGINAL = "ursprunglig", "Ursprunglig budget"
    ADJUSTED = "justerad", "Justerad budget"
    OTHER = "annan", "Annan version"


class BudgetVersion(models.Model):
    """One version of a year's budget. Locked (fastställd) versions cannot be changed; a
    change after adoption is a new version (justerad budget). The verksamhetsplan's version
    is fastställd with the plan (decided_on, decided_by, decision_paragraph, is_locked)."""

    committee = models.ForeignKey(
        Committee, on_delete=models.PROTECT, related_name="budget_versions", verbose_name="nämnd"
    )
    year = models.PositiveSmallIntegerField("budgetår")
    kind = models.CharField("typ", max_length=20, choices=BudgetVersionKind.choices)
    name = models.CharField(
        "namn", max_length=200, help_text="Till exempel Justerad budget 2024 (delårsrapport)."
    )
    decided_on = models.DateField("beslutad", null=True, blank=True)
    decided_by = models.CharField("beslutad av", max_length=100, blank=True)
    decision_paragraph = models.CharField(
        "beslutsparagraf",
        max_length=40,
        blank=True,
        help_text="Paragrafen i nämndens protokoll när versionen fastställts, till exempel § 64.",
    )
    note = models.TextField("anteckning", blank=True)
    is_locked = models.BooleanField("låst", default=False)
    created_at = models.DateTimeField("skapad", auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="skapad av",
    )

    class Meta:
        verbose_name = "budgetversion"
        verbose_name_plural = "budgetversioner"
        ordering = ["-year", "kind", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "year", "name"], name="budgetversion_name_unique"
            ),
            models.CheckConstraint(
                condition=Q(year__gte=1900, year__lte=2999), name="budgetversion_year_range"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=BudgetVersionKind.values), name="budgetversion_kind_known"
            ),
        ]

    def __str__(self):
        return self.name


class BudgetValue(Editable):
    """A row's annual budget in one version."""

    budget_version = models.ForeignKey(
        BudgetVersion, on_delete=models.CASCADE, related_name="values", verbose_name="version"
    )
    row = models.ForeignKey(
        TableRow, on_delete=models.PROTECT, related_name="budget_values", verbose_name="rad"
    )
    value = amount_field("belopp")
    note = models.CharField("anteckning", max_length=500, blank=True)

    class Meta:
        verbose_name = "budgetbelopp"
        verbose_name_plural = "budgetbelopp"
        constraints = [
            models.UniqueConstraint(
                fields=["budget_version", "row"], name="budgetvalue_one_per_row"
            )
        ]

    def __str__(self):
        return f"{self.budget_version}: {self.row}"


class SheetStatus(models.TextChoices):
    OPEN = "oppen", "Öppen"
    LOCKED = "last", "Låst"


class Sheet(models.Model):
    """A table for one period: the figures of the delårsrapport per augusti 2024's
    Resultaträkning, or the VP 2025's Driftbudget, nämnd (period "plan")."""

    committee = models.ForeignKey(
        Committee, on_delete=models.PROTECT, related_name="economy_sheets", verbose_name="nämnd"
    )
    definition = models.ForeignKey(
        TableDefinition, on_delete=models.PROTECT, related_name="sheets", verbose_name="tabell"
    )
    year = models.PositiveSmallIntegerField("år")
    period = models.CharField("period", max_length=10, choices=Period.choices)
    budget_version = models.ForeignKey(
        BudgetVersion,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sheets",
        verbose_name="budgetversion",
        help_text="Versionen som kolumnen årsbudget hämtas från.",
    )
    previous_budget_version = models.ForeignKey(
        BudgetVersion,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sheets_as_previous",
        verbose_name="föregående års budgetversion",
        help_text="Versionen som kolumnen föregående års budget hämtas från (verksamhetsplan).",
    )
    status = models.CharField(
        "läge", max_length=10, choices=SheetStatus.choices, default=SheetStatus.OPEN
    )
    locked_at = models.DateTimeField("låst", null=True, blank=True)
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="låst av",
    )
    created_at = models.DateTimeField("skapad", auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="skapad av",
    )

    class Meta:
        verbose_name = "tabell för en period"
        verbose_name_plural = "tabeller per period"
        ordering = ["-year", "period", "definition__sort_order"]
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "definition", "year", "period"], name="sheet_one_per_period"
            ),
            models.CheckConstraint(
                condition=Q(year__gte=1900, year__lte=2999), name="sheet_year_range"
            ),
            models.CheckConstraint(
                condition=Q(period__in=Period.values), name="sheet_period_known"
            ),
            models.CheckConstraint(
                condition=Q(status=SheetStatus.OPEN, locked_at__isnull=True)
                | Q(status=SheetStatus.LOCKED, locked_at__isnull=False),
                name="sheet_locked_at_with_status",
            ),
        ]

    def __str__(self):
        return f"{self.definition.title}, {self.period_label}"

    @property
    def months(self) -> int:
        return Period(self.period).months

    @property
    def period_label(self) -> str:
        return period_label(self.year, self.period)

    @property
    def is_locked(self) -> bool:
        return self.status == SheetStatus.LOCKED


class SheetValue(Editable):
    """A given figure of a sheet (everything but the budget columns, which live in the
    budget version): utfall, prognos, a printed sum or a printed derived value."""

    sheet = models.ForeignKey(
        Sheet, on_delete=models.CASCADE, related_name="values", verbose_name="tabell"
    )
    row = models.ForeignKey(
        TableRow, on_delete=models.PROTECT, related_name="sheet_values", verbose_name="rad"
    )
    column = models.ForeignKey(
        TableColumn, on_delete=models.PROTECT, related_name="sheet_values", verbose_name="kolumn"
    )
    value = amount_field("belopp")
    note = models.CharField(
        "anteckning", max_length=500, blank=True, help_text="Till exempel varifrån siffran kommer."
    )

    class Meta:
        verbose_name = "angiven siffra"
        verbose_name_plural = "angivna siffror"
        constraints = [
            models.UniqueConstraint(
                fields=["sheet", "row", "column"], name="sheetvalue_one_per_cell"
            )
        ]

    def __str__(self):
        return f"{self.sheet}: {self.row}, {self.column}"


class RowCommentary(Editable):
    """The paragraph that explains a row (the delårsrapport explains each verksamhet)."""

    sheet = models.ForeignKey(
        Sheet, on_delete=models.CASCADE, related_name="commentaries", verbose_name="tabell"
    )
    row = models.ForeignKey(
        TableRow, on_delete=models.PROTECT, related_name="commentaries", verbose_name="rad"
    )
    text = models.TextField("kommentar", blank=True)

    class Meta:
        verbose_name = "radkommentar"
        verbose_name_plural = "radkommentarer"
        constraints = [
            models.UniqueConstraint(fields=["sheet", "row"], name="rowcommentary_one_per_row")
        ]

    def __str__(self):
        return f"{self.sheet}: {self.row}"
