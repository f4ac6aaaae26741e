"""Avtal, leverantörer, upphandlingar, the yearly follow-up plan and the follow-ups themselves.

Rules live in contracts.rules (pure) and contracts.services (every write); the models keep data,
scales and database invariants.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q

from contracts import rules
from solna_sn.models import Committee, Unit


class AcquisitionForm(models.TextChoices):
    OWN = "egen", "Egen upphandling"
    FRAMEWORK = "ramavtal", "Ramavtal via inköpscentral"
    LOV = "lov", "LOV/kundval"
    DPS = "dis", "Dynamiskt inköpssystem"
    ENTREPRENAD = "entreprenad", "Entreprenad"
    MUNICIPAL = "overenskommelse", "Överenskommelse med andra kommuner"


class Supplier(models.Model):
    """Leverantör. The organisationsnummer is optional (not always known) but, when given,
    valid (Luhn) and unique."""

    name = models.CharField("namn", max_length=200)
    org_number = models.CharField(
        "organisationsnummer", max_length=11, blank=True, help_text="Till exempel 556036-0793."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "leverantör"
        verbose_name_plural = "leverantörer"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["org_number"],
                condition=~Q(org_number=""),
                name="supplier_org_number_unique",
                violation_error_message="Det finns redan en leverantör med det "
                "organisationsnumret.",
            ),
            models.CheckConstraint(
                condition=Q(org_number="") | Q(org_number__regex=r"^\d{6}-\d{4}$"),
                name="supplier_org_number_format",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.org_number})" if self.org_number else self.name


class FollowUpTemplate(models.Model):
    """A reusable outline for ordinarie follow-ups of one contract type: numbered areas, each
    with numbered items."""

    name = models.CharField("namn", max_length=200, unique=True)
    description = models.TextField("beskrivning", blank=True)

    class Meta:
        verbose_name = "mall för ordinarie uppföljning"
        verbose_name_plural = "mallar för ordinarie uppföljning"
        ordering = ["name"]

    def __str__(self):
        return self.name


class TemplateArea(models.Model):
    template = models.ForeignKey(
        FollowUpTemplate, on_delete=models.CASCADE, related_name="areas", verbose_name="mall"
    )
    number = models.PositiveSmallIntegerField("nummer")
    title = models.CharField("rubrik", max_length=200)

    class Meta:
        verbose_name = "område"
        verbose_name_plural = "områden"
        ordering = ["template", "number"]
        constraints = [
            models.UniqueConstraint(fields=["template", "number"], name="templatearea_unique")
        ]

    def __str__(self):
        return f"{self.number}. {self.title}"


class TemplateItem(models.Model):
    area = models.ForeignKey(
        TemplateArea, on_delete=models.CASCADE, related_name="items", verbose_name="område"
    )
    number = models.PositiveSmallIntegerField("nummer")
    text = models.CharField("punkt", max_length=500)

    class Meta:
        verbose_name = "punkt"
        verbose_name_plural = "punkter"
        ordering = ["area", "number"]
        constraints = [
            models.UniqueConstraint(fields=["area", "number"], name="templateitem_unique")
        ]

    def __str__(self):
        return f"{self.area.number}.{self.number} {self.text}"


class Contract(models.Model):
    """Avtal. `end_date` is the end of the original term (empty: tillsvidare); used extensions
    are ContractExtension rows and move the current end."""

    name = models.CharField("avtal", max_length=300)
    area = models.CharField("avtalsområde", max_length=200)
    suppliers = models.ManyToManyField(
        Supplier, blank=True, related_name="contracts", verbose_name="leverantörer"
    )
    dnr = models.CharField("diarienummer", max_length=30, blank=True)
    acquisition = models.CharField("avtalsform", max_length=20, choices=AcquisitionForm.choices)
    purchasing_party = models.CharField(
        "inköpscentral eller huvudman",
        max_length=200,
        blank=True,
        help_text="Till exempel Adda inköpscentral, eller huvudmannen för en överenskommelse.",
    )
    start_date = models.DateField("startdatum")
    end_date = models.DateField(
        "slutdatum", null=True, blank=True, help_text="Lämna tomt om avtalet gäller tillsvidare."
    )
    term_pattern = models.CharField(
        "förlängningsmodell",
        max_length=30,
        blank=True,
        help_text="Grundperiod och förlängningar i år, till exempel 2+1+1.",
    )
    annual_value = models.DecimalField(
        "värde per år (kr)", max_digits=14, decimal_places=2, null=True, blank=True
    )
    price_model = models.TextField("prismodell", blank=True)
    documents = models.TextField(
        "avtalsdokument",
        blank=True,
        help_text="Ett dokument per rad, med diarienummer om det finns.",
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="contracts", verbose_name="ansvarig enhet"
    )
    template = models.ForeignKey(
        FollowUpTemplate,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contracts",
        verbose_name="mall för ordinarie uppföljning",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )

    class Meta:
        verbose_name = "avtal"
        verbose_name_plural = "avtal"
        ordering = ["area", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="contract_end_after_start",
                violation_error_message="Slutdatum kan inte ligga före startdatum.",
            ),
            models.CheckConstraint(
                condition=Q(annual_value__isnull=True) | Q(annual_value__gte=0),
                name="contract_value_not_negative",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.dnr})" if self.dnr else self.name

    # Derived dates; they read prefetched `extensions`.
    @property
    def used_periods(self) -> list[rules.Period]:
        return [rules.Period(e.start_date, e.end_date) for e in self.extensions.all()]

    @property
    def pattern(self) -> rules.TermPattern | None:
        try:
            return rules.parse_term_pattern(self.term_pattern)
        except rules.RuleError:
            return None

    @property
    def current_end(self) -> datetime.date | None:
        return rules.current_end(self.end_date, self.used_periods)

    @property
    def latest_possible_end(self) -> datetime.date | None:
        return rules.latest_possible_end(self.end_date, self.pattern, self.used_periods)

    @property
    def options_left(self) -> int:
        pattern = self.pattern
        return len(pattern.options) - len(self.used_periods) if pattern else 0

    def in_force_during(self, year: int) -> bool:
        return rules.in_force_during(self.start_date, self.current_end, year)


class ContractExtension(models.Model):
    """A used extension option (förlängning) with the period it adds."""

    contract = models.ForeignKey(
        Contract, on_delete=models.CASCADE, related_name="extensions", verbose_name="avtal"
    )
    number = models.PositiveSmallIntegerField("förlängning nr")
    start_date = models.DateField("från")
    end_date = models.DateField("till och med")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )

    class Meta:
        verbose_name = "utnyttjad förlängning"
        verbose_name_plural = "utnyttjade förlängningar"
        ordering = ["contract", "number"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "number"], name="extension_unique"),
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")), name="extension_end_after_start"
            ),
        ]

    def __str__(self):
        return f"Förlängning {self.number}: {self.start_date:%Y-%m-%d}–{self.end_date:%Y-%m-%d}"


class ProcurementStatus(models.TextChoices):
    PLANNED = "planerad", "Planerad"
    ONGOING = "pagar", "Pågår"
    DONE = "genomford", "Genomförd"


class Procurement(models.Model):
    """Upphandling, planned, ongoing or done. `plan_year` puts it in that year's
    konkurrensplan (VP: Avtal som ska upphandlas); `follow_up` is the text in the reports'
    table Uppföljning av genomförda upphandlingar."""

    designation = models.CharField("avtalsbeteckning", max_length=300)
    area = models.CharField("verksamhetsområde", max_length=200, blank=True)
    dnr = models.CharField("diarienummer", max_length=30, blank=True)
    status = models.CharField(
        "status",
        max_length=20,
        choices=ProcurementStatus.choices,
        default=ProcurementStatus.PLANNED,
    )
    partners = models.TextField("samverkande kommuner", blank=True, help_text="En kommun per rad.")
    coordinator = models.CharField(
        "samordnande kommun", max_length=200, blank=True, help_text="Till exempel Solna."
    )
    planned_start = models.DateField("planerad start", null=True, blank=True)
    contract_start = models.DateField("planerad avtalsstart", null=True, blank=True)
    completed_on = models.DateField("genomförd", null=True, blank=True)
    plan_year = models.PositiveIntegerField(
        "ingår i konkurrensplanen för år",
        null=True,
        blank=True,
        help_text="Visas i verksamhetsplanens tabell Avtal som ska upphandlas för det året.",
    )
    follow_up = models.TextField(
        "uppföljning",
        blank=True,
        help_text="Texten i rapporternas tabell Uppföljning av genomförda upphandlingar.",
    )
    replaces = models.ManyToManyField(
        Contract,
        blank=True,
        related_name="replacing_procurements",
        verbose_name="ersätter avtal",
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="procurements", verbose_name="ansvarig enhet"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "upphandling"
        verbose_name_plural = "upphandlingar"
        ordering = ["planned_start", "designation"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status=ProcurementStatus.DONE) | Q(completed_on__isnull=True),
                name="procurement_completed_only_when_done",
            )
        ]

    def __str__(self):
        return f"{self.designation} ({self.dnr})" if self.dnr else self.designation

    @property
    def partner_list(self) -> list[str]:
        return [line.strip() for line in self.partners.splitlines() if line.strip()]


# --- Yearly plan and follow-ups ----------------------------------------------------------------


class FollowUpKind(models.TextChoices):
    ORDINARY = rules.ORDINARY, "Ordinarie"
    SIMPLIFIED = rules.SIMPLIFIED, "Förenklad"


class FollowUpPlan(models.Model):
    """Tidsplan för avtalsuppföljning for one year, approved by förvaltningsledningen."""

    committee = models.ForeignKey(
        Committee, on_delete=models.PROTECT, related_name="+", verbose_name="nämnd"
    )
    year = models.PositiveIntegerField("år")
    approved_at = models.DateTimeField("godkänd", null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="godkänd av",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "tidsplan för avtalsuppföljning"
        verbose_name_plural = "tidsplaner för avtalsuppföljning"
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["committee", "year"], name="followupplan_unique"),
            models.CheckConstraint(
                condition=Q(approved_at__isnull=True, approved_by__isnull=True)
                | Q(approved_at__isnull=False, approved_by__isnull=False),
                name="followupplan_approval_complete",
            ),
        ]

    def __str__(self):
        return f"Tidsplan för avtalsuppföljning {self.year}"

    @property
    def is_approved(self) -> bool:
        return self.approved_at is not None


class FollowUpStatus(models.TextChoices):
    PLANNED = "planerad", "Planerad"
    IN_PROGRESS = "pagar", "Pågår"
    APPROVED = "godkand", "Godkänd"


class Outcome(models.TextChoices):
    FULFILLED = "foljs", "Avtalet följs"
    DEVIATIONS = "avvikelser", "Avtalet följs med avvikelser"
    NOT_FULFILLED = "foljs_ej", "Avtalet följs inte"


class ContractFollowUp(models.Model):
    """One contract's follow-up in one year: first a row of the plan (kind, meeting), then the
    follow-up itself. Approved follow-ups are locked."""

    plan = models.ForeignKey(
        FollowUpPlan, on_delete=models.PROTECT, related_name="followups", verbose_name="tidsplan"
    )
    contract = models.ForeignKey(
        Contract, on_delete=models.PROTECT, related_name="followups", verbose_name="avtal"
    )
    kind = models.CharField("typ", max_length=20, choices=FollowUpKind.choices)
    proposed_kind = models.CharField(
        "föreslagen typ", max_length=20, choices=FollowUpKind.choices, blank=True
    )
    meeting = models.ForeignKey(
        "casework.Meeting",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="redovisas på sammanträde",
    )
    planned_date = models.DateField("planerat datum", null=True, blank=True)
    status = models.CharField(
        "status", max_length=20, choices=FollowUpStatus.choices, default=FollowUpStatus.PLANNED
    )
    method_documents = models.TextField("granskade dokument", blank=True)
    method_visits = models.TextField("besök", blank=True)
    method_interviews = models.TextField("intervjuer (med vem)", blank=True)
    verdict = models.TextField("samlad bedömning", blank=True)
    outcome = models.CharField("resultat", max_length=20, choices=Outcome.choices, blank=True)
    completed_on = models.DateField("genomförd", null=True, blank=True)
    template_name = models.CharField("mall", max_length=200, blank=True)
    approved_at = models.DateTimeField("godkänd", null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="godkänd av",
    )
    memo = models.ForeignKey(
        "casework.Memo",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="tjänsteskrivelse",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )

    class Meta:
        verbose_name = "avtalsuppföljning"
        verbose_name_plural = "avtalsuppföljningar"
        ordering = ["plan", "contract__area", "contract__name"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "contract"], name="followup_unique"),
            models.CheckConstraint(
                condition=Q(approved_at__isnull=True, approved_by__isnull=True)
                | Q(approved_at__isnull=False, approved_by__isnull=False),
                name="followup_approval_complete",
            ),
            models.CheckConstraint(
                condition=~Q(status="godkand") | Q(approved_at__isnull=False),
                name="followup_approved_has_approval",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} uppföljning {self.plan.year}: {self.contract.name}"

    @property
    def is_locked(self) -> bool:
        return self.status == FollowUpStatus.APPROVED

    @property
    def due_date(self) -> datetime.date | None:
        """When it must be reported: the meeting's date, else the planned date."""
        if self.meeting_id:
            return self.meeting.date
        return self.planned_date

    def is_overdue(self, today: datetime.date) -> bool:
        due = self.due_date
        return (
            self.status != FollowUpStatus.APPROVED
            and self.completed_on is None
            and due is not None
            and due < today
        )


