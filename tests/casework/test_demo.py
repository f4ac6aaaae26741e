"""The demo meeting of 7 October 2024 as `make run` shows it."""

from django.core.files.storage import default_storage
from django.core.management import call_command

from casework.models import AgendaItem, Decision, Meeting, MemoState, RenderKind
from printing.models import RenderedDocument
from solna_sn.lib import pdf as pdflib


def test_demo_reading_room(db, capsys):
    call_command("load_demo")
    meeting = Meeting.objects.get(date="2024-10-07")
    assert meeting.is_sent
    labels = list(meeting.items.values_list("label", flat=True))
    assert labels == ["1", "2", "3", "4-5", "6", "7", "8", "9", "10", "11", "12", "13"]
    secret = AgendaItem.objects.filter(meeting=meeting, confidential=True)
    assert sorted(secret.values_list("label", flat=True)) == ["13", "4-5"]
    barnahus = meeting.items.get(label="6").memo
    assert (barnahus.case.dnr, barnahus.state) == ("SN/2024:70", MemoState.SENT)
    assert [s.name for s in barnahus.signatories.all()] == ["Mikael Olofsson", "Emma Ling"]
    assert barnahus.attachments.get().page_count == 2

    public = RenderedDocument.objects.for_subject(meeting).get(kind=RenderKind.BUNDLE_PUBLIC)
    with default_storage.open(public.file.name, "rb") as handle:
        text = pdflib.text_of(handle.read())
    assert "Ärendelista" in text and "SN/2024:70" in text
    for item in secret:
        assert item.title not in text and item.case.dnr not in text
    assert Decision.objects.get(paragraph=78).reported_back_on is not None

    call_command("load_demo")  # again: nothing duplicated
    assert Meeting.objects.filter(date="2024-10-07").count() == 1
    assert (
        RenderedDocument.objects.for_subject(meeting).filter(kind=RenderKind.BUNDLE_PUBLIC).count()
        == 1
    )
