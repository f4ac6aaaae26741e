"""E-mail when something is handed to you for review, returned to you or approved.

Every app calls `notify()` from the service that makes the change, inside its transaction:
the message goes to the broker only after the change is committed (a rolled-back change mails
nobody), and the worker builds and sends it (`deliver`, the task in solna_sn.tasks). The worker
decides the recipients again when it sends: never the one who did it, never an inactive user,
a user without an e-mail address or one who has turned notifications off (Mina inställningar).

The texts are Swedish and name the thing the way the caller does: `what` is its definite form
("tjänsteskrivelsen", "kontrollresultatet"), `title` its title, `path` the page to act on
(made absolute with settings.SITE_URL, since the worker has no request).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.core import mail
from django.db import transaction
from django.urls import reverse

from solna_sn.celery import app as celery_app
from solna_sn.models import AuditEntry, User

NOTIFY_TASK = "solna_sn.send_notifications"

RETURNED = "returned"
REVIEW = "review"
APPROVED = "approved"
ASSIGNED = "assigned"

# event → (subject, first line of the body); {What} is `what` capitalised.
TEXTS = {
    RETURNED: (
        "{What} ”{title}” har lämnats tillbaka till dig",
        "{actor} har lämnat tillbaka {what} ”{title}” till dig.",
    ),
    REVIEW: (
        "{What} ”{title}” väntar på granskning",
        "{actor} har lämnat {what} ”{title}” till granskning.",
    ),
    APPROVED: (
        "{What} ”{title}” har godkänts",
        "{actor} har godkänt {what} ”{title}”.",
    ),
    ASSIGNED: (
        "{What} ”{title}” har lämnats till dig",
        "{actor} har lämnat {what} ”{title}” till dig att skriva.",
    ),
}
COMMENT_HEADING = {RETURNED: "Kommentar från granskningen:"}
ACT_LINE = {
    RETURNED: "Ändra och skicka den igen här:",
    REVIEW: "Granska den här:",
    APPROVED: "Se den här:",
    ASSIGNED: "Skriv här:",
}
FOOTER = (
    "Det här meddelandet kommer från Socialnämndens planering och uppföljning. "
    "Du kan stänga av e-post om handlingar under Mina inställningar:"
)
SUBJECT_MAX = 200

_paused: ContextVar[bool] = ContextVar("notifications_paused", default=False)


@contextmanager
def paused() -> Iterator[None]:
    """No notifications from what is done inside (loading the demo: its story happened long
    ago, and nobody should be mailed about it)."""
    token = _paused.set(True)
    try:
        yield
    finally:
        _paused.reset(token)


def _pk(user) -> int | None:
    return getattr(user, "pk", user)


def notify(
    event: str,
    *,
    recipients: Iterable,
    by,
    what: str,
    title: str,
    path: str,
    comment: str = "",
) -> None:
    """Queue one e-mail per recipient (users or user ids) for after the commit. The actor
    `by` is never mailed; nothing is queued when nobody is left."""
    if event not in TEXTS:
        raise ValueError(f"Unknown notification event {event!r}")
    if _paused.get():
        return
    actor_id = _pk(by)
    ids = sorted({pk for pk in map(_pk, recipients) if pk is not None and pk != actor_id})
    if not ids:
        return
    payload = {
        "event": event,
        "recipient_ids": ids,
        "actor_id": actor_id,
        "what": what,
        "title": title,
        "path": path,
        "comment": comment,
    }
    transaction.on_commit(lambda: celery_app.send_task(NOTIFY_TASK, kwargs=payload))


def reviewers(roles: Iterable[str]) -> list[int]:
    """The active users with one of `roles` (those a thing is handed to for review)."""
    return list(
        User.objects.filter(role__in=list(roles), is_active=True).values_list("pk", flat=True)
    )


def last_actor(target, action: str) -> int | None:
    """Who last did `action` to `target`, by the audit trail (such as who sent it for review)."""
    return (
        AuditEntry.objects.filter(
            target_type=target._meta.label_lower, target_id=str(target.pk), action=action
        )
        .order_by("-at", "-id")
        .values_list("actor_id", flat=True)
        .first()
    )


def absolute_url(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def recipients_for(recipient_ids: Iterable[int], actor_id: int | None):
    """Who gets the message when it is sent: active, with an address, not turned off, not
    the actor."""
    return (
        User.objects.filter(pk__in=list(recipient_ids), is_active=True, notify_by_email=True)
        .exclude(email="")
        .exclude(pk=actor_id)
        .order_by("pk")
    )


def build_message(
    *, event: str, recipient, actor_name: str, what: str, title: str, path: str, comment: str
) -> mail.EmailMessage:
    subject_text, first_line = TEXTS[event]
    names = {"What": what[:1].upper() + what[1:], "what": what, "title": title}
    subject = " ".join(subject_text.format(**names).split())
    if len(subject) > SUBJECT_MAX:
        subject = subject[: SUBJECT_MAX - 1] + "…"
    lines = [
        f"Hej {recipient.get_full_name() or recipient.username}!",
        "",
        first_line.format(actor=actor_name, **names),
    ]
    if comment and event in COMMENT_HEADING:
        lines += ["", COMMENT_HEADING[event], comment]
    lines += [
        "",
        ACT_LINE[event],
        absolute_url(path),
        "",
        "-- ",
        FOOTER,
        absolute_url(reverse("my_settings")),
    ]
    return mail.EmailMessage(
        subject=subject,
        body="\n".join(lines) + "\n",
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[recipient.email],
    )


def deliver(
    *,
    event: str,
    recipient_ids: list[int],
    actor_id: int | None,
    what: str,
    title: str,
    path: str,
    comment: str = "",
) -> int:
    """Build and send the messages of one notification (the worker's task). Returns how
    many were sent."""
    actor = User.objects.filter(pk=actor_id).first() if actor_id else None
    actor_name = (actor.get_full_name() or actor.username) if actor else "Systemet"
    messages = [
        build_message(
            event=event,
            recipient=recipient,
            actor_name=actor_name,
            what=what,
            title=title,
            path=path,
            comment=comment,
        )
        for recipient in recipients_for(recipient_ids, actor_id)
    ]
    if not messages:
        return 0
    with mail.get_connection() as connection:
        return connection.send_messages(messages) or 0