class Rating(models.TextChoices):
    """Ordinarie follow-up, per item. Ordered best first."""

    VERY_GOOD = "mycket_val", "Mycket väl fungerande"
    GOOD = "fungerande", "Fungerande"
    DEFICIENT = "bristfallig", "Bristfällig"


RATING_SYMBOLS = {Rating.VERY_GOOD: "++", Rating.GOOD: "+", Rating.DEFICIENT: "!"}


class FollowUpItem(models.Model):
    """A numbered item of an ordinarie follow-up ("4.2 …"), copied from the template when the
    follow-up starts so later template changes leave it alone."""

    followup = models.ForeignKey(ContractFollowUp, on_delete=models.CASCADE, related_name="items")
    area_number = models.PositiveSmallIntegerField("områdesnummer")
    area_title = models.CharField("område", max_length=200)
    number = models.PositiveSmallIntegerField("nummer")
    text = models.CharField("punkt", max_length=500)
    rating = models.CharField("bedömning", max_length=20, choices=Rating.choices, blank=True)
    comment = models.TextField("kommentar", blank=True)

    class Meta:
        verbose_name = "bedömningspunkt"
        verbose_name_plural = "bedömningspunkter"
        ordering = ["followup", "area_number", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["followup", "area_number", "number"], name="followupitem_unique"
            ),
            models.CheckConstraint(
                condition=Q(rating="") | Q(rating__in=Rating.values), name="followupitem_rating"
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.text}"

    @property
    def code(self) -> str:
        return f"{self.area_number}.{self.number}"


