"""Systemstatus: a real round trip through the Redis broker to a real Celery worker."""

import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.urls import reverse

from solna_sn.celery import app
from solna_sn.models import Role, WorkerCheck
from tests.factories import UserFactory


@pytest.fixture
def celery_worker(transactional_db):
    if not settings.CELERY_BROKER_URL.startswith("redis://"):
        pytest.skip("needs the Redis broker that `make test` starts")
    with start_worker(
        app, pool="solo", concurrency=1, perform_ping_check=False, shutdown_timeout=10
    ) as worker:
        yield worker


def wait_for(predicate, timeout=20.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


@pytest.mark.celery_worker
def test_worker_check_is_answered_by_a_real_worker(client, celery_worker):
    client.force_login(UserFactory(role=Role.ADMINISTRATOR))
    response = client.post(reverse("system_status"), HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "väntar på svar" in html
    check = WorkerCheck.objects.get()
    assert f'hx-get="{reverse("worker_check", args=[check.pk])}"' in html

    assert wait_for(lambda: WorkerCheck.objects.get(pk=check.pk).answered)
    check.refresh_from_db()
    assert check.worker_hostname

    fragment = client.get(reverse("worker_check", args=[check.pk])).content.decode()
    assert "Klar" in fragment and check.worker_hostname in fragment
    assert "hx-trigger" not in fragment  # polling stops once answered


def test_worker_check_without_htmx_redirects_with_message(client, db):
    client.force_login(UserFactory(role=Role.ADMINISTRATOR))
    response = client.post(reverse("system_status"), follow=True)
    assert "Kontrollen är skickad till bakgrundsarbetaren." in response.content.decode()
    assert WorkerCheck.objects.count() == 1


def test_system_status_shows_the_database(client, db):
    client.force_login(UserFactory(role=Role.ADMINISTRATOR))
    html = client.get(reverse("system_status")).content.decode()
    assert "Databastyp: postgresql" in html
    assert "Ingen kontroll har gjorts ännu." in html


def test_unknown_worker_check_is_404(client, db):
    client.force_login(UserFactory(role=Role.ADMINISTRATOR))
    assert client.get(reverse("worker_check", args=[999999])).status_code == 404
