"""E-mail notifications (solna_sn.notifications): who gets them, what they say, when they go,
and the page where a user turns them off. The broker is faked at the process boundary; the
task body runs here and sends with Django's locmem backend (mail.outbox)."""

import pytest
from django.core import mail
from django.db import transaction
from django.test import override_settings
from django.urls import reverse

from solna_sn import notifications, tasks
from solna_sn.models import AuditEntry, Role, User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


class SentTasks(list):
    """The broker, faked at the process boundary: the tasks that would have been sent."""

    def send_task(self, name, kwargs=None, **options):
        self.append((name, kwargs))

    def run(self):
        """Run what was sent, as the worker would."""
        for name, kwargs in self:
            assert name == notifications.NOTIFY_TASK
            tasks.send_notifications(**kwargs)


@pytest.fixture
def sent_tasks(monkeypatch):
    sent = SentTasks()
    monkeypatch.setattr(notifications.celery_app, "send_task", sent.send_task)
    return sent


@pytest.fixture
def writer(unit):
    return UserFactory(
        username="hanna",
        first_name="Hanna",
        last_name="Holm",
        email="hanna@solna.se",
        role=Role.HANDLAGGARE,
        units=[unit],
    )


@pytest.fixture
def reviewer(unit):
    return UserFactory(
        username="greta",
        first_name="Greta",
        last_name="Sundin",
        email="greta@solna.se",
        role=Role.GRANSKARE,
    )


def notify_returned(recipients, by, **extra):
    notifications.notify(
        notifications.RETURNED,
        recipients=recipients,
        by=by,
        what="tjänsteskrivelsen",
        title="Barnahus Stockholm",
        path="/tjansteskrivelser/7/",
        comment="Lägg till kostnaden per år.",
        **extra,
    )


@override_settings(SITE_URL="https://sn.solna.se")
def test_a_returned_memo_mails_the_writer_in_swedish_with_the_comment_and_the_link(
    django_capture_on_commit_callbacks, sent_tasks, writer, reviewer
):
    with django_capture_on_commit_callbacks(execute=True):
        notify_returned([writer], reviewer)
    sent_tasks.run()
    [message] = mail.outbox
    assert message.to == ["hanna@solna.se"]
    assert message.subject == (
        "Tjänsteskrivelsen ”Barnahus Stockholm” har lämnats tillbaka till dig"
    )
    assert message.body.startswith("Hej Hanna Holm!\n\nGreta Sundin har lämnat tillbaka ")
    assert "Kommentar från granskningen:\nLägg till kostnaden per år.\n" in message.body
    assert "https://sn.solna.se/tjansteskrivelser/7/\n" in message.body
    assert "https://sn.solna.se/mina-installningar/" in message.body


