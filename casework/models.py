"""Diarium and committee papers: ärenden with diarienummer, tjänsteskrivelser (memos) with
their handlingar and signatories, sammanträden with their ärendelista and protokollsutdrag,
rendered to PDF through `printing`.

Memos are revisioned: a memo sent to the nämnd is frozen; a later change is a new `Memo` row
(`revision` + 1, `previous` pointing back) and both stay readable.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q

from solna_sn.lib.dnr import format_dnr
from solna_sn.models import Administration, Committee, Unit

CONFIDENTIAL_TEXT = "Handlingarna publiceras ej med hänvisning till sekretesskänsligt innehåll."
CONFIDENTIAL_CONTACT_TEXT = (
    "Om du önskar ta del av handlingarna kontaktar du socialnämnden som gör en prövning "
    "enligt offentlighets- och sekretesslagen (OSL)."
)
# Printed instead of the title of a secret enclosure in public output.
CONFIDENTIAL_ENCLOSURE_TITLE = "Handling som omfattas av sekretess"


class DnrCounter(models.Model):
    """The last running number handed out per nämnd and year. Rows are locked while a number
    is allocated, so two registrations never get the same number; numbers are never reused."""

    committee = models.ForeignKey(Committee, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["committee", "year"], name="dnrcounter_unique")
        ]

    def __str__(self):
        return f"{self.committee.dnr_prefix}/{self.year}: {self.last_number}"


class Case(models.Model):
    """Ärende: one registered matter with its diarienummer (SN/2024:82). The year is the year
    the ärende was opened, which may be earlier than the papers that carry it."""

    committee = models.ForeignKey(
        Committee, on_delete=models.PROTECT, related_name="cases", verbose_name="nämnd"
    )
    year = models.PositiveIntegerField("år")
    number = models.PositiveIntegerField("löpnummer", validators=[MinValueValidator(1)])
    dnr = models.CharField("diarienummer", max_length=30, unique=True, editable=False)
    title = models.CharField("ärenderubrik", max_length=300)
    registered_on = models.DateField("registrerat")
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="registrerat av",
    )
    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name="ansvarig enhet",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "ärende"
        verbose_name_plural = "ärenden"
        ordering = ["-year", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "year", "number"],
                name="case_unique_number",
                violation_error_message="Diarienumret finns redan.",
            )
        ]

    def __str__(self):
        return f"{self.dnr} {self.title}"

    def save(self, *args, **kwargs):
        self.dnr = format_dnr(self.committee.dnr_prefix, self.year, self.number)
        super().save(*args, **kwargs)


class MemoState(models.TextChoices):
    DRAFT = "utkast", "Utkast"
    REVIEW = "granskning", "För granskning"
    APPROVED = "godkand", "Godkänd"
    SENT = "skickad", "Skickad till nämnd"


class Memo(models.Model):
    """Tjänsteskrivelse: the memo that carries an ärende to the nämnd. One row per revision."""

    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, related_name="memos", verbose_name="ärende"
    )
    revision = models.PositiveIntegerField("revision", default=1)
    previous = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="next_revision",
        verbose_name="föregående revision",
    )
    administration = models.ForeignKey(
        Administration, on_delete=models.PROTECT, related_name="memos", verbose_name="förvaltning"
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="memos", verbose_name="ansvarig enhet"
    )
    date = models.DateField("datum")
    title = models.CharField("rubrik", max_length=300)
    decision_proposal = models.TextField("förslag till beslut", blank=True)
    summary = models.TextField("sammanfattning", blank=True)
    dispatch_to = models.TextField(
        "beslutet expedieras till",
        blank=True,
        help_text="En mottagare per rad. Lämna tomt om beslutet inte ska expedieras.",
    )
    dispatch_bulleted = models.BooleanField("mottagare som punktlista", default=True)
    state = models.CharField(
        "status", max_length=20, choices=MemoState.choices, default=MemoState.DRAFT
    )
    version = models.PositiveIntegerField(default=1)
    review_comment = models.TextField("kommentar från granskningen", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # The last one who changed the content (texts, sections, signatories, handlingar): she
    # may not approve it (solna_sn.review, fyraögonprincipen).
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name="senast ändrad av",
    )
    sent_at = models.DateTimeField("skickad till nämnd", null=True, blank=True)

    class Meta:
        verbose_name = "tjänsteskrivelse"
        verbose_name_plural = "tjänsteskrivelser"
        ordering = ["-date", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "revision"], name="memo_unique_revision"),
            models.CheckConstraint(
                condition=Q(sent_at__isnull=True) | Q(state="skickad"),
                name="memo_sent_at_only_when_sent",
            ),
        ]

    def __str__(self):
        suffix = f" (revision {self.revision})" if self.revision > 1 else ""
        return f"{self.title}{suffix}"

    @property
    def is_frozen(self) -> bool:
        return self.state == MemoState.SENT

    @property
    def dispatch_lines(self) -> list[str]:
        return [line.strip() for line in self.dispatch_to.splitlines() if line.strip()]


class MemoSignatory(models.Model):
    """A signature block on one memo: name and title as printed on this document (the same
    person may sign as Förvaltningschef here and Socialchef elsewhere)."""

    memo = models.ForeignKey(Memo, on_delete=models.CASCADE, related_name="signatories")
    position = models.PositiveIntegerField("ordning")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    name = models.CharField("namn", max_length=200)
    title = models.CharField("titel", max_length=200)

    class Meta:
        verbose_name = "undertecknare"
        verbose_name_plural = "undertecknare"
        ordering = ["memo", "position"]
        constraints = [
            models.UniqueConstraint(fields=["memo", "position"], name="memosignatory_position")
        ]

    def __str__(self):
        return f"{self.name}, {self.title}"


def attachment_upload_to(instance, filename):
    return f"bilagor/{instance.sha256[:2]}/{instance.sha256}.pdf"


class MemoAttachment(models.Model):
    """One entry of the memo's Handlingar after the generated first line: an uploaded PDF or
    another tjänsteskrivelse in the system."""

    memo = models.ForeignKey(Memo, on_delete=models.CASCADE, related_name="attachments")
    position = models.PositiveIntegerField("ordning")
    title = models.CharField("titel", max_length=300)
    file = models.FileField("fil", upload_to=attachment_upload_to, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    page_count = models.PositiveIntegerField("sidor", default=0)
    size = models.PositiveBigIntegerField("storlek", default=0)
    source_memo = models.ForeignKey(
        Memo,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="tjänsteskrivelse i systemet",
    )

    class Meta:
        verbose_name = "handling"
        verbose_name_plural = "handlingar"
        ordering = ["memo", "position"]
        constraints = [
            models.UniqueConstraint(fields=["memo", "position"], name="memoattachment_position"),
            models.CheckConstraint(
                condition=(Q(source_memo__isnull=True) & ~Q(sha256=""))
                | (Q(source_memo__isnull=False) & Q(sha256="")),
                name="memoattachment_file_or_memo",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def is_upload(self) -> bool:
        return self.source_memo_id is None


class MemoSection(models.Model):
    """An extra section printed after the signatures (Bakgrund, Förvaltningens förslag …)."""

    memo = models.ForeignKey(Memo, on_delete=models.CASCADE, related_name="sections")
    position = models.PositiveIntegerField("ordning")
    heading = models.CharField("rubrik", max_length=200, blank=True)
    body = models.TextField("text", blank=True)

    class Meta:
        verbose_name = "avsnitt"
        verbose_name_plural = "avsnitt"
        ordering = ["memo", "position"]
        constraints = [
            models.UniqueConstraint(fields=["memo", "position"], name="memosection_position")
        ]

    def __str__(self):
        return self.heading


class Meeting(models.Model):
    """Sammanträde: a meeting of the nämnd with its ärendelista."""

    committee = models.ForeignKey(
        Committee, on_delete=models.PROTECT, related_name="meetings", verbose_name="nämnd"
    )
    date = models.DateField("datum")
    time = models.TimeField("tid")
    place = models.CharField("plats", max_length=200)
    sent_at = models.DateTimeField("kallelse skickad", null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = "sammanträde"
        verbose_name_plural = "sammanträden"
        ordering = ["-date", "-time"]
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "date", "time"],
                name="meeting_unique_time",
                violation_error_message="Nämnden har redan ett sammanträde den tiden.",
            )
        ]

    def __str__(self):
        return f"{self.committee} {self.date:%Y-%m-%d}"

    @property
    def is_sent(self) -> bool:
        return self.sent_at is not None


class AgendaItem(models.Model):
    """One numbered item of the ärendelista. The label is text: an item can be "4-5"."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveIntegerField("ordning")
    label = models.CharField("nummer", max_length=20)
    title = models.CharField("rubrik", max_length=300)
    case = models.ForeignKey(
        Case,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agenda_items",
        verbose_name="ärende",
    )
    memo = models.ForeignKey(
        Memo,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agenda_items",
        verbose_name="tjänsteskrivelse",
    )
    confidential = models.BooleanField("sekretess", default=False)
    osl_reference = models.CharField(
        "hänvisning till OSL",
        max_length=200,
        blank=True,
        help_text="Till exempel 26 kap. 1 § offentlighets- och sekretesslagen.",
    )
    show_contact_text = models.BooleanField(
        "visa text om hur man begär ut handlingarna", default=True
    )

    class Meta:
        verbose_name = "ärende på ärendelistan"
        verbose_name_plural = "ärendelista"
        ordering = ["meeting", "position"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "position"], name="agendaitem_position"),
            models.UniqueConstraint(
                fields=["meeting", "label"],
                name="agendaitem_label",
                violation_error_message="Numret finns redan på ärendelistan.",
            ),
            models.CheckConstraint(
                condition=Q(confidential=False) | ~Q(osl_reference=""),
                name="agendaitem_confidential_has_osl",
                violation_error_message="Ange hänvisning till OSL för ett ärende med sekretess.",
            ),
        ]

    def __str__(self):
        return f"{self.label}. {self.title}"