class Frequency(models.TextChoices):
    WEEKLY = "vecka", "Varje vecka"
    MONTHLY = "manad", "Varje månad"
    QUARTERLY = "kvartal", "Varje kvartal"
    HALF_YEARLY = "halvar", "Varje halvår"
    YEARLY = "ar", "Varje år"


FREQUENCY_ORDER = {value: index for index, value in enumerate(Frequency.values)}


class ActivityStatus(models.TextChoices):
    ONGOING = "pagar", "Pågår"
    DEVIATION = "avvikelse", "Pågår med avvikelse"
    NOT_ONGOING = "pagar_ej", "Pågår ej"


class ChecklistActivity(models.Model):
    """An activity the supplier must carry out at a frequency, with its status; where a unit
    or home differs from the common status it has a ChecklistPlaceStatus."""

    followup = models.ForeignKey(
        ContractFollowUp, on_delete=models.CASCADE, related_name="activities"
    )
    frequency = models.CharField("hur ofta", max_length=10, choices=Frequency.choices)
    text = models.CharField("aktivitet", max_length=300)
    status = models.CharField("status", max_length=20, choices=ActivityStatus.choices)

    class Meta:
        verbose_name = "aktivitet i leverantörens checklista"
        verbose_name_plural = "leverantörens checklista"
        ordering = ["followup", "pk"]

    def __str__(self):
        return self.text


