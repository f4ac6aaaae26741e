"""Internkontroll: the yearly plan (processes, risks, kontrollmoment), the control occasions its
months generate, their results with figures and åtgärder, and the follow-up per period.

Scales are data: the risk scale (1–5 or 1–4) and the deviation levels are configured per nämnd.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from controls.rules import Figures, deviation_percent, month_list
from solna_sn.models import Committee, Unit


class ControlSettings(models.Model):
    """A nämnd's internal-control configuration."""

    committee = models.OneToOneField(
        Committee, on_delete=models.CASCADE, related_name="control_settings"
    )
    scale_max = models.PositiveSmallIntegerField(
        "skalans högsta värde",
        default=5,
        help_text="Sannolikhet och konsekvens bedöms från 1 till detta värde (4 eller 5). Nya "
        "planer får skalan; befintliga planer behåller sin.",
    )

    class Meta:
        verbose_name = "inställning för intern kontroll"
        verbose_name_plural = "inställningar för intern kontroll"
        constraints = [
            models.CheckConstraint(
                condition=Q(scale_max__gte=2, scale_max__lte=10), name="control_scale_range"
            )
        ]

    def __str__(self):
        return f"{self.committee}: skala 1–{self.scale_max}"


class DeviationLevel(models.Model):
    """One step of the result scale, lowest (no deviation) first. Symbol and label always
    print together; colour is only decoration."""

    committee = models.ForeignKey(
        Committee, on_delete=models.CASCADE, related_name="deviation_levels"
    )
    rank = models.PositiveSmallIntegerField("ordning", help_text="0 = ingen avvikelse.")
    label = models.CharField("benämning", max_length=100)
    symbol = models.CharField("symbol", max_length=4)
    colour = models.CharField("färg", max_length=7, default="#1a7f37")
    active = models.BooleanField("används", default=True)

    class Meta:
        verbose_name = "avvikelsenivå"
        verbose_name_plural = "avvikelsenivåer"
        ordering = ["committee", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["committee", "rank"], name="deviation_level_rank")
        ]

    def __str__(self):
        return f"{self.symbol} {self.label}"

    @property
    def is_deviation(self) -> bool:
        return self.rank > 0


class PlanState(models.TextChoices):
    DRAFT = "draft", "Utkast"
    ADOPTED = "adopted", "Fastställd"
    SUPERSEDED = "superseded", "Ersatt av ny revision"


class ControlPlan(models.Model):
    committee = models.ForeignKey(Committee, on_delete=models.PROTECT, related_name="control_plans")
    year = models.PositiveSmallIntegerField("år")
    revision = models.PositiveSmallIntegerField("revision", default=1)
    previous = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="next_revision",
        verbose_name="föregående revision",
    )
    revision_reason = models.TextField("skäl till revisionen", blank=True)
    state = models.CharField(
        "status", max_length=12, choices=PlanState.choices, default=PlanState.DRAFT
    )
    scale_max = models.PositiveSmallIntegerField("skalans högsta värde", default=5)
    adopted_on = models.DateField("fastställd", null=True, blank=True)
    adopted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decision_reference = models.CharField(
        "beslut",
        max_length=200,
        blank=True,
        help_text="Till exempel ”Socialnämnden 2024-10-07 § 64, verksamhetsplan och budget 2025”.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "internkontrollplan"
        verbose_name_plural = "internkontrollplaner"
        ordering = ["-year", "-revision"]
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "year", "revision"], name="control_plan_revision"
            ),
            models.UniqueConstraint(
                fields=["committee", "year"],
                condition=Q(state="adopted"),
                name="control_plan_one_adopted",
            ),
        ]

    def __str__(self):
        suffix = f", revision {self.revision}" if self.revision > 1 else ""
        return f"Internkontrollplan {self.year}{suffix}"

    @property
    def is_frozen(self) -> bool:
        return self.state != PlanState.DRAFT


class Process(models.Model):
    plan = models.ForeignKey(ControlPlan, on_delete=models.CASCADE, related_name="processes")
    name = models.CharField("process", max_length=200)
    sort_order = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "process"
        verbose_name_plural = "processer"
        ordering = ["sort_order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "name"], name="control_process_name")
        ]

    def __str__(self):
        return self.name