class Decision(models.Model):
    """Protokollsutdrag for one agenda item: § number and Beslut, and återrapportering."""

    item = models.OneToOneField(AgendaItem, on_delete=models.CASCADE, related_name="decision")
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    paragraph = models.PositiveIntegerField("paragraf", validators=[MinValueValidator(1)])
    text = models.TextField("beslut")
    report_back_required = models.BooleanField("kräver återrapportering", default=False)
    report_back_due = models.DateField("återrapporteras senast", null=True, blank=True)
    reported_back_on = models.DateField("återrapporterat", null=True, blank=True)
    reported_back_note = models.CharField("återrapporterat genom", max_length=300, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = "protokollsutdrag"
        verbose_name_plural = "protokollsutdrag"
        ordering = ["meeting", "paragraph"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "paragraph"],
                name="decision_unique_paragraph",
                violation_error_message="Paragrafen finns redan i protokollet.",
            ),
            models.CheckConstraint(
                condition=Q(reported_back_on__isnull=True) | Q(report_back_required=True),
                name="decision_reported_back_only_when_required",
            ),
        ]

    def __str__(self):
        return f"§ {self.paragraph} {self.item.title}"


class RenderKind(models.TextChoices):
    """The printed documents of casework (printing.RenderedDocument.kind)."""

    MEMO = "memo", "Tjänsteskrivelse"
    BUNDLE_PUBLIC = "bundle_public", "Sammanträdeshandlingar (offentlig)"
    BUNDLE_INTERNAL = "bundle_internal", "Sammanträdeshandlingar (intern, med sekretess)"


