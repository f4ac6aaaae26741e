"""Request, render and retry PDFs. The owning app builds the HTML (a `DocumentSource`) and
names the subject; this module stores it by content hash, hands it to the worker, and renders
it there: WeasyPrint, the uploaded enclosures spliced in, the tagging repaired for PDF/UA
(`solna_sn.lib.pdfua`, run for every document), then the file stored."""

from __future__ import annotations

import datetime
import hashlib
import logging
import time
from dataclasses import dataclass, field

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from printing.models import RenderedDocument, RenderStatus, rendered_upload_to, subject_of
from solna_sn import audit, permissions
from solna_sn.celery import app as celery_app
from solna_sn.errors import StateError, require
from solna_sn.lib import pdf as pdflib
from solna_sn.lib import pdfua

logger = logging.getLogger(__name__)

RENDER_TASK = "printing.render_document"
STALE_AFTER = datetime.timedelta(minutes=10)
REPORT = "report"


@dataclass(frozen=True)
class DocumentSource:
    """HTML ready for the renderer, the uploaded PDFs it splices in, and its content hash."""

    kind: str
    title: str
    html: str
    inserts: list[dict] = field(default_factory=list)
    sent_version: bool = False

    @property
    def content_hash(self) -> str:
        return content_hash(self.kind, self.html, self.inserts, sent_version=self.sent_version)


def content_hash(kind: str, html: str, inserts: list[dict], *, sent_version: bool) -> str:
    """Covers the renderer, the kind, the HTML, the enclosures and the audience: a draft
    render and a sent render of the same HTML are two documents."""
    digest = hashlib.sha256()
    audience = "skickad" if sent_version else "utkast"
    for piece in (pdflib.RENDERER_VERSION, kind, audience, html, *(i["sha256"] for i in inserts)):
        digest.update(piece.encode())
        digest.update(b"\0")
    return digest.hexdigest()


def report_source(*, title: str, html: str) -> DocumentSource:
    """Any printed document whose HTML extends printing/report.html."""
    return DocumentSource(kind=REPORT, title=title, html=html)


def static_dir():
    """Where the print stylesheet and fonts live (relative URLs in the HTML resolve here)."""
    return settings.BASE_DIR / "static"


def request(source: DocumentSource, *, subject) -> RenderedDocument:
    """Queue a PDF of `source` for `subject` (a model instance), unless the same content is
    already rendered or on its way. Returns the RenderedDocument."""
    subject_type, subject_id = subject_of(subject)
    digest = source.content_hash
    existing = RenderedDocument.objects.filter(content_hash=digest).first()
    if existing:
        return existing
    try:
        with transaction.atomic():
            document = RenderedDocument.objects.create(
                kind=source.kind,
                subject_type=subject_type,
                subject_id=subject_id,
                content_hash=digest,
                title=source.title,
                html=source.html,
                inserts=source.inserts,
                sent_version=source.sent_version,
            )
    except IntegrityError:  # requested at the same moment by someone else
        return RenderedDocument.objects.get(content_hash=digest)
    enqueue(document)
    return document


def request_report(*, subject, title: str, html: str) -> RenderedDocument:
    """Queue a PDF of a printed report (internkontrollplan, avtalsuppföljning …)."""
    return request(report_source(title=title, html=html), subject=subject)


def latest(subject, *, kind: str | None = None) -> RenderedDocument | None:
    """The most recently requested PDF of a subject (it may print older content)."""
    documents = RenderedDocument.objects.for_subject(subject)
    if kind:
        documents = documents.filter(kind=kind)
    return documents.order_by("-requested_at").first()


def enqueue(document: RenderedDocument) -> None:
    """Send the job once the surrounding transaction has committed."""
    pk = document.pk
    transaction.on_commit(lambda: celery_app.send_task(RENDER_TASK, kwargs={"document_id": pk}))


def is_stuck(document: RenderedDocument, now=None) -> bool:
    now = now or timezone.now()
    if document.status == RenderStatus.RUNNING:
        return document.started_at is not None and now - document.started_at > STALE_AFTER
    if document.status == RenderStatus.QUEUED:
        return now - document.requested_at > STALE_AFTER
    return False


