"""A handläggare writes a memo (autosaved), sends it for review; the granskare approves; the
förvaltningschef sends the meeting; the worker's PDF opens for a nämndledamot."""

import datetime
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from casework import services
from casework.models import Memo, MemoState, RenderKind
from printing import services as printing_services
from printing.models import RenderedDocument, RenderStatus
from solna_sn.models import Committee, Role
from tests.e2e.conftest import run_axe, serious
from tests.factories import UnitFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "rätt-lösenord-123"


@pytest.fixture
def people(db):
    unit = UnitFactory(name="Barn- och ungdomsenheten", code="BOU")
    users = {
        "hanna": UserFactory(username="hanna", role=Role.HANDLAGGARE, units=[unit]),
        "greta": UserFactory(username="greta", role=Role.GRANSKARE, title="Stabschef"),
        "mikael": UserFactory(
            username="mikael",
            first_name="Mikael",
            last_name="Olofsson",
            role=Role.FORVALTNINGSCHEF,
            title="Förvaltningschef",
        ),
        "nora": UserFactory(username="nora", role=Role.NAMNDLEDAMOT),
    }
    committee = Committee.objects.get(code="SN")
    case = services.case_register(
        committee=committee,
        title="Överenskommelse om finansiering av Barnahus Stockholm",
        unit=unit,
        by=users["hanna"],
        dnr="SN/2024:70",
        today=datetime.date(2024, 8, 27),
    )
    return users, case


def login(page, username, next_path):
    # Leave the page first: a request still in flight from it (htmx polling a PDF status)
    # would set the old session's cookies again after the clear, and the login form's CSRF
    # token would no longer match.
    page.goto("about:blank")
    page.context.clear_cookies()
    page.goto(next_path)
    expect(page.get_by_label("Användarnamn")).to_be_focused()
    page.keyboard.type(username)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: urlsplit(url).path == next_path)


def render_queued():
    """Stand in for the worker (the Celery path has its own test with a real worker)."""
    for document in RenderedDocument.objects.filter(status=RenderStatus.QUEUED):
        printing_services.run(document.pk)


def test_memo_from_draft_to_the_reading_room(page, people):
    users, case = people
    login(page, "hanna", f"/arenden/{case.pk}/")
    page.get_by_role("button", name="Skriv tjänsteskrivelse").click()
    memo = Memo.objects.get(case=case)
    page.wait_for_url(lambda url: urlsplit(url).path == f"/tjansteskrivelser/{memo.pk}/")
    assert serious(run_axe(page)) == []

    # Sending for review without a förslag till beslut is refused with the reason.
    page.get_by_role("button", name="Skicka till granskning").click()
    expect(page.get_by_text("Förslag till beslut saknas.").first).to_be_visible()

    page.get_by_label("Förslag till beslut").fill(
        "Socialnämnden godkänner överenskommelse om finansiering av Barnahus Stockholm."
    )
    page.get_by_label("Sammanfattning").fill(
        "Solna deltar i Barnahus sedan 2014.\n\n- 438 000 kr per år\n- Ryms inom budget"
    )
    # Autosave: the status line says it is saved, and the database has the text.
    expect(page.locator("#save-status")).to_contain_text("Sparat kl.", timeout=10_000)
    page.get_by_label("Beslutet expedieras till").fill("Ekonomicontroller")
    expect(page.locator("#save-status")).to_contain_text("Sparat kl.", timeout=10_000)
    page.wait_for_function(
        "() => !document.querySelector('#memo-form.htmx-request')", timeout=10_000
    )
    memo.refresh_from_db()
    assert memo.decision_proposal.startswith("Socialnämnden godkänner")
    page.get_by_role("button", name="Skicka till granskning").click()
    expect(page.get_by_text("Tjänsteskrivelsen är skickad till granskning.")).to_be_visible()

    login(page, "greta", f"/tjansteskrivelser/{memo.pk}/")
    page.get_by_role("button", name="Godkänn").click()
    expect(page.get_by_text("Tjänsteskrivelsen är godkänd.")).to_be_visible()
    # The memo PDF, made by the worker, with its status polled by htmx.
    page.get_by_role("button", name="Skapa PDF").click()
    expect(page.locator(".render-status")).to_contain_text("Köad")
    render_queued()
    expect(page.get_by_role("link", name="Öppna PDF")).to_be_visible(timeout=10_000)

    meeting = services.meeting_create(
        committee=case.committee,
        date=datetime.date(2024, 10, 7),
        time=datetime.time(18),
        place="Solna stadshus",
        by=users["greta"],
    )
    services.agenda_item_add(meeting=meeting, case=case, by=users["greta"])
    login(page, "mikael", f"/sammantraden/{meeting.pk}/")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Skicka kallelse och handlingar till nämnden").click()
    expect(page.get_by_text("Kallelsen och handlingarna är skickade")).to_be_visible()
    memo.refresh_from_db()
    assert memo.state == MemoState.SENT
    render_queued()

    login(page, "nora", "/lasrum/")
    assert serious(run_axe(page)) == []
    link = page.get_by_role("link", name="Kallelse och handlingar (PDF")
    expect(link).to_be_visible()
    public = RenderedDocument.objects.for_subject(meeting).get(kind=RenderKind.BUNDLE_PUBLIC)
    response = page.request.get(link.get_attribute("href"))
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF-")
    assert len(response.body()) == public.size
    # The internal variant and the draft pages stay closed to her.
    internal = RenderedDocument.objects.for_subject(meeting).get(kind=RenderKind.BUNDLE_INTERNAL)
    assert page.request.get(f"/pdf/{internal.token}/fil/").status == 403
    assert page.request.get(f"/tjansteskrivelser/{memo.pk}/").status == 403
