"""The 10-item meeting bundle both PDF benches measure (call after `_demo_db.setup()`)."""

import datetime

from django.core.files.storage import default_storage

from casework import demo, documents, services
from casework.models import Case, MemoState
from solna_sn.models import Committee, User


def bundle(items: int):
    """A meeting with exactly `items` items that have approved or sent memos, cases whose memo
    has uploaded enclosures first (so the splice is part of the bundle), extra memos with
    texts of realistic length. Returns (meeting, internal bundle HTML, inserts, their bytes)."""
    committee = Committee.objects.get(code="SN")
    granskare = User.objects.get(username="granskare")
    chief = User.objects.get(username="forvaltningschef")
    cases = sorted(
        Case.objects.filter(
            committee=committee, memos__state__in=[MemoState.APPROVED, MemoState.SENT]
        ).distinct(),
        key=lambda case: (not case.memos.filter(attachments__isnull=False).exists(), case.pk),
    )[:items]
    filler = demo.MEMOS[0]
    for number in range(len(cases) + 1, items + 1):
        case = services.case_register(
            committee=committee,
            title=f"Bänkärende {number}",
            by=granskare,
            unit=cases[0].unit,
            today=datetime.date(2024, 9, 2),
        )
        extra = services.memo_create(case=case, by=granskare, date=datetime.date(2024, 9, 23))
        extra = services.memo_save(
            memo=extra,
            version=extra.version,
            data={
                "title": case.title,
                "date": extra.date,
                "decision_proposal": filler.decision_proposal,
                "summary": filler.summary,
                "dispatch_to": "Kommunstyrelsen",
                "dispatch_bulleted": False,
            },
            by=granskare,
        )
        extra = services.memo_submit(memo=extra, by=granskare)
        # Fyraögonprincipen: the granskare wrote it, so the förvaltningschef approves.
        services.memo_approve(memo=extra, by=chief)
        cases.append(case)
    meeting = services.meeting_create(
        committee=committee,
        date=datetime.date(2024, 11, 4),
        time=datetime.time(18, 0),
        place=demo.PLACE,
        by=granskare,
    )
    for case in cases:
        services.agenda_item_add(meeting=meeting, by=granskare, case=case)
    assert meeting.items.filter(memo__isnull=False).count() == items
    html, inserts = documents.bundle_html(meeting, internal=True)
    data = []
    for insert in inserts:
        with default_storage.open(insert["name"], "rb") as handle:
            data.append(handle.read())
    return meeting, html, inserts, data