@transaction.atomic
def retry(*, document: RenderedDocument, by) -> RenderedDocument:
    """Queue a failed (or stuck) rendering again."""
    require(permissions.is_staff_member(by))
    document = RenderedDocument.objects.select_for_update().get(pk=document.pk)
    if document.status != RenderStatus.FAILED and not is_stuck(document):
        raise StateError("Bara en misslyckad eller avbruten framställning kan göras om.")
    document.status = RenderStatus.QUEUED
    document.error = ""
    document.requested_at = timezone.now()
    document.save(update_fields=["status", "error", "requested_at"])
    audit.record("render.retried", by=by, target=document)
    enqueue(document)
    return document


class RenderFailure(Exception):
    """A rendering that cannot succeed as things are; str() is shown to the user."""


def _load_insert(insert: dict) -> bytes:
    title = insert.get("title", "bilagan")
    try:
        with default_storage.open(insert["name"], "rb") as handle:
            data = handle.read()
    except (OSError, KeyError) as error:
        raise RenderFailure(f"Bilagan ”{title}” saknas i fillagringen.") from error
    if hashlib.sha256(data).hexdigest() != insert["sha256"]:
        raise RenderFailure(f"Bilagan ”{title}” har ändrats sedan den laddades upp.")
    try:
        info = pdflib.inspect_pdf(data)
    except pdflib.PdfError as error:
        raise RenderFailure(f"Bilagan ”{title}”: {error}") from error
    if info.pages != insert["pages"]:
        raise RenderFailure(f"Bilagan ”{title}” har fel antal sidor.")
    return data


def render_pdf(html: str, inserts: list[dict], inserts_data: list[bytes]) -> tuple[bytes, int]:
    """Render `html`, splice in the enclosures at their anchors and repair the tagging.
    Returns the PDF and its page count. Raises RenderFailure for content that cannot work."""
    rendered = pdflib.render_html(html, base_dir=static_dir(), compress=False)
    enclosures = []
    for insert, data in zip(inserts, inserts_data, strict=True):
        first_page = rendered.anchors.get(insert["anchor"])
        if first_page is None:
            raise RenderFailure(f"Platsen för bilagan ”{insert['title']}” saknas i dokumentet.")
        enclosures.append(pdfua.Enclosure(first_page=first_page, data=data, title=insert["title"]))
    try:
        pdf = pdfua.splice(rendered.pdf, enclosures) if enclosures else rendered.pdf
    except pdflib.PdfError as error:
        raise RenderFailure(str(error)) from error
    return pdfua.postprocess(pdf, html=html, tree=rendered.tree), rendered.pages


def run(document_id: int) -> None:
    """The worker's job: render the stored HTML, splice in attachments, store the file, and
    only then mark the document done. Safe to run again after a crash at any point."""
    claimed = RenderedDocument.objects.filter(
        pk=document_id, status__in=[RenderStatus.QUEUED, RenderStatus.RUNNING]
    ).update(
        status=RenderStatus.RUNNING,
        started_at=timezone.now(),
        attempts=F("attempts") + 1,
        error="",
    )
    if not claimed:
        return  # done already, failed (needs an explicit retry) or gone
    document = RenderedDocument.objects.get(pk=document_id)
    started = time.perf_counter()
    try:
        inserts_data = [_load_insert(insert) for insert in document.inserts]
        pdf, pages = render_pdf(document.html, document.inserts, inserts_data)
        name = storage_name(document)
        if default_storage.exists(name):
            default_storage.delete(name)  # a half-written file from a worker that died
        stored = default_storage.save(name, ContentFile(pdf))
    except RenderFailure as error:
        _failed(document_id, str(error))
        return
    except Exception as error:
        logger.exception("PDF rendering failed for document %s", document_id)
        _failed(document_id, f"Tekniskt fel vid framställningen ({type(error).__name__}).")
        return
    RenderedDocument.objects.filter(pk=document_id).update(
        status=RenderStatus.DONE,
        file=stored,
        page_count=pages,
        size=len(pdf),
        finished_at=timezone.now(),
        render_seconds=time.perf_counter() - started,
    )


def storage_name(document: RenderedDocument) -> str:
    return rendered_upload_to(document, "")


def _failed(document_id: int, message: str) -> None:
    RenderedDocument.objects.filter(pk=document_id).update(
        status=RenderStatus.FAILED, error=message, finished_at=timezone.now()
    )
