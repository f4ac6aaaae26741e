"""Mål och uppdrag: a goal tree per plan year, configured per nämnd, with mått, aktiviteter,
uppdrag from KF and assessments per report period.

The tree's levels are data (`Level`): Solna has Vision → Övergripande mål (KF) → Nämndmål;
another kommun may have KF:s inriktningsmål → KF:s mål för verksamhetsområdet → nämndmål with
indicators on any level. Which levels take mått, aktiviteter, Agenda 2030 links and
assessments is configured on the level. Scales are ordered rows with label and symbol; the
colour is a choice from a fixed accessible palette (a CSS class: the pages allow no inline
styles) and never carries meaning alone.

Every goal, mått, aktivitet and uppdrag has a `key` that stays the same when a year is copied
to the next, so assessments and figures can be followed across years. The canonical text of a
goal is stored once, on the goal; documents print it from there.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from solna_sn.lib.periods import PeriodKind
from solna_sn.models import Committee, Unit, code_validator


class Colour(models.TextChoices):
    """An accessible palette (WCAG AA on white); the symbol and the label carry the meaning."""

    GREEN = "green", "Grön"
    LIGHT_GREEN = "lightgreen", "Ljusgrön"
    YELLOW = "yellow", "Gul"
    ORANGE = "orange", "Orange"
    RED = "red", "Röd"
    BLUE = "blue", "Blå"
    GREY = "grey", "Grå"


class Scale(models.Model):
    """An ordered assessment scale of a nämnd (måluppfyllelse, status för uppdrag)."""

    committee = models.ForeignKey(
        Committee, on_delete=models.CASCADE, related_name="goal_scales", verbose_name="nämnd"
    )
    code = models.CharField("kod", max_length=20, validators=[code_validator])
    name = models.CharField("benämning", max_length=200)
    introduction = models.CharField(
        "inledning",
        max_length=200,
        blank=True,
        help_text="Skrivs före skalan i rapporterna, till exempel ”Målen bedöms enligt:”.",
    )

    class Meta:
        verbose_name = "bedömningsskala"
        verbose_name_plural = "bedömningsskalor"
        ordering = ["committee", "name"]
        constraints = [
            models.UniqueConstraint(fields=["committee", "code"], name="goal_scale_code"),
        ]

    def __str__(self):
        return self.name


class ScaleStep(models.Model):
    """One step of a scale; rank 1 is the best."""

    scale = models.ForeignKey(
        Scale, on_delete=models.CASCADE, related_name="steps", verbose_name="skala"
    )
    rank = models.PositiveSmallIntegerField("ordning", help_text="1 är bäst.")
    label = models.CharField("benämning", max_length=200)
    symbol = models.CharField("symbol", max_length=4)
    colour = models.CharField(
        "färg",
        max_length=12,
        choices=Colour.choices,
        default=Colour.GREY,
        help_text="Bara utsmyckning: symbolen och texten visar alltid nivån.",
    )

    class Meta:
        verbose_name = "skalsteg"
        verbose_name_plural = "skalsteg"
        ordering = ["scale", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["scale", "rank"], name="goal_scale_step_rank"),
            models.CheckConstraint(
                condition=Q(rank__gte=1, rank__lte=10), name="goal_scale_step_rank_range"
            ),
        ]

    def __str__(self):
        return f"{self.symbol} {self.label}"


class GoalSettings(models.Model):
    """A nämnd's settings for goals beyond the levels: the uppdrag scale and the heading of
    the activities that belong to no goal."""

    committee = models.OneToOneField(
        Committee, on_delete=models.CASCADE, related_name="goal_settings", verbose_name="nämnd"
    )
    assignment_scale = models.ForeignKey(
        Scale,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="skala för uppdrag",
    )
    ongoing_heading = models.CharField(
        "rubrik för aktiviteter utan mål",
        max_length=200,
        default="Löpande verksamhet enligt reglemente",
    )

    class Meta:
        verbose_name = "inställning för mål"
        verbose_name_plural = "inställningar för mål"

    def __str__(self):
        return f"Mål och uppdrag: {self.committee}"


class Level(models.Model):
    """A level of the goal tree, top (order 1) first."""

    committee = models.ForeignKey(
        Committee, on_delete=models.CASCADE, related_name="goal_levels", verbose_name="nämnd"
    )
    code = models.CharField("kod", max_length=20, validators=[code_validator])
    order = models.PositiveSmallIntegerField("nivå", help_text="1 är den översta nivån.")
    name = models.CharField("benämning", max_length=100, help_text="Till exempel Nämndmål.")
    plural = models.CharField("benämning i plural", max_length=100, blank=True)
    decided_by = models.CharField(
        "beslutas av", max_length=100, blank=True, help_text="Till exempel Kommunfullmäktige."
    )
    takes_measures = models.BooleanField("har mått", default=False)
    takes_activities = models.BooleanField("har aktiviteter", default=False)
    takes_agenda2030 = models.BooleanField("kopplas till Agenda 2030", default=False)
    takes_assessments = models.BooleanField("bedöms per period", default=False)
    scale = models.ForeignKey(
        Scale,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="levels",
        verbose_name="bedömningsskala",
    )

    class Meta:
        verbose_name = "målnivå"
        verbose_name_plural = "målnivåer"
        ordering = ["committee", "order"]
        constraints = [
            models.UniqueConstraint(fields=["committee", "order"], name="goal_level_order"),
            models.UniqueConstraint(fields=["committee", "code"], name="goal_level_code"),
            models.CheckConstraint(
                condition=Q(takes_assessments=False) | Q(scale__isnull=False),
                name="goal_level_assessed_has_scale",
                violation_error_message="En nivå som bedöms behöver en bedömningsskala.",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def plural_name(self) -> str:
        return self.plural or self.name


class Agenda2030Goal(models.Model):
    """One of the 17 goals of Agenda 2030."""

    number = models.PositiveSmallIntegerField("nummer", unique=True)
    name = models.CharField("namn", max_length=200)

    class Meta:
        verbose_name = "Agenda 2030-mål"
        verbose_name_plural = "Agenda 2030-mål"
        ordering = ["number"]
        constraints = [
            models.CheckConstraint(
                condition=Q(number__gte=1, number__lte=17), name="agenda2030_number_range"
            )
        ]

    def __str__(self):
        return f"Mål {self.number} {self.name}"


class PlanState(models.TextChoices):
    DRAFT = "utkast", "Under arbete"
    ADOPTED = "faststalld", "Fastställd"


class PlanYear(models.Model):
    """The goal tree of one nämnd for one plan year (Verksamhetsplan och budget <year>).

    The tree is fastställd with the verksamhetsplan (decision date and §) and is then locked:
    goals, mått, aktiviteter and uppdrag cannot change (assessments and figures of the
    follow-up can). A change after adoption starts a new revision: the adopted texts are kept
    in a PlanRevision and the tree is a draft again until the revision is adopted."""

    committee = models.ForeignKey(
        Committee, on_delete=models.PROTECT, related_name="goal_plans", verbose_name="nämnd"
    )
    year = models.PositiveSmallIntegerField("år")
    copied_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="copies",
        verbose_name="kopierad från",
    )
    state = models.CharField(
        "status", max_length=12, choices=PlanState.choices, default=PlanState.DRAFT
    )
    revision = models.PositiveSmallIntegerField("revision", default=1)
    revision_reason = models.TextField("skäl till revisionen", blank=True)
    adopted_on = models.DateField("fastställd", null=True, blank=True)
    adopted_paragraph = models.CharField("beslutsparagraf", max_length=40, blank=True)
    adopted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField("skapad", auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "målår"
        verbose_name_plural = "målår"
        ordering = ["committee", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["committee", "year"], name="goal_plan_year"),
            models.CheckConstraint(
                condition=Q(year__gte=2000, year__lte=2100), name="goal_plan_year_range"
            ),
            models.CheckConstraint(
                condition=Q(state="utkast", adopted_on__isnull=True)
                | Q(state="faststalld", adopted_on__isnull=False),
                name="goal_plan_adopted_on_with_state",
            ),
        ]

    def __str__(self):
        return f"Mål och uppdrag {self.year}"

    @property
    def is_adopted(self) -> bool:
        return self.state == PlanState.ADOPTED

    @property
    def adoption_text(self) -> str:
        """ "Fastställd 2024-10-07, § 64" (or "" while under work)."""
        if not self.is_adopted:
            return ""
        paragraph = f", {self.adopted_paragraph}" if self.adopted_paragraph else ""
        suffix = f" (revision {self.revision})" if self.revision > 1 else ""
        return f"Fastställd {self.adopted_on.isoformat()}{paragraph}{suffix}"


class PlanRevision(models.Model):
    """An adopted revision of a year's goal tree as it was when a new revision was started:
    the texts of its goals, mått, aktiviteter and uppdrag (by key), so what the nämnd adopted
    stays readable after the tree has changed."""

    plan = models.ForeignKey(
        PlanYear, on_delete=models.CASCADE, related_name="revisions", verbose_name="målår"
    )
    revision = models.PositiveSmallIntegerField("revision")
    adopted_on = models.DateField("fastställd")
    adopted_paragraph = models.CharField("beslutsparagraf", max_length=40, blank=True)
    snapshot = models.JSONField("innehåll", default=dict)
    superseded_at = models.DateTimeField("ersatt", auto_now_add=True)
    superseded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reason = models.TextField("skäl till den nya revisionen")

    class Meta:
        verbose_name = "fastställd revision av målträd"
        verbose_name_plural = "fastställda revisioner av målträd"
        ordering = ["plan", "revision"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "revision"], name="goal_plan_revision"),
        ]

    def __str__(self):
        return f"{self.plan}, revision {self.revision}"


class Edited(models.Model):
    """Abstract: who created and last changed a row, and its version for optimistic locking."""

    version = models.PositiveIntegerField("version", default=1)
    created_at = models.DateTimeField("skapad", auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField("ändrad", auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        abstract = True


class Goal(Edited):
    plan = models.ForeignKey(
        PlanYear, on_delete=models.PROTECT, related_name="goals", verbose_name="målår"
    )
    level = models.ForeignKey(
        Level, on_delete=models.PROTECT, related_name="goals", verbose_name="nivå"
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name="hör till",
    )
    key = models.UUIDField("nyckel", default=uuid.uuid4, editable=False)
    title = models.TextField("måltext")
    description = models.TextField("beskrivning", blank=True)
    agenda2030 = models.ManyToManyField(
        Agenda2030Goal, blank=True, related_name="goals", verbose_name="Agenda 2030"
    )
    responsible_unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="goals",
        verbose_name="ansvarig enhet",
    )
    sort_order = models.PositiveIntegerField("sorteringsordning", default=0)

    class Meta:
        verbose_name = "mål"
        verbose_name_plural = "mål"
        ordering = ["plan", "level__order", "sort_order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "key"], name="goal_key_per_plan"),
            models.CheckConstraint(condition=~Q(parent=F("pk")), name="goal_not_own_parent"),
        ]

    def __str__(self):
        return self.title if len(self.title) <= 80 else self.title[:79] + "…"


class MeasureSource(models.TextChoices):
    MANUAL = "manual", "Anges för hand per period"
    SERIES = "series", "Beräknas ur ett verksamhetsmått"


class AggregationChoice(models.TextChoices):
    MEAN = "mean", "Medelvärde av månadsvärdena"
    SUM = "sum", "Summa av månadsvärdena"
    LAST = "last", "Senaste månadens värde"


class Direction(models.TextChoices):
    NONE = "", "Ingen riktning"
    HIGHER = "higher", "Högre är bättre"
    LOWER = "lower", "Lägre är bättre"


class Measure(Edited):
    """Mått (indicator) of a goal. Its figure for a period is entered by hand, or computed
    from a monthly series (by code, through solna_sn.figures) with an aggregation."""

    goal = models.ForeignKey(
        Goal, on_delete=models.PROTECT, related_name="measures", verbose_name="mål"
    )
    key = models.UUIDField("nyckel", default=uuid.uuid4, editable=False)
    title = models.CharField("mått", max_length=500)
    unit = models.CharField(
        "enhet", max_length=60, blank=True, help_text="Till exempel kr, antal hushåll."
    )
    decimals = models.PositiveSmallIntegerField("decimaler", default=0)
    target = models.DecimalField("målvärde", max_digits=16, decimal_places=4, null=True, blank=True)
    direction = models.CharField(
        "riktning", max_length=10, choices=Direction.choices, default=Direction.NONE, blank=True
    )
    source = models.CharField(
        "källa", max_length=10, choices=MeasureSource.choices, default=MeasureSource.MANUAL
    )
    series_code = models.CharField("verksamhetsmått (kod)", max_length=60, blank=True)
    aggregation = models.CharField(
        "sammanräkning", max_length=10, choices=AggregationChoice.choices, blank=True
    )
    sort_order = models.PositiveIntegerField("sorteringsordning", default=0)

    class Meta:
        verbose_name = "mått"
        verbose_name_plural = "mått"
        ordering = ["goal", "sort_order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["goal", "key"], name="measure_key_per_goal"),
            models.CheckConstraint(
                condition=Q(source="manual", series_code="", aggregation="")
                | Q(source="series") & ~Q(series_code="") & ~Q(aggregation=""),
                name="measure_source_complete",
                violation_error_message="Ett beräknat mått behöver verksamhetsmått och "
                "sammanräkning; ett mått som anges för hand har inga.",
            ),
            models.CheckConstraint(condition=Q(decimals__lte=4), name="measure_decimals_max_4"),
        ]

    def __str__(self):
        return self.title

    @property
    def is_computed(self) -> bool:
        return self.source == MeasureSource.SERIES


class Period(models.TextChoices):
    APRIL = PeriodKind.APRIL.value, "Budgetuppföljning per april"
    AUGUST = PeriodKind.AUGUST.value, "Delårsrapport per augusti"
    FULL_YEAR = PeriodKind.FULL_YEAR.value, "Årsredovisning (helår)"


class MeasureValue(models.Model):
    """A hand-entered figure of a mått for a period, with the same period last year when the
    earlier year has no plan to read it from. Empty value = not yet reported."""

    measure = models.ForeignKey(
        Measure, on_delete=models.PROTECT, related_name="values", verbose_name="mått"
    )
    period = models.CharField("period", max_length=10, choices=Period.choices)
    value = models.DecimalField("värde", max_digits=16, decimal_places=4, null=True, blank=True)
    comparison_value = models.DecimalField(
        "samma period föregående år", max_digits=16, decimal_places=4, null=True, blank=True
    )
    version = models.PositiveIntegerField("version", default=1)
    updated_at = models.DateTimeField("ändrad", auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "värde för mått"
        verbose_name_plural = "värden för mått"
        ordering = ["measure", "period"]
        constraints = [
            models.UniqueConstraint(fields=["measure", "period"], name="measure_value_period"),
        ]

    def __str__(self):
        return f"{self.measure} {self.get_period_display()}"


class ActivityStatus(models.TextChoices):
    NONE = "", "Ingen status"
    PLANNED = "planerad", "Planerad"
    ONGOING = "pagar", "Pågår"
    DONE = "avslutad", "Avslutad"


class Activity(Edited):
    """Aktivitet with beskrivning, under a goal or (goal empty) under the nämnd's *Löpande
    verksamhet enligt reglemente*. Start, end and status are optional (Solna prints none)."""

    plan = models.ForeignKey(
        PlanYear, on_delete=models.PROTECT, related_name="activities", verbose_name="målår"
    )
    goal = models.ForeignKey(
        Goal,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name="mål",
    )
    key = models.UUIDField("nyckel", default=uuid.uuid4, editable=False)
    title = models.CharField("aktivitet", max_length=500)
    description = models.TextField("beskrivning", blank=True)
    starts_on = models.DateField("start", null=True, blank=True)
    ends_on = models.DateField("slut", null=True, blank=True)
    status = models.CharField(
        "status", max_length=10, choices=ActivityStatus.choices, default="", blank=True
    )
    sort_order = models.PositiveIntegerField("sorteringsordning", default=0)

    class Meta:
        verbose_name = "aktivitet"
        verbose_name_plural = "aktiviteter"
        ordering = ["plan", "goal_id", "sort_order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "key"], name="activity_key_per_plan"),
            models.CheckConstraint(
                condition=Q(starts_on__isnull=True)
                | Q(ends_on__isnull=True)
                | Q(ends_on__gte=F("starts_on")),
                name="activity_ends_after_start",
                violation_error_message="Slutdatum kan inte ligga före startdatum.",
            ),
        ]

    def __str__(self):
        return self.title


class Assignment(Edited):
    """Uppdrag from kommunfullmäktige; the lead may be another nämnd (Kompetensnämnden) with
    Socialnämnden as a participating one."""

    plan = models.ForeignKey(
        PlanYear, on_delete=models.PROTECT, related_name="assignments", verbose_name="målår"
    )
    key = models.UUIDField("nyckel", default=uuid.uuid4, editable=False)
    text = models.TextField("uppdrag")
    decided_by = models.CharField("beslutat av", max_length=100, default="Kommunfullmäktige")
    lead_committee = models.ForeignKey(
        Committee, on_delete=models.PROTECT, related_name="+", verbose_name="ansvarig nämnd"
    )
    participating_committees = models.ManyToManyField(
        Committee, blank=True, related_name="+", verbose_name="deltagande nämnder"
    )
    sort_order = models.PositiveIntegerField("sorteringsordning", default=0)

    class Meta:
        verbose_name = "uppdrag"
        verbose_name_plural = "uppdrag"
        ordering = ["plan", "sort_order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "key"], name="assignment_key_per_plan"),
        ]

    def __str__(self):
        return self.text if len(self.text) <= 80 else self.text[:79] + "…"


class AssessmentState(models.TextChoices):
    DRAFT = "utkast", "Utkast"
    DONE = "klar", "Klar"


class GoalAssessment(Edited):
    """A goal's assessment for a report period of its plan year."""

    goal = models.ForeignKey(
        Goal, on_delete=models.PROTECT, related_name="assessments", verbose_name="mål"
    )
    period = models.CharField("period", max_length=10, choices=Period.choices)
    step = models.ForeignKey(
        ScaleStep,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="bedömning",
    )
    method = models.TextField("hur måluppfyllelsen mäts", blank=True)
    commentary = models.TextField("kommentar", blank=True)
    key_activities = models.TextField(
        "viktiga aktiviteter", blank=True, help_text="En aktivitet per rad."
    )
    writer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="goal_assessments",
        verbose_name="skribent",
    )
    state = models.CharField(
        "status", max_length=10, choices=AssessmentState.choices, default=AssessmentState.DRAFT
    )

    class Meta:
        verbose_name = "målbedömning"
        verbose_name_plural = "målbedömningar"
        ordering = ["goal", "period"]
        constraints = [
            models.UniqueConstraint(fields=["goal", "period"], name="goal_assessment_period"),
            models.CheckConstraint(
                condition=Q(state="utkast") | Q(step__isnull=False),
                name="goal_assessment_done_has_step",
                violation_error_message="En klar bedömning måste ha en nivå.",
            ),
        ]

    def __str__(self):
        return f"{self.goal} – {self.get_period_display()}"

    @property
    def activity_lines(self) -> list[str]:
        return [line.strip(" -•\t") for line in self.key_activities.splitlines() if line.strip()]


class AssignmentAssessment(Edited):
    """An uppdrag's status for a report period."""

    assignment = models.ForeignKey(
        Assignment, on_delete=models.PROTECT, related_name="assessments", verbose_name="uppdrag"
    )
    period = models.CharField("period", max_length=10, choices=Period.choices)
    step = models.ForeignKey(
        ScaleStep,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="status",
    )
    commentary = models.TextField("kommentar", blank=True)
    writer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assignment_assessments",
        verbose_name="skribent",
    )
    state = models.CharField(
        "status", max_length=10, choices=AssessmentState.choices, default=AssessmentState.DRAFT
    )

    class Meta:
        verbose_name = "bedömning av uppdrag"
        verbose_name_plural = "bedömningar av uppdrag"
        ordering = ["assignment", "period"]
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "period"], name="assignment_assessment_period"
            ),
            models.CheckConstraint(
                condition=Q(state="utkast") | Q(step__isnull=False),
                name="assignment_assessment_done_has_step",
                violation_error_message="En klar bedömning måste ha en status.",
            ),
        ]

    def __str__(self):
        return f"{self.assignment} – {self.get_period_display()}"
