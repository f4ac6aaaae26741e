"""Verksamhetsmått: a catalogue of monthly metrics (data, not code) and their values.

A value has three states (DESIGN.md §4 rule 3): a number, *ej tillämpligt* (printed "-") and
*ej rapporterat* (printed blank). Zero is a number. "Ej rapporterat" is either no row at all or
a row whose number was cleared (the row keeps its version and audit history).
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q

from metrics.cells import CellSpec
from solna_sn.forms import decimal_limits
from solna_sn.lib.periods import Month
from solna_sn.models import Unit, ValidityPeriod, code_validator


class Aggregation(models.TextChoices):
    SUM = "sum", "Summa (flöden, t.ex. vårddygn)"
    MEAN = "mean", "Medelvärde (antal vid mättillfället, snittbelopp)"


class MetricCategory(models.Model):
    """Kategori: the heading the metrics are printed under (Ekonomiskt bistånd, Vuxna, …)."""

    code = models.CharField("kod", max_length=40, unique=True, validators=[code_validator])
    title = models.CharField("rubrik", max_length=200, unique=True)
    sort_order = models.PositiveIntegerField("sorteringsordning", default=0)

    class Meta:
        verbose_name = "kategori"
        verbose_name_plural = "kategorier"
        ordering = ["sort_order", "title"]

    def __str__(self):
        return self.title


class MetricQuerySet(models.QuerySet):
    def valid_in(self, month: Month):
        first = month.first_day
        return self.filter(
            Q(valid_from__lte=first), Q(valid_to__isnull=True) | Q(valid_to__gte=first)
        )

    def overlapping_years(self, first_year: int, last_year: int):
        return self.filter(
            Q(valid_from__lte=datetime.date(last_year, 12, 1)),
            Q(valid_to__isnull=True) | Q(valid_to__gte=datetime.date(first_year, 1, 1)),
        )


class Metric(models.Model):
    """One monthly series. Identity is the stable `code`; (category, title) is what people see
    and is unique too (the same title occurs under several categories)."""

    code = models.CharField("kod", max_length=60, unique=True, validators=[code_validator])
    category = models.ForeignKey(
        MetricCategory, on_delete=models.PROTECT, related_name="metrics", verbose_name="kategori"
    )
    title = models.CharField("rubrik", max_length=300)
    measure_unit = models.CharField(
        "måttenhet", max_length=60, help_text="Till exempel antal personer, vårddygn, kr."
    )
    decimals = models.PositiveSmallIntegerField(
        "decimaler", default=0, help_text="0 för heltal (antal, hela kronor)."
    )
    allow_negative = models.BooleanField("får vara negativt", default=False)
    owner = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="metrics", verbose_name="ansvarig enhet"
    )
    sort_order = models.PositiveIntegerField("sorteringsordning", default=0)
    valid_from = models.DateField(
        "gäller från månad",
        default=datetime.date(2000, 1, 1),
        help_text="Första dagen i den första månaden som måttet mäts.",
    )
    valid_to = models.DateField(
        "gäller till och med månad",
        null=True,
        blank=True,
        help_text="Första dagen i den sista månaden; tomt om måttet fortfarande mäts.",
    )
    predecessor = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="successors",
        verbose_name="föregångare",
        help_text="Måttet som detta ersätter (t.ex. när ett mått flyttar mellan kategorier).",
    )
    aggregation = models.CharField(
        "sammanräkning över en period",
        max_length=10,
        choices=Aggregation.choices,
        default=Aggregation.MEAN,
    )
    min_value = models.DecimalField(
        "lägsta tillåtna värde",
        max_digits=16,
        decimal_places=4,
        null=True,
        blank=True,
        help_text="Tomt om det inte finns någon gräns. Ett lägre värde kan inte sparas.",
    )
    max_value = models.DecimalField(
        "högsta tillåtna värde",
        max_digits=16,
        decimal_places=4,
        null=True,
        blank=True,
        help_text=(
            "Tomt om det inte finns någon gräns (till exempel 100 för en andel i procent). Ett "
            "högre värde kan inte sparas."
        ),
    )

    objects = MetricQuerySet.as_manager()

    class Meta:
        verbose_name = "verksamhetsmått"
        verbose_name_plural = "verksamhetsmått"
        ordering = ["category__sort_order", "sort_order", "title"]
        constraints = [
            models.UniqueConstraint(fields=["category", "title"], name="metric_title_per_category"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="metric_valid_to_after_valid_from",
                violation_error_message="Slutmånaden kan inte ligga före startmånaden.",
            ),
            models.CheckConstraint(condition=Q(decimals__lte=4), name="metric_decimals_at_most_4"),
            models.CheckConstraint(
                condition=Q(min_value__isnull=True)
                | Q(max_value__isnull=True)
                | Q(min_value__lte=F("max_value")),
                name="metric_min_value_at_most_max_value",
                violation_error_message="Det lägsta värdet kan inte vara högre än det högsta.",
            ),
        ]

    def __str__(self):
        return f"{self.category.title}: {self.title}"

    def clean(self):
        errors = {}
        if self.valid_from and self.valid_from.day != 1:
            errors["valid_from"] = "Ange den första dagen i månaden."
        if self.valid_to and self.valid_to.day != 1:
            errors["valid_to"] = "Ange den första dagen i månaden."
        if self.predecessor_id and self.predecessor_id == self.pk:
            errors["predecessor"] = "Ett mått kan inte vara sin egen föregångare."
        if (
            self.min_value is not None
            and self.max_value is not None
            and self.min_value > self.max_value
        ):
            errors["max_value"] = "Det högsta värdet kan inte vara lägre än det lägsta."
        if errors:
            raise ValidationError(errors)

    def title_on(self, day: datetime.date) -> str:
        """The title the metric had on `day` (earlier titles are kept, as units keep their
        earlier names)."""
        for earlier in self.earlier_titles.all():
            if earlier.is_valid_on(day):
                return earlier.title
        return self.title

    def is_valid_in(self, month: Month) -> bool:
        first = month.first_day
        return self.valid_from <= first and (self.valid_to is None or first <= self.valid_to)

    @property
    def cell_spec(self) -> CellSpec:
        """What a cell of this metric accepts, with the limits of the column it is stored in.
        The month grid, the Excel import and the demo all parse through this."""
        return CellSpec(
            decimals=self.decimals,
            allow_negative=self.allow_negative,
            min_value=self.min_value,
            max_value=self.max_value,
            **decimal_limits(MetricValue, "value"),
        )


class MetricTitle(ValidityPeriod):
    """An earlier title of a metric and the period it was used (spacing, a unit added, a typo
    fixed). The Excel import matches a file's titles against these too; "Menade du …?" in the
    import preview adds one, with the years of the file it was read from."""

    metric = models.ForeignKey(
        Metric, on_delete=models.CASCADE, related_name="earlier_titles", verbose_name="mått"
    )
    title = models.CharField("tidigare rubrik", max_length=300)

    class Meta:
        verbose_name = "tidigare rubrik"
        verbose_name_plural = "tidigare rubriker"
        ordering = ["metric", "-valid_from", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="metrictitle_valid_to_after_valid_from",
                violation_error_message="Slutdatum kan inte ligga före startdatum.",
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=False),
                name="metrictitle_has_end",
                violation_error_message="En tidigare rubrik måste ha ett slutdatum.",
            ),
            models.UniqueConstraint(
                fields=["metric", "title"], name="one_earlier_title_per_metric"
            ),
        ]

    def __str__(self):
        return f"{self.title} (till {self.valid_to:%Y-%m-%d})"


class RuleKind(models.TextChoices):
    DAYS_LIMIT = "days_limit", "Högst referensmåttet × antal dagar i månaden"


class MetricRule(models.Model):
    """A soft rule: breaking it gives a warning that can be confirmed with a comment, never an
    error (the sources break vårddygn ≤ personer × dagar for good reasons)."""

    metric = models.ForeignKey(
        Metric, on_delete=models.CASCADE, related_name="rules", verbose_name="mått"
    )
    kind = models.CharField("regel", max_length=20, choices=RuleKind.choices)
    reference = models.ForeignKey(
        Metric, on_delete=models.CASCADE, related_name="+", verbose_name="referensmått"
    )

    class Meta:
        verbose_name = "kontrollregel"
        verbose_name_plural = "kontrollregler"
        constraints = [
            models.CheckConstraint(
                condition=~Q(metric=F("reference")), name="metricrule_reference_is_other"
            )
        ]

    def __str__(self):
        return f"{self.metric.title}: {self.get_kind_display()} ({self.reference.title})"


class MetricValueQuerySet(models.QuerySet):
    def reported(self):
        """Values that are a number or "ej tillämpligt" (not cleared ones)."""
        return self.filter(Q(value__isnull=False) | Q(not_applicable=True))


class MetricValue(models.Model):
    metric = models.ForeignKey(
        Metric, on_delete=models.PROTECT, related_name="values", verbose_name="mått"
    )
    month = models.DateField("månad", help_text="Första dagen i månaden.")
    value = models.DecimalField("värde", max_digits=16, decimal_places=4, null=True, blank=True)
    not_applicable = models.BooleanField("ej tillämpligt", default=False)
    comment = models.TextField("kommentar", blank=True)
    version = models.PositiveIntegerField("version", default=1)
    updated_at = models.DateTimeField("ändrad", auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="ändrad av",
    )

    objects = MetricValueQuerySet.as_manager()

    class Meta:
        verbose_name = "månadsvärde"
        verbose_name_plural = "månadsvärden"
        ordering = ["metric", "month"]
        constraints = [
            models.UniqueConstraint(fields=["metric", "month"], name="one_value_per_metric_month"),
            models.CheckConstraint(
                condition=Q(value__isnull=True) | Q(not_applicable=False),
                name="metricvalue_number_or_not_applicable",
            ),
        ]

    def __str__(self):
        return f"{self.metric.title} {self.month:%Y-%m}"

    @property
    def is_reported(self) -> bool:
        return self.value is not None or self.not_applicable


class MonthState(models.TextChoices):
    OPEN = "open", "Öppen"
    REPORTED = "reported", "Inrapporterad"
    LOCKED = "locked", "Låst"


class MonthStatus(models.Model):
    """Reporting state of one enhet's metrics for one month: Öppen → Inrapporterad → Låst.
    No row means Öppen."""

    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="month_statuses", verbose_name="enhet"
    )
    month = models.DateField("månad")
    state = models.CharField(
        "läge", max_length=10, choices=MonthState.choices, default=MonthState.OPEN
    )
    reported_at = models.DateTimeField("inrapporterad", null=True, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="inrapporterad av",
    )
    locked_at = models.DateTimeField("låst", null=True, blank=True)
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="låst av",
    )

    class Meta:
        verbose_name = "rapporteringsläge"
        verbose_name_plural = "rapporteringslägen"
        ordering = ["month", "unit"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "month"], name="one_status_per_unit_month"),
            models.CheckConstraint(
                condition=Q(locked_at__isnull=True, locked_by__isnull=True)
                | Q(locked_at__isnull=False, locked_by__isnull=False),
                name="monthstatus_locked_pair",
            ),
            models.CheckConstraint(
                condition=~Q(state="locked") | Q(locked_at__isnull=False),
                name="monthstatus_locked_has_time",
            ),
        ]

    def __str__(self):
        return f"{self.unit} {self.month:%Y-%m}: {self.get_state_display()}"


class MetricImport(models.Model):
    """An uploaded Excel file waiting between preview and apply. Kept in the database (not on a
    local disk) so any web process can apply what another one previewed.

    The file is parsed once, at upload; `parsed` keeps the cells read from it, and every preview
    and the apply start from there (the comparison with stored values is made again each time).
    The file itself is emptied when the import is applied. An import is abandoned when its user
    uploads a newer file or when it is more than a day old; abandoned imports are deleted when
    the next upload starts (`importers.import_upload`)."""

    uploaded_at = models.DateTimeField("uppladdad", auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name="uppladdad av",
    )
    filename = models.CharField("filnamn", max_length=255)
    content = models.BinaryField("innehåll")
    parsed = models.JSONField("inlästa celler", default=dict)
    applied_at = models.DateTimeField("inläst", null=True, blank=True)
    imported_months = models.JSONField(
        "inlästa månader",
        default=list,
        blank=True,
        help_text='Enhet och månad för varje cell som lästes in: [[enhetens id, "2024-03"], …].',
    )

    class Meta:
        verbose_name = "Excelimport"
        verbose_name_plural = "Excelimporter"
        ordering = ["-uploaded_at"]

    def __str__(self):
        return f"{self.filename} ({self.uploaded_at:%Y-%m-%d %H:%M})"
