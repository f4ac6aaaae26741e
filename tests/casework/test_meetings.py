"""Sammanträden: ärendelista, sekretess, sending, protokollsutdrag and återrapportering."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from casework import documents, services
from casework.models import AgendaItem, Decision, MemoState, RenderKind
from casework.services import meetings
from printing import services as printing_services
from printing.models import RenderedDocument
from solna_sn import ordering
from tests.casework.conftest import fill

MEETING_DAY = datetime.date(2024, 10, 7)


@pytest.fixture
def meeting(committee, granskare):
    return services.meeting_create(
        committee=committee,
        date=MEETING_DAY,
        time=datetime.time(18),
        place="Solna stadshus",
        by=granskare,
    )


@pytest.fixture
def secret_case(committee, handlaggare, unit):
    return services.case_register(
        committee=committee,
        title="Individärende Svensson",
        unit=unit,
        by=handlaggare,
        today=datetime.date(2024, 9, 1),
    )


def approve(memo, writer, reviewer):
    services.memo_submit(memo=memo, by=writer)
    return services.memo_approve(memo=memo, by=reviewer)


def test_meeting_needs_date_time_and_place(committee, granskare):
    with pytest.raises(ValidationError) as caught:
        services.meeting_create(committee=committee, date=None, time=None, place=" ", by=granskare)
    assert set(caught.value.message_dict) == {"date", "time", "place"}


def test_only_leadership_builds_meetings(committee, handlaggare):
    with pytest.raises(PermissionDenied):
        services.meeting_create(
            committee=committee, date=MEETING_DAY, time=datetime.time(18), place="X", by=handlaggare
        )


def test_labels_count_on_and_ranges_are_allowed(meeting, granskare, memo):
    first = services.agenda_item_add(meeting=meeting, case=memo.case, by=granskare)
    assert (first.label, first.title, first.memo_id) == ("1", memo.title, memo.pk)
    secret = services.agenda_item_add(
        meeting=meeting,
        title="Sekretessärende",
        label="4 – 5",
        confidential=True,
        osl_reference="26 kap. 1 § OSL",
        by=granskare,
    )
    assert secret.label == "4-5"
    assert (
        services.agenda_item_add(meeting=meeting, title="Övriga frågor", by=granskare).label == "6"
    )


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"title": "X", "label": "5-4"}, "label"),
        ({"title": "X", "label": "fem"}, "label"),
        ({"title": "X", "label": "0"}, "label"),
        ({"title": ""}, "title"),
        ({"title": "X", "confidential": True}, "osl_reference"),
    ],
)
def test_bad_agenda_items_are_refused(meeting, granskare, kwargs, field):
    with pytest.raises(ValidationError) as caught:
        services.agenda_item_add(meeting=meeting, by=granskare, **kwargs)
    assert field in caught.value.message_dict
    assert not AgendaItem.objects.exists()


def test_a_label_is_used_once(meeting, granskare):
    services.agenda_item_add(meeting=meeting, title="A", label="3", by=granskare)
    with pytest.raises(ValidationError) as caught:
        services.agenda_item_add(meeting=meeting, title="B", label="3", by=granskare)
    assert caught.value.message_dict["label"] == ["Nummer 3 finns redan på ärendelistan."]


def test_sending_needs_every_memo_approved(meeting, granskare, chief, memo, handlaggare):
    services.agenda_item_add(meeting=meeting, case=memo.case, by=granskare)
    with pytest.raises(ValidationError) as caught:
        services.meeting_send(meeting=meeting, by=chief)
    assert "inte godkänd (status utkast)" in caught.value.messages[0]
    meeting.refresh_from_db()
    assert not meeting.is_sent


def test_sending_sends_the_memos_and_locks_the_list(
    django_capture_on_commit_callbacks, meeting, granskare, chief, memo, handlaggare
):
    approve(memo, handlaggare, granskare)
    services.agenda_item_add(meeting=meeting, case=memo.case, by=granskare)
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_send(meeting=meeting, by=chief)
    memo.refresh_from_db()
    assert memo.state == MemoState.SENT
    kinds = sorted(RenderedDocument.objects.values_list("kind", flat=True))
    assert kinds == sorted([RenderKind.MEMO, RenderKind.BUNDLE_PUBLIC, RenderKind.BUNDLE_INTERNAL])
    with pytest.raises(services.StateError):
        services.agenda_item_add(meeting=meeting, title="Sent tillagt", by=granskare)


class SentTasks(list):
    """The broker, faked at the process boundary: the tasks that would have been sent."""

    def send_task(self, name, kwargs=None, **options):
        self.append((name, kwargs))


@pytest.fixture
def sent_tasks(monkeypatch):
    tasks = SentTasks()
    monkeypatch.setattr(printing_services.celery_app, "send_task", tasks.send_task)
    return tasks


def test_sending_makes_the_render_rows_at_once_and_queues_them_on_commit(
    django_capture_on_commit_callbacks, sent_tasks, meeting, granskare, chief, memo, handlaggare
):
    approve(memo, handlaggare, granskare)
    services.agenda_item_add(meeting=meeting, case=memo.case, by=granskare)
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_send(meeting=meeting, by=chief)
        # Inside the transaction: the rows exist, nothing is queued yet.
        assert RenderedDocument.objects.count() == 3
        assert sent_tasks == []
    documents = set(RenderedDocument.objects.values_list("pk", flat=True))
    assert {kwargs["document_id"] for _, kwargs in sent_tasks} == documents


def test_a_failure_after_the_render_request_leaves_no_rows_and_sends_nothing(
    django_capture_on_commit_callbacks, sent_tasks, meeting, granskare, chief, memo, handlaggare
):
    approve(memo, handlaggare, granskare)
    services.agenda_item_add(meeting=meeting, case=memo.case, by=granskare)
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        services.meeting_send(meeting=meeting, by=chief)
        raise RuntimeError("the caller fails after sending")
    assert RenderedDocument.objects.count() == 0
    assert callbacks == []
    assert sent_tasks == []
    meeting.refresh_from_db()
    memo.refresh_from_db()
    assert not meeting.is_sent
    assert memo.state == MemoState.APPROVED


def test_public_bundle_withholds_the_secret_item(
    meeting, granskare, handlaggare, memo, secret_case
):
    secret_memo = fill(
        services.memo_create(case=secret_case, by=handlaggare),
        handlaggare,
        summary="Barnet Kalle behöver placering.",
    )
    services.agenda_item_add(meeting=meeting, case=memo.case, by=granskare)
    services.agenda_item_add(
        meeting=meeting,
        case=secret_case,
        label="4-5",
        confidential=True,
        osl_reference="26 kap. 1 § OSL",
        by=granskare,
    )
    public, _ = documents.bundle_html(meeting, internal=False)
    internal, _ = documents.bundle_html(meeting, internal=True)
    assert "Handlingarna publiceras ej med hänvisning till sekretesskänsligt innehåll." in public
    assert "prövning enligt offentlighets- och sekretesslagen" in public
    for secret in ("Barnet Kalle", "Individärende Svensson", secret_case.dnr):
        assert secret not in public
        assert secret in internal
    assert secret_memo.summary in internal
    assert "Barnahus" in public and "Intern version" in internal and "Intern version" not in public


def _add_items(meeting, count, committee, unit, handlaggare, granskare):
    for n in range(count):
        case = services.case_register(
            committee=committee,
            title=f"Ärende {n}",
            unit=unit,
            by=handlaggare,
            today=datetime.date(2024, 9, 1),
        )
        fill(services.memo_create(case=case, by=handlaggare), handlaggare)
        services.agenda_item_add(meeting=meeting, case=case, by=granskare)


def test_bundle_context_costs_a_fixed_number_of_queries(
    meeting, granskare, handlaggare, committee, unit, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for added in (1, 5):
        _add_items(meeting, added, committee, unit, handlaggare, granskare)
        with CaptureQueriesContext(connection) as queries:
            documents.bundle_html(meeting, internal=True)
        counts.append(len(queries))
    assert counts[0] == counts[1]  # 1 item and 6 items


def test_minutes_and_report_back(
    meeting, granskare, chief, memo, handlaggare, django_capture_on_commit_callbacks
):
    approve(memo, handlaggare, granskare)
    item = services.agenda_item_add(meeting=meeting, case=memo.case, by=granskare)
    other = services.agenda_item_add(meeting=meeting, title="Övriga frågor", by=granskare)
    services.meeting_send(meeting=meeting, by=chief)
    with pytest.raises(services.StateError):
        services.decision_record(
            item=item,
            paragraph=78,
            text="Bifall",
            report_back_required=False,
            by=granskare,
            today=MEETING_DAY - datetime.timedelta(days=1),
        )
    decision = services.decision_record(
        item=item,
        paragraph=78,
        text="Socialnämnden godkänner överenskommelsen.",
        report_back_required=True,
        report_back_due=datetime.date(2025, 3, 1),
        by=granskare,
        today=MEETING_DAY,
    )
    with pytest.raises(ValidationError) as caught:
        services.decision_record(
            item=other,
            paragraph=78,
            text="Inga",
            report_back_required=False,
            by=granskare,
            today=MEETING_DAY,
        )
    assert caught.value.message_dict["paragraph"] == ["§ 78 finns redan i protokollet."]
    assert list(Decision.objects.filter(reported_back_on__isnull=True)) == [decision]
    with pytest.raises(ValidationError):
        services.decision_report_back(decision=decision, on=MEETING_DAY, note="", by=granskare)
    services.decision_report_back(
        decision=decision, on=datetime.date(2025, 2, 3), note="Ärende 5 i februari", by=granskare
    )
    assert not Decision.objects.filter(reported_back_on__isnull=True).exists()
    with pytest.raises(services.StateError):
        services.decision_report_back(decision=decision, on=MEETING_DAY, note="igen", by=granskare)


def _labels(meeting):
    return list(meeting.items.order_by("position").values_list("label", "title"))


def test_removing_the_first_item_numbers_the_list_from_one(meeting, granskare):
    first = services.agenda_item_add(meeting=meeting, title="A", by=granskare)
    services.agenda_item_add(meeting=meeting, title="B", by=granskare)
    services.agenda_item_add(meeting=meeting, title="C", label="3-4", by=granskare)
    services.agenda_item_add(meeting=meeting, title="D", by=granskare)
    services.agenda_item_remove(item=first, by=granskare)
    assert _labels(meeting) == [("1", "B"), ("2-3", "C"), ("4", "D")]


def test_moving_an_item_keeps_the_numbers_in_order_and_the_range_width(meeting, granskare):
    services.agenda_item_add(meeting=meeting, title="A", by=granskare)
    ranged = services.agenda_item_add(meeting=meeting, title="B", label="2-3", by=granskare)
    services.agenda_item_add(meeting=meeting, title="C", by=granskare)
    services.agenda_item_move(item=ranged, direction=ordering.UP, by=granskare)
    assert _labels(meeting) == [("1-2", "B"), ("3", "A"), ("4", "C")]
    services.agenda_item_move(item=ranged, direction=ordering.UP, by=granskare)
    assert _labels(meeting) == [("1-2", "B"), ("3", "A"), ("4", "C")]


def test_sending_refuses_an_agenda_with_a_gap(meeting, granskare, chief):
    services.agenda_item_add(meeting=meeting, title="Anmälningsärenden", label="2", by=granskare)
    with pytest.raises(ValidationError) as caught:
        services.meeting_send(meeting=meeting, by=chief)
    assert caught.value.messages == [
        "Ärendelistan hoppar över nummer 1 före ärende 2; numrera om eller flytta punkterna."
    ]
    meeting.refresh_from_db()
    assert not meeting.is_sent


@pytest.mark.parametrize(
    ("labels", "problems"),
    [
        (["1", "2-3", "4"], []),
        (["1", "4-5", "6"], ["Ärendelistan hoppar över nummer 2-3 före ärende 4-5"]),
        (["1", "2-3", "3"], ["Nummer 3 förekommer två gånger på ärendelistan."]),
        (["2", "1"], ["hoppar över nummer 1 före ärende 2", "Ärende 1 står i fel ordning"]),
    ],
)
def test_numbering_problems_name_gaps_and_duplicates(labels, problems):
    found = meetings.agenda_numbering_problems(labels)
    assert len(found) == len(problems)
    for message, expected in zip(found, problems, strict=True):
        assert expected in message
