"""Through a real Celery worker and the Redis broker: send a meeting, let the worker render the
memo and both bundles, and read the PDFs."""

import datetime
import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.core.files.storage import default_storage
from django.urls import reverse

from reports import services
from reports.models import RenderedDocument, RenderKind, RenderStatus
from solna_sn.celery import app
from solna_sn.lib import pdf as pdflib
from tests.reports.conftest import fill

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
        label="4-5",
        confidential=True,
        osl_reference="26 kap. 1 § OSL",
        by=granskare,
    )
    client.force_login(chief)
    response = client.post(reverse("reports:meeting_send", args=[meeting.pk]))
    assert response.status_code == 302

    assert wait_for(
        lambda: (
            RenderedDocument.objects.count() == 4
            and not RenderedDocument.objects.exclude(status=RenderStatus.DONE).exists()
        )
    ), list(RenderedDocument.objects.values_list("kind", "status", "error"))

    memo_pdf = RenderedDocument.objects.get(kind=RenderKind.MEMO, memo=approved_memo)
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
