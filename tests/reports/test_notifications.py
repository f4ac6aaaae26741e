"""Reports: a section given to a writer mails her; a report sent for review mails
förvaltningsledning; returned or approved, the one who sent it and the section writers."""

import pytest

from reports import services
from tests.conftest import give_addresses

pytestmark = pytest.mark.django_db


def test_assigning_submitting_returning_and_approving_mail_who_must_act(
    django_capture_on_commit_callbacks, queued_notifications, report, people
):
    give_addresses(*people.values())
    writer, other, granskare, chief = (people[k] for k in ("writer", "other", "granskare", "chief"))
    section = report.sections.get(title="Sammanfattning")
    with django_capture_on_commit_callbacks(execute=True):
        services.section_assign(section=section, writer=other, by=granskare)
        services.section_assign(section=section, writer=other, by=granskare)  # no change
    assert queued_notifications.deliver() == [
        (
            "annan@solna.se",
            f"Avsnittet ”Sammanfattning i {report.title}” har lämnats till dig",
        )
    ]
    with django_capture_on_commit_callbacks(execute=True):
        services.report_submit(report=report, by=writer)
    title = f"”{report.title}”"
    assert queued_notifications.deliver() == [
        ("chef@solna.se", f"Rapporten {title} väntar på granskning"),
        ("granskare@solna.se", f"Rapporten {title} väntar på granskning"),
    ]
    with django_capture_on_commit_callbacks(execute=True):
        services.report_return(report=report, by=granskare, comment="Skriv om prognosen.")
    assert queued_notifications.deliver() == [
        ("annan@solna.se", f"Rapporten {title} har lämnats tillbaka till dig"),
        ("skribent@solna.se", f"Rapporten {title} har lämnats tillbaka till dig"),
    ]
    with django_capture_on_commit_callbacks(execute=True):
        services.report_submit(report=report, by=writer)
    queued_notifications.deliver()
    with django_capture_on_commit_callbacks(execute=True):
        services.report_approve(report=report, by=chief)
    assert queued_notifications.deliver() == [
        ("annan@solna.se", f"Rapporten {title} har godkänts"),
        ("skribent@solna.se", f"Rapporten {title} har godkänts"),
    ]