def test_nothing_is_queued_before_the_commit_and_nothing_after_a_rollback(
    django_capture_on_commit_callbacks, sent_tasks, writer, reviewer
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        notify_returned([writer], reviewer)
        assert sent_tasks == []  # still inside the transaction
    assert len(callbacks) == 1
    assert sent_tasks == [
        (
            notifications.NOTIFY_TASK,
            {
                "event": "returned",
                "recipient_ids": [writer.pk],
                "actor_id": reviewer.pk,
                "what": "tjänsteskrivelsen",
                "title": "Barnahus Stockholm",
                "path": "/tjansteskrivelser/7/",
                "comment": "Lägg till kostnaden per år.",
            },
        )
    ]

    sent_tasks.clear()
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        notify_returned([writer], reviewer)
        raise RuntimeError("the change fails")
    assert callbacks == [] and sent_tasks == []


def test_the_actor_is_never_mailed(django_capture_on_commit_callbacks, sent_tasks, reviewer):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        notify_returned([reviewer, reviewer.pk], reviewer)
    assert callbacks == [] and sent_tasks == []
    # Nor when the task is given her anyway.
    assert (
        notifications.deliver(
            event=notifications.APPROVED,
            recipient_ids=[reviewer.pk],
            actor_id=reviewer.pk,
            what="rapporten",
            title="Delårsrapport 2024",
            path="/rapporter/1/",
        )
        == 0
    )
    assert mail.outbox == []


def test_opted_out_inactive_and_address_less_users_get_nothing(writer, reviewer, unit):
    opted_out = UserFactory(username="olle", email="olle@solna.se", notify_by_email=False)
    inactive = UserFactory(username="ines", email="ines@solna.se", is_active=False)
    no_address = UserFactory(username="nils", email="")
    sent = notifications.deliver(
        event=notifications.REVIEW,
        recipient_ids=[opted_out.pk, inactive.pk, no_address.pk, reviewer.pk],
        actor_id=writer.pk,
        what="tjänsteskrivelsen",
        title="Barnahus Stockholm",
        path="/tjansteskrivelser/7/",
    )
    assert sent == 1
    assert [m.to for m in mail.outbox] == [["greta@solna.se"]]
    assert mail.outbox[0].subject == ("Tjänsteskrivelsen ”Barnahus Stockholm” väntar på granskning")
    assert "Hanna Holm har lämnat tjänsteskrivelsen ”Barnahus Stockholm” till granskning." in (
        mail.outbox[0].body
    )


def test_turning_off_after_the_change_but_before_the_worker_sends_is_respected(
    django_capture_on_commit_callbacks, sent_tasks, writer, reviewer
):
    with django_capture_on_commit_callbacks(execute=True):
        notify_returned([writer], reviewer)
    User.objects.filter(pk=writer.pk).update(notify_by_email=False)
    sent_tasks.run()
    assert mail.outbox == []


def test_each_event_has_its_own_subject(writer, reviewer):
    for event, subject in (
        (notifications.APPROVED, "Rapporten ”Delårsrapport 2024” har godkänts"),
        (notifications.ASSIGNED, "Rapporten ”Delårsrapport 2024” har lämnats till dig"),
    ):
        mail.outbox = []
        notifications.deliver(
            event=event,
            recipient_ids=[writer.pk],
            actor_id=reviewer.pk,
            what="rapporten",
            title="Delårsrapport 2024",
            path="/rapporter/1/",
        )
        assert [m.subject for m in mail.outbox] == [subject]


def test_an_unknown_event_is_a_programming_error(writer, reviewer):
    with pytest.raises(ValueError):
        notifications.notify(
            "deleted", recipients=[writer], by=reviewer, what="", title="", path=""
        )


# --- Mina inställningar ------------------------------------------------------------------------


def test_the_header_links_to_my_settings_and_the_page_shows_the_address(client, writer):
    client.force_login(writer)
    start = client.get(reverse("start")).content.decode()
    assert f'href="{reverse("my_settings")}">Mina inställningar</a>' in start
    page = client.get(reverse("my_settings")).content.decode()
    assert "<h1>Mina inställningar</h1>" in page
    assert 'E-post skickas till <strong class="email-address">hanna@solna.se</strong>.' in page
    assert '<label for="id_notify_by_email">Skicka e-post till mig om handlingar</label>' in page
    assert 'name="notify_by_email" aria-describedby="id_notify_by_email_helptext"' in page
    assert "checked" in page


def test_turning_notifications_off_and_on_is_saved_audited_and_confirmed(client, writer):
    client.force_login(writer)
    response = client.post(reverse("my_settings"), {}, follow=True)
    writer.refresh_from_db()
    assert writer.notify_by_email is False
    assert "Dina inställningar har sparats." in response.content.decode()
    entry = AuditEntry.objects.get(action="user.preferences_saved")
    assert (entry.actor_id, entry.changes) == (
        writer.pk,
        {"e-post om handlingar": [True, False]},
    )
    assert (
        "checked"
        not in client.get(reverse("my_settings"))
        .content.decode()
        .split('name="notify_by_email"')[1]
        .split(">")[0]
    )

    client.post(reverse("my_settings"), {"notify_by_email": "on"})
    writer.refresh_from_db()
    assert writer.notify_by_email is True


def test_a_user_without_an_address_is_told_why_no_mail_comes(client, unit):
    user = UserFactory(username="nils", email="", role=Role.CONTROLLER, units=[unit])
    client.force_login(user)
    page = client.get(reverse("my_settings")).content.decode()
    assert "Du har ingen e-postadress i systemet" in page


def test_my_settings_needs_a_login(client):
    response = client.get(reverse("my_settings"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_nothing_is_queued_while_paused_as_when_loading_the_demo(
    django_capture_on_commit_callbacks, sent_tasks, writer, reviewer
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with notifications.paused():
            notify_returned([writer], reviewer)
        assert len(callbacks) == 0
        notify_returned([writer], reviewer)  # after the pause, as usual
    assert len(callbacks) == 1 and len(sent_tasks) == 1
