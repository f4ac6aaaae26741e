"""Organisation (kommun → nämnd → förvaltning → enhet), users and roles, audit trail.

Catalogue entities carry stable codes, validity periods and display names: units get renamed
("Stab och central ledning" → "Stabsenheten") and papers printed before the change must keep
the name they had then.
"""

import datetime

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q

code_validator = RegexValidator(
    r"^[A-Z0-9ÅÄÖ_-]{1,20}$",
    "Koden får bara innehålla versaler A–Ö, siffror, bindestreck och understreck.",
)


class ValidityPeriod(models.Model):
    """Abstract: an entity that exists from `valid_from` until `valid_to` (inclusive, open-ended
    when empty)."""

    valid_from = models.DateField("gäller från", default=datetime.date(2000, 1, 1))
    valid_to = models.DateField("gäller till och med", null=True, blank=True)

    class Meta:
        abstract = True

    def is_valid_on(self, day: datetime.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


def _validity_constraint(name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
        name=name,
        violation_error_message="Slutdatum kan inte ligga före startdatum.",
    )


class ValidQuerySet(models.QuerySet):
    def valid_on(self, day: datetime.date):
        return self.filter(Q(valid_from__lte=day), Q(valid_to__isnull=True) | Q(valid_to__gte=day))


class Municipality(ValidityPeriod):
    """Kommun."""

    code = models.CharField("kod", max_length=20, unique=True, validators=[code_validator])
    name = models.CharField("namn", max_length=200)

    objects = ValidQuerySet.as_manager()

    class Meta:
        verbose_name = "kommun"
        verbose_name_plural = "kommuner"
        ordering = ["name"]
        constraints = [_validity_constraint("municipality_valid_to_after_valid_from")]

    def __str__(self):
        return self.name


class Committee(ValidityPeriod):
    """Nämnd. `dnr_prefix` starts every diarienummer of the nämnd's ärenden (SN/2024:81)."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="committees", verbose_name="kommun"
    )
    code = models.CharField("kod", max_length=20, unique=True, validators=[code_validator])
    name = models.CharField("namn", max_length=200)
    dnr_prefix = models.CharField(
        "diarieprefix",
        max_length=5,
        unique=True,
        validators=[
            RegexValidator(
                "^[A-ZÅÄÖ]{2,5}$", "Diarieprefixet ska vara 2–5 versaler, till exempel SN."
            )
        ],
        help_text="Inleder nämndens diarienummer, till exempel SN i SN/2024:81.",
    )

    objects = ValidQuerySet.as_manager()

    class Meta:
        verbose_name = "nämnd"
        verbose_name_plural = "nämnder"
        ordering = ["name"]
        constraints = [_validity_constraint("committee_valid_to_after_valid_from")]

    def __str__(self):
        return self.name


class Administration(ValidityPeriod):
    """Förvaltning, serving one nämnd."""

    committee = models.ForeignKey(
        Committee, on_delete=models.PROTECT, related_name="administrations", verbose_name="nämnd"
    )
    code = models.CharField("kod", max_length=20, unique=True, validators=[code_validator])
    name = models.CharField("namn", max_length=200)

    objects = ValidQuerySet.as_manager()

    class Meta:
        verbose_name = "förvaltning"
        verbose_name_plural = "förvaltningar"
        ordering = ["name"]
        constraints = [_validity_constraint("administration_valid_to_after_valid_from")]

    def __str__(self):
        return self.name


class Unit(ValidityPeriod):
    """Enhet within a förvaltning. `name` is the current name; earlier names are `UnitName` rows."""

    administration = models.ForeignKey(
        Administration, on_delete=models.PROTECT, related_name="units", verbose_name="förvaltning"
    )
    code = models.CharField("kod", max_length=20, unique=True, validators=[code_validator])
    name = models.CharField("namn", max_length=200)
    sort_order = models.PositiveIntegerField("sorteringsordning", default=0)

    objects = ValidQuerySet.as_manager()

    class Meta:
        verbose_name = "enhet"
        verbose_name_plural = "enheter"
        ordering = ["sort_order", "name"]
        constraints = [_validity_constraint("unit_valid_to_after_valid_from")]

    def __str__(self):
        return self.name

    def name_on(self, day: datetime.date) -> str:
        """The name the unit had on `day` (earlier names are kept when a unit is renamed)."""
        for earlier in self.earlier_names.all():
            if earlier.is_valid_on(day):
                return earlier.name
        return self.name


class UnitName(ValidityPeriod):
    """An earlier name of a unit and the period it was used."""

    unit = models.ForeignKey(
        Unit, on_delete=models.CASCADE, related_name="earlier_names", verbose_name="enhet"
    )
    name = models.CharField("tidigare namn", max_length=200)

    class Meta:
        verbose_name = "tidigare namn"
        verbose_name_plural = "tidigare namn"
        ordering = ["unit", "-valid_from"]
        constraints = [
            _validity_constraint("unitname_valid_to_after_valid_from"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=False),
                name="unitname_has_end",
                violation_error_message="Ett tidigare namn måste ha ett slutdatum.",
            ),
        ]

    def __str__(self):
        return f"{self.name} (till {self.valid_to:%Y-%m-%d})"


class Role(models.TextChoices):
    HANDLAGGARE = "handlaggare", "Handläggare"
    CONTROLLER = "controller", "Controller"
    GRANSKARE = "granskare", "Granskare"
    FORVALTNINGSCHEF = "forvaltningschef", "Förvaltningschef"
    NAMNDLEDAMOT = "namndledamot", "Nämndledamot"
    ADMINISTRATOR = "administrator", "Administratör"


class User(AbstractUser):
    """A person using the system. Access follows `role` (see solna_sn.permissions);
    `units` limit where staff may edit."""

    role = models.CharField("roll", max_length=20, choices=Role.choices)
    title = models.CharField(
        "befattning", max_length=200, blank=True, help_text="Till exempel Förvaltningschef."
    )
    units = models.ManyToManyField(Unit, blank=True, related_name="users", verbose_name="enheter")
    committee = models.ForeignKey(
        Committee,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
        verbose_name="nämnd",
        help_text="Den nämnd användaren tillhör (för nämndledamöter).",
    )
    notify_by_email = models.BooleanField(
        "e-post om handlingar",
        default=True,
        help_text="E-post när något lämnas tillbaka till dig, lämnas till dig för granskning "
        "eller godkänns.",
    )

    objects = UserManager()

    REQUIRED_FIELDS = ["email", "role"]

    class Meta:
        verbose_name = "användare"
        verbose_name_plural = "användare"
        ordering = ["last_name", "first_name", "username"]
        constraints = [
            models.CheckConstraint(condition=Q(role__in=Role.values), name="user_role_is_known")
        ]

    def __str__(self):
        return self.get_full_name() or self.username


class AuditEntry(models.Model):
    """Who did what, when, to what: old and new values and an optional reason.

    No foreign keys on purpose: an entry outlives the user and the object it names, and
    writing it never locks or cascades. Written only through `solna_sn.audit.record`.
    """

    at = models.DateTimeField("tidpunkt", auto_now_add=True, db_index=True)
    actor_id = models.BigIntegerField("användar-id", null=True, blank=True)
    actor_username = models.CharField("användare", max_length=150, blank=True)
    action = models.CharField("händelse", max_length=100, db_index=True)
    target_type = models.CharField("objekttyp", max_length=100, blank=True)
    target_id = models.CharField("objekt-id", max_length=64, blank=True)
    target_repr = models.CharField("objekt", max_length=300, blank=True)
    changes = models.JSONField(
        "ändringar",
        default=dict,
        blank=True,
        encoder=DjangoJSONEncoder,
        help_text="Fält → [gammalt värde, nytt värde].",
    )
    reason = models.TextField("motivering", blank=True)

    class Meta:
        verbose_name = "granskningspost"
        verbose_name_plural = "granskningslogg"
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id"], name="audit_target_idx")]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_username or 'system'}: {self.action}"


class LoginFailure(models.Model):
    """A failed login, kept for throttling password guessing (see solna_sn.auth)."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    username = models.CharField(max_length=150, db_index=True)
    address = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        verbose_name = "misslyckad inloggning"
        verbose_name_plural = "misslyckade inloggningar"

    def __str__(self):
        return f"{self.username} {self.at:%Y-%m-%d %H:%M}"


class WorkerCheck(models.Model):
    """One round trip through the broker to a background worker, requested from Systemstatus."""

    requested_at = models.DateTimeField("begärd", auto_now_add=True)
    requested_by_id = models.BigIntegerField(null=True, blank=True)
    answered_at = models.DateTimeField("besvarad", null=True, blank=True)
    worker_hostname = models.CharField("arbetare", max_length=255, blank=True)

    class Meta:
        verbose_name = "kontroll av bakgrundsarbetare"
        verbose_name_plural = "kontroller av bakgrundsarbetare"
        ordering = ["-requested_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(answered_at__isnull=True, worker_hostname="")
                | Q(answered_at__isnull=False) & ~Q(worker_hostname=""),
                name="workercheck_answer_complete",
            )
        ]

    def __str__(self):
        return f"Kontroll {self.requested_at:%Y-%m-%d %H:%M:%S}"

    @property
    def answered(self) -> bool:
        return self.answered_at is not None


class WorkerClaim(models.Model):
    """A job a background worker has received and not finished: which worker (Celery node
    name) holds it. Node names are unique among running workers, so a worker that starts under
    the name of a claim knows that the claimant died with the job (see reports.tasks)."""

    task = models.CharField("uppgift", max_length=200)
    object_id = models.BigIntegerField("objekt")
    worker = models.CharField("arbetare", max_length=255, db_index=True)
    claimed_at = models.DateTimeField("mottagen", auto_now=True)

    class Meta:
        verbose_name = "påbörjat jobb hos bakgrundsarbetare"
        verbose_name_plural = "påbörjade jobb hos bakgrundsarbetare"
        constraints = [
            models.UniqueConstraint(
                fields=["task", "object_id", "worker"], name="workerclaim_one_per_worker"
            )
        ]

    def __str__(self):
        return f"{self.task} {self.object_id} hos {self.worker}"