@dataclass(frozen=True)
class Secrecy:
    """What is secret anywhere, as the data stands now. Secrecy follows the content wherever
    it is enclosed:

    - `confidential_memo_ids`: every revision of an ärende on a confidential agenda item of
      any meeting, and any memo that is itself such an item's memo;
    - `memo_ids`: those, and every memo that encloses a secret memo (at any depth);
    - `file_hashes`: the sha256 of every file uploaded to a confidential memo, wherever the
      same file is attached again. (A memo secret only because it encloses one keeps its
      own files public: they are not the secret content.)

    Public output replaces secret enclosures with CONFIDENTIAL_TEXT (checked when the HTML is
    built for rendering) and the Handlingar picker offers no secret memo to a memo that is
    not itself confidential.
    """

    confidential_memo_ids: frozenset[int]
    memo_ids: frozenset[int]
    file_hashes: frozenset[str]

    @classmethod
    def now(cls) -> "Secrecy":
        items = AgendaItem.objects.filter(confidential=True)
        confidential = set(
            Memo.objects.filter(
                Q(case__in=items.filter(case__isnull=False).values("case"))
                | Q(pk__in=items.filter(memo__isnull=False).values("memo"))
            ).values_list("pk", flat=True)
        )
        secret = set(confidential)
        frontier = set(confidential)
        while frontier:  # memos enclosing a secret memo are secret too
            frontier = (
                set(
                    MemoAttachment.objects.filter(source_memo__in=frontier).values_list(
                        "memo_id", flat=True
                    )
                )
                - secret
            )
            secret |= frontier
        hashes = set(
            MemoAttachment.objects.filter(
                memo__in=confidential, source_memo__isnull=True
            ).values_list("sha256", flat=True)
        )
        return cls(frozenset(confidential), frozenset(secret), frozenset(hashes))

    def memo_is_secret(self, memo_id: int) -> bool:
        return memo_id in self.memo_ids

    def enclosure_is_secret(self, attachment: MemoAttachment) -> bool:
        if attachment.source_memo_id is not None:
            return attachment.source_memo_id in self.memo_ids
        return attachment.sha256 in self.file_hashes
