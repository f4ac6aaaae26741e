"""Rendered documents: a PDF made by the worker from stored HTML, named by a random token."""

import secrets

from django.db import models
from django.db.models import Q

from printing import access


class RenderStatus(models.TextChoices):
    QUEUED = "queued", "Köad"
    RUNNING = "running", "Pågår"
    DONE = "done", "Klar"
    FAILED = "failed", "Misslyckad"


def rendered_upload_to(instance, filename):
    return f"pdf/{instance.content_hash[:2]}/{instance.content_hash}.pdf"


def new_document_token() -> str:
    """32 random URL-safe characters (192 bits): PDF URLs cannot be guessed or counted."""
    return secrets.token_urlsafe(24)


def subject_of(obj) -> tuple[str, int]:
    """(model label, id) naming what a document prints, e.g. ("casework.memo", 7), from a
    model instance or such a pair."""
    if isinstance(obj, tuple):
        return obj
    return obj._meta.label_lower, obj.pk


class RenderedDocumentQuerySet(models.QuerySet):
    def readable_by(self, user):
        """The one rule for who opens which PDF (see `printing.access`)."""
        condition = access.reader_filter(user)
        return self if condition is None else self.filter(condition)

    def for_subject(self, obj):
        subject_type, subject_id = subject_of(obj)
        return self.filter(subject_type=subject_type, subject_id=subject_id)

    def for_subjects(self, subject_type: str, ids):
        return self.filter(subject_type=subject_type, subject_id__in=list(ids))


class RenderedDocument(models.Model):
    """A PDF rendered by the worker from the stored HTML. The content hash covers the HTML,
    the attached files, the renderer version, the kind and `sent_version`: the same content is
    never rendered twice, and the stored HTML makes a sent PDF reproducible.

    `subject_type` and `subject_id` name what it prints (model label and id), `kind` which
    document of that subject it is (the owning app's vocabulary: "memo", "bundle_public" …).
    URLs name a document by its random `token`, never by its id."""

    kind = models.CharField(max_length=30)
    subject_type = models.CharField(max_length=100)
    subject_id = models.PositiveBigIntegerField()
    content_hash = models.CharField(max_length=64, unique=True)
    token = models.CharField(max_length=43, unique=True, default=new_document_token, editable=False)
    # Rendered from papers sent to the nämnd, decided by the owning app when the document was
    # requested and never changed; the owning app's reader rule decides what that allows.
    sent_version = models.BooleanField("framställd från skickade handlingar", default=False)
    title = models.CharField(max_length=300)
    html = models.TextField()
    # Uploaded PDFs that replace placeholder pages:
    # [{"anchor", "sha256", "name", "pages", "title"}].
    inserts = models.JSONField(default=list, blank=True)
    status = models.CharField(
        max_length=10, choices=RenderStatus.choices, default=RenderStatus.QUEUED
    )
    error = models.TextField(blank=True)
    file = models.FileField(upload_to=rendered_upload_to, blank=True)
    page_count = models.PositiveIntegerField(default=0)
    size = models.PositiveBigIntegerField(default=0)
    attempts = models.PositiveIntegerField(default=0)
    requested_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    render_seconds = models.FloatField(null=True, blank=True)

    objects = RenderedDocumentQuerySet.as_manager()

    class Meta:
        verbose_name = "framställd pdf"
        verbose_name_plural = "framställda pdf:er"
        ordering = ["-requested_at"]
        indexes = [models.Index(fields=["subject_type", "subject_id"], name="rendered_subject")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(subject_type="") & ~Q(kind=""), name="rendered_document_subject"
            ),
            models.CheckConstraint(
                condition=~Q(status="done") | ~Q(file=""), name="rendered_done_has_file"
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.get_status_display()})"

    @property
    def filename(self) -> str:
        safe = "".join(c if c.isalnum() or c in " -_" else "-" for c in self.title).strip()
        return f"{safe or 'dokument'}.pdf"


def can_read_document(user, document: RenderedDocument) -> bool:
    return RenderedDocument.objects.readable_by(user).filter(pk=document.pk).exists()