class ChecklistPlaceStatus(models.Model):
    activity = models.ForeignKey(ChecklistActivity, on_delete=models.CASCADE, related_name="places")
    place = models.CharField("enhet eller boende", max_length=200)
    status = models.CharField("status", max_length=20, choices=ActivityStatus.choices)

    class Meta:
        verbose_name = "avvikande status för enhet"
        verbose_name_plural = "avvikande status för enheter"
        ordering = ["activity", "place"]
        constraints = [
            models.UniqueConstraint(fields=["activity", "place"], name="checklistplace_unique")
        ]

    def __str__(self):
        return f"{self.place}: {self.get_status_display()}"


class Deficiency(models.Model):
    """An identified brist and the action the supplier must take, with a deadline."""

    followup = models.ForeignKey(
        ContractFollowUp, on_delete=models.CASCADE, related_name="deficiencies"
    )
    description = models.TextField("brist")
    action = models.TextField("krav på åtgärd")
    deadline = models.DateField("åtgärdas senast")

    class Meta:
        verbose_name = "brist"
        verbose_name_plural = "brister och krav på åtgärder"
        ordering = ["followup", "deadline", "pk"]

    def __str__(self):
        return self.description[:80]


class CheckTopic(models.TextChoices):
    """The checks of a förenklad follow-up, in printed order."""

    FINANCES = "ekonomi", "Ekonomisk ställning"
    IVO_PERMIT = "ivo_tillstand", "Giltigt tillstånd från IVO"
    IVO_CASES = "ivo_tillsyn", "Tillsynsärenden hos IVO"
    MEETING = "mote", "Uppföljningsmöte"


class CheckResult(models.TextChoices):
    PASS = "ok", "Godkänd"
    FAIL = "brist", "Ej godkänd"


class SimplifiedCheck(models.Model):
    followup = models.ForeignKey(ContractFollowUp, on_delete=models.CASCADE, related_name="checks")
    topic = models.CharField("kontroll", max_length=20, choices=CheckTopic.choices)
    position = models.PositiveSmallIntegerField("ordning")
    result = models.CharField("resultat", max_length=10, choices=CheckResult.choices, blank=True)
    narrative = models.TextField("beskrivning", blank=True)

    class Meta:
        verbose_name = "kontroll"
        verbose_name_plural = "kontroller"
        ordering = ["followup", "position"]
        constraints = [
            models.UniqueConstraint(fields=["followup", "topic"], name="simplifiedcheck_unique"),
            models.CheckConstraint(
                condition=Q(result="") | Q(result__in=CheckResult.values),
                name="simplifiedcheck_result",
            ),
        ]

    def __str__(self):
        return self.get_topic_display()
