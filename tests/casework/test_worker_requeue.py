"""Which jobs a starting worker takes over from a dead one (reports.tasks), and when a job
gives up. The end-to-end case, a real worker killed with SIGKILL, is in test_worker.py."""

import datetime

import pytest
from celery.utils.nodenames import gethostname
from django.utils import timezone

from printing import services as printing_services
from printing.models import RenderedDocument, RenderStatus
from printing.tasks import RENDER_TASK, render_document, render_requeue_abandoned
from solna_sn.models import AuditEntry, WorkerClaim

pytestmark = pytest.mark.django_db

ME = "worker@maskin-a"
OTHER = "worker@maskin-b"


def document(label: str, *, status: str, minutes_ago: int = 1, attempts: int = 0, claim=None):
    made = printing_services.request_report(
        subject=("tests.requeue", 1),
        title=label,
        html=f"<html><body><p>{label}</p></body></html>",
    )
    at = timezone.now() - datetime.timedelta(minutes=minutes_ago)
    RenderedDocument.objects.filter(pk=made.pk).update(
        status=status,
        requested_at=at,
        started_at=at if status != RenderStatus.QUEUED else None,
        attempts=attempts,
        file="pdf/x.pdf" if status == RenderStatus.DONE else "",
    )
    if claim is not None:
        WorkerClaim.objects.create(task=RENDER_TASK, object_id=made.pk, worker=claim)
        WorkerClaim.objects.filter(object_id=made.pk).update(claimed_at=at)
    return made


def status_of(made) -> str:
    return RenderedDocument.objects.get(pk=made.pk).status


def test_a_starting_worker_takes_over_only_jobs_it_knows_are_abandoned(
    django_capture_on_commit_callbacks, settings
):
    settings.RENDER_TIME_LIMIT_SECONDS = 600
    received_by_me = document("mottagen", status=RenderStatus.QUEUED, claim=ME)
    running_by_me = document("avbruten", status=RenderStatus.RUNNING, attempts=1, claim=ME)
    running_elsewhere = document("pågår", status=RenderStatus.RUNNING, attempts=1, claim=OTHER)
    past_time_limit = document(
        "för gammal", status=RenderStatus.RUNNING, minutes_ago=12, attempts=1, claim=OTHER
    )
    waiting = document("i kö", status=RenderStatus.QUEUED)
    message_lost = document("borttappad", status=RenderStatus.QUEUED, minutes_ago=12)
    done = document("klar", status=RenderStatus.DONE, claim=ME)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        requeued = render_requeue_abandoned(worker=ME)

    assert sorted(requeued) == sorted(
        [received_by_me.pk, running_by_me.pk, past_time_limit.pk, message_lost.pk]
    )
    assert len(callbacks) == 4  # one message each, sent once committed
    for made in (received_by_me, running_by_me, past_time_limit, message_lost):
        assert status_of(made) == RenderStatus.QUEUED
        assert AuditEntry.objects.filter(action="render.requeued", target_id=str(made.pk))
    # Another worker may still be rendering this one: left alone, its claim kept.
    assert status_of(running_elsewhere) == RenderStatus.RUNNING
    assert WorkerClaim.objects.filter(object_id=running_elsewhere.pk, worker=OTHER).exists()
    assert status_of(waiting) == RenderStatus.QUEUED
    assert status_of(done) == RenderStatus.DONE
    # This worker's old claims and every claim past the time limit are gone.
    assert list(WorkerClaim.objects.values_list("object_id", flat=True)) == [running_elsewhere.pk]

    # A second worker starting at the same moment finds nothing more to take.
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert render_requeue_abandoned(worker="worker@maskin-c") == []
    assert callbacks == []


def test_a_document_interrupted_three_times_fails_with_a_message(
    django_capture_on_commit_callbacks,
):
    made = document("kraschar", status=RenderStatus.RUNNING, attempts=3, claim=ME)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert render_requeue_abandoned(worker=ME) == []
    assert callbacks == []
    made.refresh_from_db()
    assert made.status == RenderStatus.FAILED
    assert made.error.startswith("Framställningen avbröts 3 gånger när bakgrundsarbetaren")


def test_a_job_that_comes_back_after_its_third_interruption_gives_up():
    # On Redis a job whose pool process died comes back by itself (reject on worker lost).
    made = document("kraschar igen", status=RenderStatus.RUNNING, attempts=3)
    render_document.apply(kwargs={"document_id": made.pk})
    made.refresh_from_db()
    assert made.status == RenderStatus.FAILED
    assert "avbröts 3 gånger" in made.error


def test_a_job_that_comes_back_after_one_interruption_renders_and_drops_its_claim():
    # Run in this process, the job's worker name is this host's name.
    made = document("en gång", status=RenderStatus.RUNNING, attempts=1, claim=gethostname())
    render_document.apply(kwargs={"document_id": made.pk})
    made.refresh_from_db()
    assert made.status == RenderStatus.DONE, made.error
    assert made.attempts == 2
    assert not WorkerClaim.objects.exists()
