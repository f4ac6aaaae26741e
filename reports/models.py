"""Plan and follow-up reports: report kinds with their outline (data, per nämnd), reports made
from a kind, their sections (written together or generated from the modules), every saved
version of a written text, who has a section open, and corrections after sending.

A report is assembled from live data while it is a draft; when it is sent to the nämnd every
section's printed HTML and the figures it shows are frozen on the section (`frozen_body`,
`frozen_figures`) and the report prints from them from then on (DESIGN.md §4.10).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from casework.models import Case, Meeting, Memo
from controls.models import Risk
from goals.models import Goal
from solna_sn.models import Committee, Unit


class Period(models.TextChoices):
    APRIL = "april", "Per april"
    AUGUST = "augusti", "Per augusti"
    FULL_YEAR = "helar", "Helår"


class SectionMode(models.TextChoices):
    WRITTEN = "written", "Skrivs"
    GENERATED = "generated", "Skapas från data"
    # A heading over the sections below it (Förvaltningsberättelse), without text of its own.
    HEADING = "heading", "Bara rubrik"


class ReportState(models.TextChoices):
    DRAFT = "utkast", "Utkast"
    REVIEW = "granskning", "För granskning"
    APPROVED = "godkand", "Godkänd"
    SENT = "skickad", "Skickad till nämnd"
    HANDLED = "behandlad", "Behandlad"


class SectionStatus(models.TextChoices):
    DRAFT = "utkast", "Utkast"
    DONE = "klar", "Klar"


class ReportKind(models.Model):
    """A kind of report of one nämnd (Delårsrapport per augusti …) with its outline."""

    committee = models.ForeignKey(
        Committee, on_delete=models.PROTECT, related_name="report_kinds", verbose_name="nämnd"
    )
    code = models.SlugField("kod", max_length=40)
    name = models.CharField("namn", max_length=200)
    period = models.CharField("period", max_length=10, choices=Period.choices)
    plan = models.BooleanField(
        "plan", default=False, help_text="Verksamhetsplanen skriver nästa års plan."
    )

    class Meta:
        verbose_name = "rapporttyp"
        verbose_name_plural = "rapporttyper"
        ordering = ["committee", "name"]
        constraints = [
            models.UniqueConstraint(fields=["committee", "code"], name="reportkind_code"),
        ]

    def __str__(self):
        return self.name


class OutlineSection(models.Model):
    """One section of a kind's outline. `title` is canonical: the heading in the body and the
    entry in the table of contents are both printed from it (DESIGN.md §4.9). A generated
    section without a title continues the section above it (the Resultaträkning under the
    written Driftredovisning)."""

    kind = models.ForeignKey(ReportKind, on_delete=models.CASCADE, related_name="outline")
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
        verbose_name="överordnat avsnitt",
    )
    order = models.PositiveIntegerField("ordning")
    title = models.CharField("rubrik", max_length=200, blank=True)
    level = models.PositiveSmallIntegerField("nivå", default=1)
    mode = models.CharField("typ", max_length=10, choices=SectionMode.choices)
    generator = models.CharField("generator", max_length=60, blank=True)
    anvisning = models.TextField("anvisning till skribenten", blank=True)
    default_text = models.TextField("standardtext", blank=True)
    in_toc = models.BooleanField("i innehållsförteckningen", default=True)

    class Meta:
        verbose_name = "avsnitt i dispositionen"
        verbose_name_plural = "disposition"
        ordering = ["kind", "order"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "order"], name="outline_order"),
            models.CheckConstraint(
                condition=Q(level__gte=1, level__lte=3), name="outline_level_range"
            ),
            models.CheckConstraint(
                condition=~Q(mode="generated") | ~Q(generator=""),
                name="outline_generated_has_generator",
                violation_error_message="Ett avsnitt som skapas från data behöver en generator.",
            ),
            models.CheckConstraint(
                condition=Q(mode="generated") | ~Q(title=""),
                name="outline_titled",
                violation_error_message="Avsnittet behöver en rubrik.",
            ),
        ]

    def __str__(self):
        return self.title or f"({self.generator})"


class Report(models.Model):
    """A report of one kind for one year: the ärende (dnr) it is registered under and the
    meeting of the nämnd that treats it."""

    kind = models.ForeignKey(
        ReportKind, on_delete=models.PROTECT, related_name="reports", verbose_name="rapporttyp"
    )
    committee = models.ForeignKey(
        Committee, on_delete=models.PROTECT, related_name="reports", verbose_name="nämnd"
    )
    year = models.PositiveSmallIntegerField("år")
    period = models.CharField("period", max_length=10, choices=Period.choices)
    title = models.CharField("titel", max_length=200)
    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, related_name="reports", verbose_name="ärende"
    )
    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reports",
        verbose_name="sammanträde",
    )
    memo = models.ForeignKey(
        Memo,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="tjänsteskrivelse",
    )
    state = models.CharField(
        "status", max_length=12, choices=ReportState.choices, default=ReportState.DRAFT
    )
    review_comment = models.TextField("kommentar från granskningen", blank=True)
    carried_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="texter från",
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField("godkänd", null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    sent_at = models.DateTimeField("skickad till nämnd", null=True, blank=True)
    # The warnings of the consistency check the förvaltningschef confirmed when sending.
    sent_warnings = models.JSONField("bekräftade varningar", default=list, blank=True)
    # Every figure the generators offered when the report was sent: key → [label, text].
    frozen_figures = models.JSONField("frysta siffror", default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "rapport"
        verbose_name_plural = "rapporter"
        ordering = ["-year", "kind__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "year"],
                name="report_kind_year",
                violation_error_message="Rapporten finns redan för året.",
            ),
            models.CheckConstraint(
                condition=Q(sent_at__isnull=True, sent_by__isnull=True)
                | Q(sent_at__isnull=False, sent_by__isnull=False),
                name="report_sent_pair",
            ),
            models.CheckConstraint(
                condition=Q(approved_at__isnull=True, approved_by__isnull=True)
                | Q(approved_at__isnull=False, approved_by__isnull=False),
                name="report_approved_pair",
            ),
            models.CheckConstraint(
                condition=Q(sent_at__isnull=True) | Q(state__in=["skickad", "behandlad"]),
                name="report_sent_only_when_sent",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("reports:report_detail", args=[self.pk])

    @property
    def is_frozen(self) -> bool:
        return self.sent_at is not None

    @property
    def is_editable(self) -> bool:
        return self.state == ReportState.DRAFT


class ReportSection(models.Model):
    """One section of a report, copied from the outline when the report was made (a later
    change of the outline does not rewrite a report under way)."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="sections")
    outline = models.ForeignKey(
        OutlineSection, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    order = models.PositiveIntegerField("ordning")
    title = models.CharField("rubrik", max_length=200, blank=True)
    level = models.PositiveSmallIntegerField("nivå", default=1)
    mode = models.CharField("typ", max_length=10, choices=SectionMode.choices)
    generator = models.CharField("generator", max_length=60, blank=True)
    anvisning = models.TextField("anvisning", blank=True)
    in_toc = models.BooleanField("i innehållsförteckningen", default=True)
    body = models.TextField("text", blank=True)
    carried_over = models.BooleanField("texten är hämtad från förra rapporten", default=False)
    status = models.CharField(
        "status", max_length=10, choices=SectionStatus.choices, default=SectionStatus.DRAFT
    )
    writer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="report_sections",
        verbose_name="skribent",
    )
    unit = models.ForeignKey(
        Unit,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="report_sections",
        verbose_name="enhet",
    )
    version = models.PositiveIntegerField(default=1)
    last_writer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="senast ändrad av",
    )
    updated_at = models.DateTimeField(null=True, blank=True)
    # Set when the report is sent: the printed HTML (figures substituted) and its figures.
    frozen_body = models.TextField(blank=True)
    frozen_figures = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = "rapportavsnitt"
        verbose_name_plural = "rapportavsnitt"
        ordering = ["report", "order"]
        constraints = [
            models.UniqueConstraint(fields=["report", "order"], name="reportsection_order"),
        ]

    def __str__(self):
        return self.title or f"({self.generator})"

    def get_absolute_url(self):
        return reverse("reports:section_edit", args=[self.pk])

    @property
    def is_written(self) -> bool:
        return self.mode == SectionMode.WRITTEN

    @property
    def is_done(self) -> bool:
        return self.status == SectionStatus.DONE


