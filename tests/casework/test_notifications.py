"""A memo sent for review mails the reviewers, a returned one its writer with the comment, an
approved one its writer; after the commit, never the actor (see tests/core/test_notifications.py
for the rules shared by every app)."""

import pytest
from django.core import mail
from django.test import override_settings
from django.urls import reverse

from casework import services
from solna_sn import notifications, tasks
from solna_sn.models import User
from tests.casework.conftest import fill

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent_tasks(monkeypatch):
    sent = []
    monkeypatch.setattr(
        notifications.celery_app,
        "send_task",
        lambda name, kwargs=None, **options: sent.append((name, kwargs)),
    )
    return sent


@pytest.fixture(autouse=True)
def addresses(handlaggare, granskare, chief):
    for user in (handlaggare, granskare, chief):
        User.objects.filter(pk=user.pk).update(email=f"{user.username}@solna.se")


def run(sent_tasks):
    for name, kwargs in sent_tasks:
        assert name == notifications.NOTIFY_TASK
        tasks.send_notifications(**kwargs)
    sent_tasks.clear()
    outbox = sorted((m.to[0], m.subject) for m in mail.outbox)
    mail.outbox = []
    return outbox


@override_settings(SITE_URL="https://sn.solna.se")
def test_submit_return_and_approve_mail_the_right_people(
    django_capture_on_commit_callbacks, sent_tasks, memo, handlaggare, granskare, chief
):
    with django_capture_on_commit_callbacks(execute=True):
        services.memo_submit(memo=memo, by=handlaggare)
    title = "”Överenskommelse om finansiering av Barnahus Stockholm”"
    assert run(sent_tasks) == [
        ("greta@solna.se", f"Tjänsteskrivelsen {title} väntar på granskning"),
        ("mikael@solna.se", f"Tjänsteskrivelsen {title} väntar på granskning"),
    ]

    with django_capture_on_commit_callbacks(execute=True):
        services.memo_return(memo=memo, by=granskare, comment="Ange kostnaden per år.")
    [(_name, kwargs)] = sent_tasks
    assert kwargs["path"] == reverse("casework:memo_detail", args=[memo.pk])
    tasks.send_notifications(**kwargs)
    [message] = mail.outbox
    assert message.to == ["hanna@solna.se"]
    assert message.subject == f"Tjänsteskrivelsen {title} har lämnats tillbaka till dig"
    assert "Greta Sundin har lämnat tillbaka tjänsteskrivelsen" in message.body
    assert "Kommentar från granskningen:\nAnge kostnaden per år." in message.body
    assert f"https://sn.solna.se/tjansteskrivelser/{memo.pk}/" in message.body
    sent_tasks.clear()
    mail.outbox = []

    with django_capture_on_commit_callbacks(execute=True):
        services.memo_submit(memo=memo, by=handlaggare)
    run(sent_tasks)
    with django_capture_on_commit_callbacks(execute=True):
        services.memo_approve(memo=memo, by=chief)
    assert run(sent_tasks) == [("hanna@solna.se", f"Tjänsteskrivelsen {title} har godkänts")]


def test_nothing_is_sent_before_the_commit(
    django_capture_on_commit_callbacks, sent_tasks, memo, handlaggare
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.memo_submit(memo=memo, by=handlaggare)
    assert sent_tasks == [] and mail.outbox == []
    assert len(callbacks) == 1


def test_a_reviewer_who_returns_her_own_memo_is_not_mailed(
    django_capture_on_commit_callbacks, sent_tasks, case, granskare, handlaggare
):
    memo = fill(services.memo_create(case=case, by=granskare), granskare)
    with django_capture_on_commit_callbacks(execute=True):
        services.memo_submit(memo=memo, by=granskare)
    # The other reviewer is told; the one who sent it is not.
    assert [to for to, _ in run(sent_tasks)] == ["mikael@solna.se"]
    with django_capture_on_commit_callbacks(execute=True):
        services.memo_return(memo=memo, by=granskare, comment="Jag skriver om den.")
    assert sent_tasks == [] and run(sent_tasks) == []


def test_an_opted_out_writer_is_not_mailed_when_her_memo_is_returned(
    django_capture_on_commit_callbacks, sent_tasks, memo, handlaggare, granskare
):
    User.objects.filter(pk=handlaggare.pk).update(notify_by_email=False)
    services.memo_submit(memo=memo, by=handlaggare)
    with django_capture_on_commit_callbacks(execute=True):
        services.memo_return(memo=memo, by=granskare, comment="Ange kostnaden per år.")
    assert run(sent_tasks) == []