class RiskCategory(models.TextChoices):
    STYRNING = "styrning", "Styrning"
    MEDARBETARE = "medarbetare", "Medarbetare"
    EKONOMI = "ekonomi", "Ekonomi"
    VERKSAMHETSPROCESSER = "verksamhetsprocesser", "Verksamhetsprocesser"


class ControlMethod(models.TextChoices):
    TOTAL = "total", "Totalkontroll"
    SAMPLE = "sample", "Stickprov"
    DOCUMENT = "document", "Dokumentgranskning"
    OTHER = "other", "Annan metod"


class Risk(models.Model):
    """A risk and its kontrollmoment. `key` stays the same when a plan is copied to the next
    year or revision, so results and history can follow the risk."""

    plan = models.ForeignKey(ControlPlan, on_delete=models.CASCADE, related_name="risks")
    process = models.ForeignKey(Process, on_delete=models.PROTECT, related_name="risks")
    key = models.UUIDField("nyckel", editable=False)
    number = models.PositiveSmallIntegerField("nummer")
    title = models.TextField("risk")
    category = models.CharField(
        "kategori",
        max_length=24,
        choices=RiskCategory.choices,
        default=RiskCategory.VERKSAMHETSPROCESSER,
    )
    likelihood = models.PositiveSmallIntegerField("sannolikhet", null=True, blank=True)
    consequence = models.PositiveSmallIntegerField("konsekvens", null=True, blank=True)
    risk_index = models.PositiveSmallIntegerField("riskindex")
    control_activity = models.TextField("kontrollmoment")
    method = models.CharField(
        "metod", max_length=10, choices=ControlMethod.choices, default=ControlMethod.TOTAL
    )
    sample_size = models.PositiveIntegerField("stickprovets storlek", null=True, blank=True)
    how_when = models.TextField("hur ska kontrollen utföras och när")
    control_months = models.JSONField("kontrollmånader", default=list)
    responsible_unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="control_risks",
        verbose_name="ansvarig enhet",
    )
    responsible_role = models.CharField("ansvarig funktion", max_length=100, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = "risk"
        verbose_name_plural = "risker"
        ordering = ["plan", "process__sort_order", "process_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="control_risk_number"),
            models.UniqueConstraint(fields=["plan", "key"], name="control_risk_key"),
            models.CheckConstraint(condition=Q(risk_index__gte=1), name="control_risk_index"),
            models.CheckConstraint(
                condition=Q(likelihood__isnull=True, consequence__isnull=True)
                | Q(
                    likelihood__isnull=False,
                    consequence__isnull=False,
                    risk_index=models.F("likelihood") * models.F("consequence"),
                ),
                name="control_risk_factors",
            ),
        ]

    def __str__(self):
        return f"Risk {self.number}: {self.title[:80]}"

    @property
    def month_names(self) -> str:

        return month_list(self.control_months)


class Occasion(models.Model):
    """One control to perform: a risk's kontrollmoment in one month of the plan's year."""

    risk = models.ForeignKey(Risk, on_delete=models.CASCADE, related_name="occasions")
    month = models.PositiveSmallIntegerField("månad")

    class Meta:
        verbose_name = "kontrolltillfälle"
        verbose_name_plural = "kontrolltillfällen"
        ordering = ["month", "risk__number"]
        constraints = [
            models.UniqueConstraint(fields=["risk", "month"], name="control_occasion_month"),
            models.CheckConstraint(
                condition=Q(month__gte=1, month__lte=12), name="control_occasion_month_range"
            ),
        ]

    def __str__(self):
        return f"{self.risk} – månad {self.month}"


class ResultState(models.TextChoices):
    DRAFT = "draft", "Utkast"
    REVIEW = "review", "För granskning"
    APPROVED = "approved", "Godkänd"


class Result(models.Model):
    occasion = models.OneToOneField(Occasion, on_delete=models.CASCADE, related_name="result")
    level = models.ForeignKey(
        DeviationLevel, on_delete=models.PROTECT, related_name="+", verbose_name="avvikelsenivå"
    )
    finding = models.TextField("iakttagelse", blank=True)
    explanation = models.TextField(
        "förklaring",
        blank=True,
        help_text="Varför ingen åtgärd behövs trots avvikelsen.",
    )
    state = models.CharField(
        "status", max_length=10, choices=ResultState.choices, default=ResultState.DRAFT
    )
    return_comment = models.TextField("kommentar vid återlämning", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = "kontrollresultat"
        verbose_name_plural = "kontrollresultat"

    def __str__(self):
        return f"Resultat för {self.occasion}"


class ResultFigure(models.Model):
    """Structured figures of a result, per group (Barn, Ungdom …). The percentage is computed
    from them, never typed."""

    result = models.ForeignKey(Result, on_delete=models.CASCADE, related_name="figures")
    group = models.CharField("grupp", max_length=100, blank=True)
    population = models.PositiveIntegerField("antal")
    checked = models.PositiveIntegerField("antal kontrollerade", null=True, blank=True)
    deviations = models.PositiveIntegerField("antal avvikelser")
    note = models.CharField("övrigt", max_length=300, blank=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = "resultatsiffra"
        verbose_name_plural = "resultatsiffror"
        ordering = ["sort_order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(checked__isnull=True) | Q(checked__lte=models.F("population")),
                name="control_figure_checked",
            ),
            models.CheckConstraint(
                condition=(
                    Q(checked__isnull=True, deviations__lte=models.F("population"))
                    | Q(checked__isnull=False, deviations__lte=models.F("checked"))
                ),
                name="control_figure_deviations",
            ),
        ]

    def __str__(self):
        return f"{self.group or 'Totalt'}: {self.deviations} av {self.population}"

    @property
    def percent(self):
        """Deviations as an unrounded percentage of the checked cases (or the population);
        None when there were no cases."""

        return deviation_percent(Figures(self.population, self.checked, self.deviations))


class Action(models.Model):
    """An åtgärd after a deviation."""

    result = models.ForeignKey(Result, on_delete=models.CASCADE, related_name="actions")
    description = models.TextField("åtgärd")
    responsible = models.CharField("ansvarig", max_length=200)
    due = models.DateField("klar senast", null=True, blank=True)
    done_on = models.DateField("genomförd", null=True, blank=True)

    class Meta:
        verbose_name = "åtgärd"
        verbose_name_plural = "åtgärder"
        ordering = ["pk"]

    def __str__(self):
        return self.description[:80]


class FollowUpPeriod(models.TextChoices):
    APRIL = "april", "Budgetuppföljning per april"
    AUGUST = "august", "Delårsrapport per augusti"
    YEAR = "year", "Årsredovisning (helår)"


PERIOD_LAST_MONTH = {FollowUpPeriod.APRIL: 4, FollowUpPeriod.AUGUST: 8, FollowUpPeriod.YEAR: 12}


class ControlFollowUp(models.Model):
    """The samlad bedömning for a period; the table itself is computed from the results."""

    plan = models.ForeignKey(ControlPlan, on_delete=models.CASCADE, related_name="follow_ups")
    period = models.CharField("period", max_length=8, choices=FollowUpPeriod.choices)
    assessment = models.TextField("samlad bedömning", blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "uppföljning av internkontrollplan"
        verbose_name_plural = "uppföljningar av internkontrollplan"
        constraints = [
            models.UniqueConstraint(fields=["plan", "period"], name="control_follow_up_period")
        ]

    def __str__(self):
        return f"{self.plan}: {self.get_period_display()}"


class PlanImport(models.Model):
    """An uploaded Excel sheet waiting for the preview to be confirmed."""

    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    uploaded_at = models.DateTimeField(auto_now_add=True)
    filename = models.CharField(max_length=255)
    year = models.PositiveSmallIntegerField("år")
    content = models.BinaryField()

    class Meta:
        verbose_name = "import av internkontrollplan"
        verbose_name_plural = "importer av internkontrollplaner"

    def __str__(self):
        return f"{self.filename} ({self.year})"