class SectionVersion(models.Model):
    """Every saved text of a written section, with who saved it."""

    section = models.ForeignKey(ReportSection, on_delete=models.CASCADE, related_name="versions")
    version = models.PositiveIntegerField()
    body = models.TextField(blank=True)
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    saved_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "sparad version"
        verbose_name_plural = "sparade versioner"
        ordering = ["section", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["section", "version"], name="sectionversion_unique"),
        ]

    def __str__(self):
        return f"{self.section} v{self.version}"


class SectionPresence(models.Model):
    """Who has a section open in the editor: `since` when they opened it, `seen_at` their last
    heartbeat. Shown to the others for a few minutes after the last heartbeat."""

    section = models.ForeignKey(ReportSection, on_delete=models.CASCADE, related_name="presence")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    since = models.DateTimeField()
    seen_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["section", "user"], name="sectionpresence_unique"),
        ]

    def __str__(self):
        return f"{self.user} i {self.section}"


class ReportCorrection(models.Model):
    """A correction made after the report was sent: the sent PDF stays as it was, the
    correction is shown on the report page (and listed in the next report of the year)."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="corrections")
    section = models.ForeignKey(
        ReportSection, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    text = models.TextField("rättelse")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "rättelse"
        verbose_name_plural = "rättelser"
        ordering = ["report", "created_at"]

    def __str__(self):
        return self.text[:80]


class ReportVersion(models.Model):
    """The report as it stood at a step of its workflow (sent for review, approved, sent to
    the nämnd): every section's printed HTML and the figures it showed. The redline view
    compares any two of them, or one with the report as it is now."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField("version")
    state = models.CharField("steg", max_length=12, choices=ReportState.choices)
    # [{"order", "title", "level", "mode", "html"}, …] in outline order.
    sections = models.JSONField(default=list)
    # Every figure the report offered: key → [label, text].
    figures = models.JSONField(default=dict)
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    taken_at = models.DateTimeField()

    class Meta:
        verbose_name = "rapportversion"
        verbose_name_plural = "rapportversioner"
        ordering = ["report", "number"]
        constraints = [
            models.UniqueConstraint(fields=["report", "number"], name="reportversion_unique"),
        ]

    def __str__(self):
        return f"Version {self.number}: {self.get_state_display()}"


class RiskGoalLink(models.Model):
    """An internkontroll risk and the nämndmål it threatens (the verksamhetsplan prints it).
    controls and goals know nothing of each other, so the link is the plan's, kept here; the
    risk and the goal belong to the same plan year (reports.risk_links checks it)."""

    risk = models.ForeignKey(Risk, on_delete=models.CASCADE, related_name="+", verbose_name="risk")
    goal = models.ForeignKey(
        Goal, on_delete=models.CASCADE, related_name="+", verbose_name="nämndmål"
    )
    created_at = models.DateTimeField("skapad", auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "koppling mellan risk och nämndmål"
        verbose_name_plural = "kopplingar mellan risker och nämndmål"
        ordering = ["risk", "goal"]
        constraints = [
            models.UniqueConstraint(fields=["risk", "goal"], name="riskgoallink_unique"),
        ]

    def __str__(self):
        return f"Risk {self.risk.number} → {self.goal}"
