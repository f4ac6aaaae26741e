"""Ekonomi: table definitions as data, budget versions, utfall and prognos per period, personnel
key figures, taxor och avgifter and kvalitetsdeklarationer.

Figures are stored as given (Decimal, in the table's unit, mkr), never rounded and never
corrected: sums and derived columns are computed where no figure is given (economy.tables).
Budget figures belong to a budget version, not to a sheet, because the same year's budget is
printed with different gross figures in different documents (ursprunglig in the VP, justerad
in the delårsrapport); a sheet names the version it prints.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from economy import tables
from solna_sn.lib.periods import Month
from solna_sn.models import Committee, Unit, code_validator

# Figures in mkr to the krona: 12 digits before the comma, 6 after.
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


class BudgetVersionKind(models.TextChoices):
    ORIGINAL = "ursprunglig", "Ursprunglig budget"
    ADJUSTED = "justerad", "Justerad budget"
    OTHER = "annan", "Annan version"


class BudgetVersion(models.Model):
    """One version of a year's budget. Locked (fastställd) versions cannot be changed."""

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


# --- Import from the ekonomisystem --------------------------------------------------------


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

    class Meta:
        verbose_name = "ekonomiimport"
        verbose_name_plural = "ekonomiimporter"
        ordering = ["-uploaded_at"]

    def __str__(self):
        return f"{self.filename} ({period_label(self.year, self.period)})"


# --- Personnel key figures -----------------------------------------------------------------


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


# --- Registers the plan prints --------------------------------------------------------------


class DecisionBody(models.TextChoices):
    KF = "KF", "Kommunfullmäktige (KF)"
    KS = "KS", "Kommunstyrelsen (KS)"
    SN = "SN", "Socialnämnden (SN)"


class RegisterStatus(models.TextChoices):
    UNCHANGED = "oforandrad", "Oförändrad"
    NEW = "ny", "Ny"
    CHANGED = "andrad", "Ändrad"
    REVISED = "reviderad", "Reviderad"
    REPEALED = "upphor", "Upphör"


class Tariff(Editable):
    """Nämndens taxor och avgifter, as the VP of `plan_year` prints them. No amounts: the
    tariff itself is in the KF decision."""

    committee = models.ForeignKey(
        Committee, on_delete=models.PROTECT, related_name="+", verbose_name="nämnd"
    )
    plan_year = models.PositiveSmallIntegerField("verksamhetsplan för år")
    name = models.CharField("taxa eller avgift", max_length=300)
    decided_by = models.CharField("beslutad av", max_length=4, choices=DecisionBody.choices)
    decided_on = models.DateField("beslutsdatum")
    status = models.CharField("status", max_length=20, choices=RegisterStatus.choices)
    new_decision_on = models.DateField("datum för nytt beslut", null=True, blank=True)
    valid_from = models.DateField("gäller från och med")
    sort_order = models.PositiveIntegerField("ordning", default=0)

    class Meta:
        verbose_name = "taxa eller avgift"
        verbose_name_plural = "taxor och avgifter"
        ordering = ["plan_year", "sort_order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "plan_year", "name"], name="tariff_name_unique"
            ),
            models.CheckConstraint(
                condition=Q(decided_by__in=DecisionBody.values), name="tariff_body_known"
            ),
            models.CheckConstraint(
                condition=Q(status__in=RegisterStatus.values), name="tariff_status_known"
            ),
        ]

    def __str__(self):
        return self.name


class QualityDeclaration(Editable):
    """Stadens kvalitetsdeklarationer for the nämnd, as the VP of `plan_year` prints them."""

    committee = models.ForeignKey(
        Committee, on_delete=models.PROTECT, related_name="+", verbose_name="nämnd"
    )
    plan_year = models.PositiveSmallIntegerField("verksamhetsplan för år")
    name = models.CharField("kvalitetsdeklaration", max_length=300)
    decided_on = models.DateField("beslutsdatum")
    status = models.CharField("status", max_length=20, choices=RegisterStatus.choices)
    sort_order = models.PositiveIntegerField("ordning", default=0)

    class Meta:
        verbose_name = "kvalitetsdeklaration"
        verbose_name_plural = "kvalitetsdeklarationer"
        ordering = ["plan_year", "sort_order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "plan_year", "name"], name="qualitydeclaration_name_unique"
            ),
            models.CheckConstraint(
                condition=Q(status__in=RegisterStatus.values),
                name="qualitydeclaration_status_known",
            ),
        ]

    def __str__(self):
        return self.name
