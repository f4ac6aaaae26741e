"""Through a real Celery worker and the Redis broker: send a meeting, let the worker render the
memo and both bundles, and read the PDFs."""

import datetime
import email
import email.policy
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.core.files.storage import default_storage
from django.db import connection
from django.urls import reverse

from casework import services
from casework.models import RenderKind
from printing import services as printing_services
from printing.models import RenderedDocument, RenderStatus
from solna_sn.celery import app
from solna_sn.lib import pdf as pdflib
from solna_sn.models import AuditEntry, User, WorkerClaim
from tests.casework.conftest import fill
from tests.pdf_checks import assert_document_accessible

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def celery_worker(transactional_db):
    if not settings.CELERY_BROKER_URL.startswith("redis://"):
        pytest.skip("needs the Redis broker that `make test` starts")
    app.control.purge()  # messages queued by other tests for rows that no longer exist
    with start_worker(
        app, pool="solo", concurrency=1, perform_ping_check=False, shutdown_timeout=10
    ) as worker:
        yield worker


def wait_for(predicate, timeout=60.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


def read(document) -> str:
    with default_storage.open(document.file.name, "rb") as handle:
        return pdflib.text_of(handle.read())


def test_worker_renders_the_memo_and_bundles(
    celery_worker, client, approved_memo, committee, handlaggare, granskare, chief, unit
):
    secret_case = services.case_register(
        committee=committee,
        title="Individärende Svensson",
        unit=unit,
        by=handlaggare,
        today=datetime.date(2024, 9, 1),
    )
    secret = fill(
        services.memo_create(case=secret_case, by=handlaggare),
        handlaggare,
        summary="Barnet Kalle behöver en ny placering.",
    )
    services.memo_submit(memo=secret, by=handlaggare)
    services.memo_approve(memo=secret, by=granskare)
    meeting = services.meeting_create(
        committee=committee,
        date=datetime.date(2024, 10, 7),
        time=datetime.time(18),
        place="Solna stadshus",
        by=granskare,
    )
    services.agenda_item_add(meeting=meeting, case=approved_memo.case, by=granskare)
    services.agenda_item_add(
        meeting=meeting,
        case=secret_case,
        label="2-3",
        confidential=True,
        osl_reference="26 kap. 1 § OSL",
        by=granskare,
    )
    client.force_login(chief)
    response = client.post(reverse("casework:meeting_send", args=[meeting.pk]))
    assert response.status_code == 302

    assert wait_for(
        lambda: (
            RenderedDocument.objects.count() == 4
            and not RenderedDocument.objects.exclude(status=RenderStatus.DONE).exists()
        )
    ), list(RenderedDocument.objects.values_list("kind", "status", "error"))
    for document in RenderedDocument.objects.all():  # both memos and both bundles
        assert_document_accessible(document)

    memo_pdf = RenderedDocument.objects.for_subject(approved_memo).get(kind=RenderKind.MEMO)
    text = read(memo_pdf)
    assert memo_pdf.page_count == 1
    assert "SN/2024:70" in text and "Socialnämnden godkänner överenskommelse" in text
    assert "Mikael Olofsson" in text and "Förvaltningschef" in text
    assert "sida 1 (1)" in text

    public = RenderedDocument.objects.get(kind=RenderKind.BUNDLE_PUBLIC)
    internal = RenderedDocument.objects.get(kind=RenderKind.BUNDLE_INTERNAL)
    public_text, internal_text = read(public), read(internal)
    assert "Handlingarna publiceras ej med hänvisning till sekretesskänsligt innehåll." in (
        public_text.replace("\n", " ")
    )
    for hidden in ("Barnet Kalle", "Individärende Svensson", secret_case.dnr):
        assert hidden not in public_text
        assert hidden in internal_text
    assert "Ärendelista" in public_text and "Barnahus" in public_text
    assert public.page_count == 3 and internal.page_count == 3
    # The page references in the ärendelista point at the right pages.
    assert f"sida 1 ({public.page_count})" in public_text


# --- A worker killed mid-render: the next worker to start finishes the job -----------------


def report_html(rows: int) -> str:
    from django.template import Context, Engine

    body = "".join(
        f"<tr><td>Rad {number}</td><td>{number * 1023} kr</td><td>Text om rad {number}</td></tr>"
        for number in range(rows)
    )
    template = (
        '{% extends "printing/report.html" %}{% block doctype %}Rapport{% endblock %}'
        "{% block content %}<h1>Lång rapport</h1><table>" + body + "</table>{% endblock %}"
    )
    return (
        Engine.get_default()
        .from_string(template)
        .render(Context({"document_title": "Lång rapport"}))
    )


class WorkerProcess:
    """`celery worker` as its own process (group), so that it can be killed with SIGKILL."""

    def __init__(self, name: str, log: Path):
        db = connection.settings_dict
        database_url = (
            f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:{db['PORT']}/"
            f"{db['NAME']}"  # the test database
        )
        env = {
            **os.environ,
            "DJANGO_ENV": "test",
            "DATABASE_URL": database_url,
            "DJANGO_MEDIA_ROOT": str(settings.MEDIA_ROOT),
        }
        self.log = log
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "solna_sn",
                "worker",
                "--pool=solo",
                f"--hostname={name}",
                "--loglevel=INFO",
                "--without-mingle",
                "--without-gossip",
            ],
            cwd=ROOT,
            env=env,
            stdout=log.open("ab"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def wait_ready(self):
        assert wait_for(lambda: " ready." in self.log.read_text(), timeout=60), self.log.read_text()

    def kill(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()


@pytest.fixture
def worker_processes():
    if not settings.CELERY_BROKER_URL.startswith("redis://"):
        pytest.skip("needs the Redis broker that `make test` starts")
    app.control.purge()
    started = []
    yield started
    for worker in started:
        worker.stop()


def test_a_render_whose_worker_was_killed_is_finished_by_the_next_worker(
    worker_processes, tmp_path, transactional_db
):
    name = f"requeue-{os.getpid()}@{socket.gethostname()}"
    first = WorkerProcess(name, tmp_path / "first.log")
    worker_processes.append(first)
    first.wait_ready()

    document = printing_services.request_report(
        subject=("tests.killed", 1), title="Lång rapport", html=report_html(400)
    )
    assert wait_for(
        lambda: RenderedDocument.objects.get(pk=document.pk).status == RenderStatus.RUNNING,
        timeout=30,
    ), first.log.read_text()
    first.kill()  # kill -9 in the middle of the rendering
    document.refresh_from_db()
    assert document.status == RenderStatus.RUNNING and document.attempts == 1

    # Restarted under the same name (make run, systemd, a container restart).
    second = WorkerProcess(name, tmp_path / "second.log")
    worker_processes.append(second)
    second.wait_ready()
    assert wait_for(
        lambda: RenderedDocument.objects.get(pk=document.pk).status == RenderStatus.DONE,
        timeout=120,
    ), (
        RenderedDocument.objects.values("status", "error").get(pk=document.pk),
        second.log.read_text(),
    )
    document.refresh_from_db()
    assert document.attempts == 2
    assert "Lång rapport" in read(document) and "Rad 399" in read(document)
    assert AuditEntry.objects.filter(action="render.requeued", target_id=str(document.pk)).exists()
    assert wait_for(lambda: not WorkerClaim.objects.exists(), timeout=10)


def mails_in(folder: Path) -> list:
    """The messages the file backend wrote (each file: messages separated by a line of -)."""
    found = []
    for path in sorted(folder.iterdir()):
        for raw in path.read_bytes().split(b"\n" + b"-" * 79 + b"\n"):
            if raw.strip():
                found.append(email.message_from_bytes(raw, policy=email.policy.default))
    return found


def test_worker_mails_the_writer_when_her_memo_is_returned(
    celery_worker, settings, tmp_path, memo, handlaggare, granskare
):
    """The notification goes through the broker to the worker, which writes the message with
    the file backend (the demo's) into a folder this test reads."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = str(tmp_path)
    settings.SITE_URL = "https://sn.solna.se"
    User.objects.filter(pk=handlaggare.pk).update(email="hanna@solna.se")
    User.objects.filter(pk=granskare.pk).update(email="greta@solna.se")
    services.memo_submit(memo=memo, by=handlaggare)
    assert wait_for(lambda: len(mails_in(tmp_path)) == 1)
    [to_reviewer] = mails_in(tmp_path)
    assert to_reviewer["To"] == "greta@solna.se"
    for path in tmp_path.iterdir():
        path.unlink()

    services.memo_return(memo=memo, by=granskare, comment="Ange kostnaden per år.")
    assert wait_for(lambda: len(mails_in(tmp_path)) == 1)
    [message] = mails_in(tmp_path)
    assert message["To"] == "hanna@solna.se"
    # (A folded encoded header unfolds with a space at the start.)
    assert " ".join(message["Subject"].split()) == (
        "Tjänsteskrivelsen ”Överenskommelse om finansiering av Barnahus Stockholm” har "
        "lämnats tillbaka till dig"
    )
    body = message.get_content()
    assert "Greta Sundin har lämnat tillbaka tjänsteskrivelsen" in body
    assert "Ange kostnaden per år." in body
    assert f"https://sn.solna.se/tjansteskrivelser/{memo.pk}/" in body
