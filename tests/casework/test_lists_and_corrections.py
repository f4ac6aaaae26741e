"""Issue 14, item 12: the tjänsteskrivelser list is searched and filtered from the query string;
an ärende's responsible enhet defaults to the user's own, and title and enhet can be corrected
(audited) until a memo of it is sent; the reading room shows a dnr for every item."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from casework import services
from casework.models import Case, Memo, MemoState, RenderKind
from printing import services as printing_services
from solna_sn.lib.numbers import format_count
from solna_sn.models import AuditEntry, Role
from tests.factories import (
    AdministrationFactory,
    CaseFactory,
    CommitteeFactory,
    MemoFactory,
    UnitFactory,
    UserFactory,
)


def unit_of_another_committee():
    committee = CommitteeFactory(code="ON", name="Omsorgsnämnden", dnr_prefix="ON")
    return UnitFactory(
        name="Hemtjänsten", administration=AdministrationFactory(code="OF", committee=committee)
    )


@pytest.fixture
def sent_case(committee, granskare, chief, approved_memo, django_capture_on_commit_callbacks):
    meeting = services.meeting_create(
        committee=committee,
        date=datetime.date(2024, 10, 7),
        time=datetime.time(18),
        place="Solna stadshus",
        by=granskare,
    )
    services.agenda_item_add(meeting=meeting, case=approved_memo.case, by=granskare)
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_send(meeting=meeting, by=chief)
    approved_memo.refresh_from_db()
    assert approved_memo.state == MemoState.SENT
    return approved_memo.case


def memos_in(response) -> list[str]:
    return [memo.title for memo in response.context["memos"]]


# --- The tjänsteskrivelser list ----------------------------------------------------------------


@pytest.fixture
def three_memos(committee, unit, other_unit):
    author = UserFactory(role=Role.HANDLAGGARE, units=[unit])
    made = []
    for number, (title, memo_unit, state, date) in enumerate(
        [
            ("Barnahus", unit, MemoState.DRAFT, datetime.date(2024, 8, 27)),
            ("Personligt ombud", other_unit, MemoState.REVIEW, datetime.date(2024, 9, 20)),
            ("Icke verkställda beslut", unit, MemoState.APPROVED, datetime.date(2024, 9, 2)),
        ],
        start=1,
    ):
        case = CaseFactory(
            committee=committee,
            year=2024,
            number=number * 10,
            title=title,
            unit=memo_unit,
            registered_by=author,
        )
        made.append(
            MemoFactory(
                case=case,
                administration=unit.administration,
                state=state,
                date=date,
                title=title,
            )
        )
    return made


def test_the_list_is_newest_first_and_filters_by_text_dnr_state_and_unit(
    client, granskare, three_memos, unit, other_unit
):
    client.force_login(granskare)
    url = reverse("casework:memo_list")
    everything = client.get(url)
    assert memos_in(everything) == ["Personligt ombud", "Icke verkställda beslut", "Barnahus"]
    assert "Läge" in everything.content.decode()

    assert memos_in(client.get(url, {"q": "barna"})) == ["Barnahus"]
    assert memos_in(client.get(url, {"q": "SN/2024:20"})) == ["Personligt ombud"]
    assert memos_in(client.get(url, {"state": MemoState.APPROVED})) == ["Icke verkställda beslut"]
    assert memos_in(client.get(url, {"unit": other_unit.pk})) == ["Personligt ombud"]
    by_unit_and_state = client.get(url, {"unit": unit.pk, "state": MemoState.DRAFT})
    assert memos_in(by_unit_and_state) == ["Barnahus"]
    by_dnr = client.get(url, {"order": "dnr"})
    assert memos_in(by_dnr) == ["Icke verkställda beslut", "Personligt ombud", "Barnahus"]
    # The filter is a GET form with labels: it works without JavaScript and lives in the URL.
    page = by_unit_and_state.content.decode()
    assert 'method="get"' in page and 'for="id_state"' in page and 'for="id_unit"' in page
    assert f'<option value="{unit.pk}" selected>' in page


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"state": "arkiverad"}, "Okänt läge: välj ett av lägena i listan."),
        ({"unit": "999999"}, "Okänd enhet: välj en av enheterna i listan."),
        ({"unit": "BOU"}, "Okänd enhet: välj en av enheterna i listan."),
        ({"order": "slump"}, "Okänd ordning: välj datum eller diarienummer."),
    ],
)
def test_an_unknown_filter_value_says_so_in_swedish_and_filters_nothing(
    client, granskare, three_memos, params, message
):
    client.force_login(granskare)
    response = client.get(reverse("casework:memo_list"), params)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert len(memos_in(response)) == 3
    assert Memo.objects.count() == 3


def test_a_unit_outside_the_committee_is_not_a_filter(client, granskare, three_memos):
    stranger = unit_of_another_committee()
    client.force_login(granskare)
    response = client.get(reverse("casework:memo_list"), {"unit": stranger.pk})
    assert response.status_code == 400
    assert "Okänd enhet" in response.content.decode()


def test_the_memo_list_costs_the_same_queries_for_one_and_three_memos(
    client, granskare, committee, unit
):
    client.force_login(granskare)
    url = reverse("casework:memo_list")

    def count(params) -> int:
        client.get(url, params)  # session and committee warm
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, params)
        assert response.status_code == 200
        return len(queries)

    MemoFactory(
        case=CaseFactory(committee=committee, unit=unit), administration=unit.administration
    )
    one = count({}), count({"q": "Ärende", "state": MemoState.DRAFT, "unit": unit.pk})
    for _ in range(2):
        MemoFactory(
            case=CaseFactory(committee=committee, unit=unit), administration=unit.administration
        )
    three = count({}), count({"q": "Ärende", "state": MemoState.DRAFT, "unit": unit.pk})
    assert one == three


# --- Ärenden: default enhet and corrections -----------------------------------------------------


def test_the_register_form_proposes_the_users_own_unit(client, handlaggare, committee, unit):
    client.force_login(handlaggare)
    response = client.get(reverse("casework:case_list"))
    assert response.context["form"]["unit"].value() == unit.pk
    assert f'<option value="{unit.pk}" selected>' in response.content.decode()


def test_title_and_unit_can_be_corrected_and_the_change_is_audited(
    client, handlaggare, case, unit, other_unit
):
    client.force_login(handlaggare)
    response = client.post(
        reverse("casework:case_edit", args=[case.pk]),
        {"title": "Barnahus Stockholm, ny överenskommelse", "unit": other_unit.pk},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.title == "Barnahus Stockholm, ny överenskommelse"
    assert case.unit == other_unit
    entry = AuditEntry.objects.get(action="case.corrected")
    assert entry.changes == {
        "enhet": ["Barn- och ungdomsenheten", "Vuxenenheten"],
        "rubrik": [
            "Överenskommelse om finansiering av Barnahus Stockholm",
            "Barnahus Stockholm, ny överenskommelse",
        ],
    }
    assert entry.actor_id == handlaggare.pk


def test_a_case_with_a_sent_memo_cannot_be_corrected(client, granskare, sent_case, unit):
    client.force_login(granskare)
    before = (sent_case.title, sent_case.unit_id)
    page = client.get(reverse("casework:case_detail", args=[sent_case.pk])).content.decode()
    assert "Rubrik och ansvarig enhet kan inte längre ändras" in page
    assert reverse("casework:case_edit", args=[sent_case.pk]) not in page
    response = client.post(
        reverse("casework:case_edit", args=[sent_case.pk]), {"title": "Ny", "unit": unit.pk}
    )
    assert response.status_code == 302
    followed = client.get(response["Location"]).content.decode()
    assert f"Ärendet {sent_case.dnr} har en tjänsteskrivelse som har skickats" in followed
    sent_case.refresh_from_db()
    assert (sent_case.title, sent_case.unit_id) == before
    assert not AuditEntry.objects.filter(action="case.corrected").exists()
    with pytest.raises(services.StateError):
        services.case_correct(case=sent_case, title="Ny", unit=None, by=granskare)


def test_another_units_case_is_refused_with_the_reason(client, case, other_unit, unit):
    outsider = UserFactory(role=Role.HANDLAGGARE, units=[other_unit], username="ville")
    client.force_login(outsider)
    page = client.get(reverse("casework:case_detail", args=[case.pk])).content.decode()
    assert "Ärendet tillhör Barn- och ungdomsenheten. Du kan läsa det men inte ändra." in page
    response = client.post(
        reverse("casework:case_edit", args=[case.pk]), {"title": "Kapat", "unit": unit.pk}
    )
    assert response.status_code == 403
    assert "Ärendet tillhör Barn- och ungdomsenheten" in response.content.decode()
    case.refresh_from_db()
    assert case.title == "Överenskommelse om finansiering av Barnahus Stockholm"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"title": "", "unit": ""}, "Ange ärendets rubrik."),
        ({"title": "Rubrik", "unit": "999999"}, "Välj en av nämndens enheter i listan."),
        ({"title": "Rubrik", "unit": "BOU"}, "Välj en av nämndens enheter i listan."),
    ],
)
def test_bad_corrections_say_so_and_change_nothing(client, handlaggare, case, body, message):
    client.force_login(handlaggare)
    response = client.post(reverse("casework:case_edit", args=[case.pk]), body)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Case.objects.get(pk=case.pk).title == case.title
    assert not AuditEntry.objects.filter(action="case.corrected").exists()


def test_a_unit_of_another_committee_is_refused_by_the_service(handlaggare, case):
    stranger = unit_of_another_committee()
    with pytest.raises(services.ValidationError) as raised:
        services.case_correct(case=case, title=case.title, unit=stranger, by=handlaggare)
    assert "Enheten hör inte till" in str(raised.value)
    assert Case.objects.get(pk=case.pk).unit == case.unit


# --- The reading room ---------------------------------------------------------------------------


def test_the_reading_room_shows_a_dnr_for_every_item(client, granskare, member, sent_case):
    client.force_login(member)
    page = client.get(reverse("casework:reading_room")).content.decode()
    assert sent_case.dnr in page
    client.force_login(granskare)
    page = client.get(reverse("casework:reading_room")).content.decode()
    assert sent_case.dnr in page


# --- Issue 14, item 11: a read-only page says why ----------------------------------------------


def test_a_memo_of_another_unit_says_whose_it_is(client, memo, other_unit):
    outsider = UserFactory(role=Role.HANDLAGGARE, units=[other_unit], username="ville")
    client.force_login(outsider)
    page = client.get(reverse("casework:memo_detail", args=[memo.pk])).content.decode()
    assert (
        "Tjänsteskrivelsen tillhör Barn- och ungdomsenheten. Du kan läsa den men inte ändra."
        in page
    )


def test_a_memo_in_review_or_sent_says_why_it_is_locked(client, handlaggare, memo, sent_case):
    client.force_login(handlaggare)
    sent = sent_case.memos.get()
    page = client.get(reverse("casework:memo_detail", args=[sent.pk])).content.decode()
    assert (
        "Tjänsteskrivelsen är skickad till nämnden och låst. Ändringar görs i en ny revision."
        in page
    )


def test_the_writer_of_a_draft_gets_no_read_only_note(client, handlaggare, memo):
    client.force_login(handlaggare)
    page = client.get(reverse("casework:memo_detail", args=[memo.pk])).content.decode()
    assert "read-only-note" not in page
    services.memo_submit(memo=memo, by=handlaggare)
    page = client.get(reverse("casework:memo_detail", args=[memo.pk])).content.decode()
    assert "Tjänsteskrivelsen är skickad för granskning och kan inte ändras nu." in page


def test_the_pdf_status_names_its_pages_in_swedish(client, handlaggare, memo):
    document = services.render_request(kind=RenderKind.MEMO, memo=memo)
    printing_services.run(document.pk)
    document.refresh_from_db()
    assert document.page_count >= 1
    client.force_login(handlaggare)
    page = client.get(reverse("casework:memo_detail", args=[memo.pk])).content.decode()
    assert f"({format_count(document.page_count, 'sida', 'sidor')})" in page
    assert "1 sidor" not in page
