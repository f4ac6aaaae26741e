"""The PDF job, and how a job left behind by a dead worker comes back without anyone pressing
"Försök igen".

Messages are acknowledged late and rejected when the worker's pool process is lost (see
settings), so on Redis a job whose pool process died goes straight back to the queue. That does
not cover a worker killed as a whole (kill -9, the OOM killer, a power cut): Redis hands its
unacknowledged messages out again only after the visibility timeout, and the filesystem broker
of the demo removed them when they were received. So each worker records what it has received
(`WorkerClaim`, in the database every worker shares) and, when a worker starts, it takes over
the documents a dead worker left queued or running (`render_requeue_abandoned`):

- documents claimed under its own node name: node names are unique among running workers, so
  the claimant is dead. This is the usual case (the same worker restarted: `make run`, systemd,
  a container restart) and it is taken over at once;
- documents running for longer than RENDER_TIME_LIMIT_SECONDS plus a minute: the worker that
  started them has finished or killed them by now (the hard time limit), so no live worker is
  rendering them;
- documents queued for longer than that: their message may be lost. A second message is
  harmless: a document that is done is never rendered again.

A document claimed by another worker within the time limit is left alone, even though that
worker may be dead: it may as well be alive and busy (a busy worker need not answer a ping),
and rendering one document twice at once is worse than waiting. It is taken over by the next
worker start after the time limit, and on Redis its message comes back by itself after the
visibility timeout. A document interrupted RENDER_MAX_ATTEMPTS times is marked failed instead
of queued again: it may be what kills the worker.
"""

import datetime
import logging
from functools import partial

from celery import shared_task
from celery.signals import task_received, worker_ready
from django.conf import settings
from django.db import close_old_connections, connection, transaction
from django.db.models import Q
from django.utils import timezone

from printing import services
from printing.models import RenderedDocument, RenderStatus
from printing.services import RENDER_TASK
from solna_sn import audit
from solna_sn.models import WorkerClaim

logger = logging.getLogger(__name__)

RENDER_MAX_ATTEMPTS = 3


@shared_task(
    name=RENDER_TASK,
    bind=True,
    time_limit=settings.RENDER_TIME_LIMIT_SECONDS,
    soft_time_limit=settings.RENDER_TIME_LIMIT_SECONDS - 30,
)
def render_document(self, *, document_id: int) -> None:
    """Render one PDF (render_run is safe to repeat after a crash at any point)."""
    try:
        if not _gave_up_after_interruptions(document_id):
            services.run(document_id)
    finally:
        WorkerClaim.objects.filter(
            task=RENDER_TASK, object_id=document_id, worker=self.request.hostname or ""
        ).delete()


def _interrupted_message(attempts: int) -> str:
    return (
        f"Framställningen avbröts {attempts} gånger när bakgrundsarbetaren stannade. "
        "Försök igen; kontakta systemets administratör om det händer igen."
    )


def _gave_up_after_interruptions(document_id: int) -> bool:
    """A document still running when its job starts was interrupted (the message came back
    after its worker died). Past RENDER_MAX_ATTEMPTS, mark it failed instead of rendering."""
    document = RenderedDocument.objects.filter(pk=document_id).only("status", "attempts").first()
    if (
        document is None
        or document.status != RenderStatus.RUNNING
        or document.attempts < RENDER_MAX_ATTEMPTS
    ):
        return False
    RenderedDocument.objects.filter(pk=document_id, status=RenderStatus.RUNNING).update(
        status=RenderStatus.FAILED,
        error=_interrupted_message(document.attempts),
        finished_at=timezone.now(),
    )
    return True


@transaction.atomic
def render_requeue_abandoned(*, worker: str) -> list[int]:
    """Queue again the documents a dead worker left behind (see the module docstring), as the
    worker named `worker` starts. Returns the ids queued; sets each back to queued, writes an
    audit entry, and sends the messages once committed."""
    now = timezone.now()
    too_old = now - datetime.timedelta(seconds=settings.RENDER_TIME_LIMIT_SECONDS + 60)
    claims = WorkerClaim.objects.filter(task=RENDER_TASK)
    own = set(claims.filter(worker=worker).values_list("object_id", flat=True))
    documents = (
        RenderedDocument.objects.select_for_update(skip_locked=True)
        .filter(status__in=[RenderStatus.QUEUED, RenderStatus.RUNNING])
        .filter(
            Q(pk__in=own)
            | Q(status=RenderStatus.RUNNING, started_at__lt=too_old)
            | Q(status=RenderStatus.QUEUED, requested_at__lt=too_old)
        )
        .order_by("requested_at")
    )
    requeued = []
    for document in documents:
        interrupted = document.status == RenderStatus.RUNNING
        if interrupted and document.attempts >= RENDER_MAX_ATTEMPTS:
            document.status = RenderStatus.FAILED
            document.error = _interrupted_message(document.attempts)
            document.finished_at = now
            document.save(update_fields=["status", "error", "finished_at"])
            audit.record("render.abandoned", by=None, target=document)
            continue
        document.status = RenderStatus.QUEUED
        document.requested_at = now
        document.save(update_fields=["status", "requested_at"])
        audit.record(
            "render.requeued",
            by=None,
            target=document,
            reason=f"Bakgrundsarbetaren {worker} startade och tog över jobbet.",
        )
        transaction.on_commit(partial(render_document.delay, document_id=document.pk))
        requeued.append(document.pk)
    # The claims of this worker's dead predecessor are dealt with; any claim older than the
    # time limit is over, whoever held it.
    claims.filter(Q(worker=worker) | Q(claimed_at__lt=too_old)).delete()
    return requeued


@task_received.connect
def _claim_render_job(sender=None, request=None, **kwargs):
    """In the worker's main process, as a message arrives (before it runs: a message received
    but not started is lost with the worker on the demo's filesystem broker too)."""
    if request is None or request.name != RENDER_TASK:
        return
    document_id = (request.kwargs or {}).get("document_id")
    if not isinstance(document_id, int):
        return
    close_old_connections()
    WorkerClaim.objects.update_or_create(
        task=RENDER_TASK, object_id=document_id, worker=request.hostname or ""
    )


@worker_ready.connect
def _requeue_abandoned_on_start(sender=None, **kwargs):
    worker = getattr(sender, "hostname", "") or ""
    try:
        requeued = render_requeue_abandoned(worker=worker)
    except Exception:  # a worker that cannot look must still start and work
        logger.exception("Could not look for jobs abandoned by a dead worker")
        return
    finally:
        connection.close()
    if requeued:
        logger.warning(
            "%s: queued %s PDF(s) again that a dead worker left behind: %s",
            worker,
            len(requeued),
            requeued,
        )
