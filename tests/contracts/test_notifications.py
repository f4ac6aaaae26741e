"""An approved contract follow-up mails the ones who did it, not the approver."""

import pytest

from contracts import services
from tests.conftest import give_addresses
from tests.contracts.test_services import ordinary, rate_all  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


def test_approval_mails_who_started_and_last_changed_the_follow_up(
    django_capture_on_commit_callbacks,
    queued_notifications,
    ordinary,  # noqa: F811
    handlaggare,
    controller,
    granskare,
):
    give_addresses(handlaggare, controller, granskare)
    rate_all(ordinary, controller)
    with django_capture_on_commit_callbacks(execute=True):
        services.followup_approve(followup=ordinary, by=granskare)
    subject = f"Uppföljningen ”{services.followups.document_title(ordinary)}” har godkänts"
    assert queued_notifications.deliver() == sorted(
        [
            (f"{handlaggare.username}@solna.se", subject),
            (f"{controller.username}@solna.se", subject),
        ]
    )
