"""Control results: sent for review → the granskare are mailed; returned or approved → the one
who recorded and sent it."""

import pytest

from controls import services
from tests.conftest import give_addresses
from tests.controls.test_services import record

pytestmark = pytest.mark.django_db


def test_submit_return_and_approve_mail_who_must_act(
    django_capture_on_commit_callbacks, queued_notifications, occasion, handlaggare, granskare
):
    give_addresses(handlaggare, granskare)
    result = record(occasion, handlaggare, rank=0, finding="Inga avvikelser.")
    what = f"Kontrollresultatet ”{occasion}”"
    with django_capture_on_commit_callbacks(execute=True):
        services.result_submit(result=result, by=handlaggare)
    assert queued_notifications.deliver() == [
        (f"{granskare.username}@solna.se", f"{what} väntar på granskning")
    ]
    with django_capture_on_commit_callbacks(execute=True):
        services.result_return(result=result, by=granskare, comment="Ange antalet kontrollerade.")
    [(_, kwargs)] = queued_notifications
    assert kwargs["comment"] == "Ange antalet kontrollerade."
    assert kwargs["path"] == f"/internkontroll/kontroll/{occasion.pk}/"
    assert queued_notifications.deliver() == [
        (f"{handlaggare.username}@solna.se", f"{what} har lämnats tillbaka till dig")
    ]
    with django_capture_on_commit_callbacks(execute=True):
        services.result_submit(result=result, by=handlaggare)
        services.result_approve(result=result, by=granskare)
    assert queued_notifications.deliver() == [
        (f"{granskare.username}@solna.se", f"{what} väntar på granskning"),
        (f"{handlaggare.username}@solna.se", f"{what} har godkänts"),
    ]
