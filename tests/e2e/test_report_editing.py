"""Reports in the browser: two writers edit the same section (the first autosave wins, the
second is refused with both texts shown); a writer pastes Word text and finishes a section;
the förvaltningschef goes through the checklist and sends; a nämndledamot opens the PDF.
axe-core on the editor, report and check pages."""

import datetime

import pytest
from django.test import Client
from playwright.sync_api import expect

from casework.models import Case
from goals import services as goal_services
from goals.models import PlanYear
from printing import services as printing_services
from printing.models import RenderedDocument
from reports import services
from reports.models import OutlineSection, ReportKind
from solna_sn.models import Committee, Role
from tests.e2e.conftest import run_axe, serious
from tests.factories import UnitFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def report(db):
    unit = UnitFactory(name="Stabsenheten", code="STAB")
    committee = Committee.objects.get(code="SN")
    greta = UserFactory(
        username="greta", first_name="Greta", last_name="Sundin", role=Role.GRANSKARE
    )
    fredrik = UserFactory(
        username="fredrik", first_name="Fredrik", last_name="Holm", role=Role.FORVALTNINGSCHEF
    )
    goal_services.setup_defaults(committee)
    PlanYear.objects.create(committee=committee, year=2024)
    kind = ReportKind.objects.create(
        committee=committee,
        code="delarsrapport",
        name="Delårsrapport per augusti",
        period="augusti",
    )
    OutlineSection.objects.create(
        kind=kind,
        order=10,
        title="Sammanfattning",
        level=1,
        mode="written",
        anvisning="Det viktigaste från perioden.",
    )
    OutlineSection.objects.create(
        kind=kind, order=20, title="Förväntad utveckling", level=1, mode="written"
    )
    case = Case.objects.create(
        committee=committee,
        year=2023,
        number=1,
        title="Delårsrapport",
        registered_on=datetime.date(2023, 1, 2),
        unit=unit,
    )
    report = services.report_create(kind=kind, year=2024, case=case, by=greta)
    return report, greta, fredrik


def signed_in(browser, live_server, user):
    client = Client()
    client.force_login(user)
    context = browser.new_context(base_url=live_server.url, locale="sv-SE")
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    return context, page


def test_two_writers_in_one_section_the_second_save_is_refused_with_both_texts(
    browser, live_server, report
):
    report, greta, fredrik = report
    section = report.sections.get(title="Sammanfattning")
    url = f"/rapporter/avsnitt/{section.pk}/"
    greta_context, greta_page = signed_in(browser, live_server, greta)
    fredrik_context, fredrik_page = signed_in(browser, live_server, fredrik)
    try:
        greta_page.goto(url)
        fredrik_page.goto(url)
        expect(fredrik_page.get_by_text("Greta Sundin skriver i avsnittet sedan")).to_be_visible()
        assert serious(run_axe(fredrik_page)) == []

        greta_page.locator(".ql-editor").click()
        greta_page.keyboard.type("Gretas sammanfattning av perioden.")
        expect(greta_page.locator("#save-status")).to_contain_text("Sparat kl.")

        fredrik_page.locator(".ql-editor").click()
        fredrik_page.keyboard.type("Fredriks egen text.")
        status = fredrik_page.locator("#save-status")
        expect(status).to_contain_text("Inte sparat")
        expect(status.locator("[data-conflict=stored]")).to_contain_text("Gretas sammanfattning")
        expect(status.locator("[data-conflict=mine]")).to_contain_text("Fredriks egen text.")
        section.refresh_from_db()
        assert "Gretas sammanfattning av perioden." in section.body
        assert "Fredrik" not in section.body

        fredrik_page.goto(f"/rapporter/{report.pk}/")
        expect(fredrik_page.get_by_text("0 av 2 avsnitt klara")).to_be_visible()
        assert serious(run_axe(fredrik_page)) == []
        fredrik_page.goto(f"/rapporter/{report.pk}/kontroll/")
        expect(fredrik_page.get_by_text("är inte klarmarkerat").first).to_be_visible()
        assert serious(run_axe(fredrik_page)) == []
    finally:
        greta_context.close()
        fredrik_context.close()


# Word's clipboard: classes, inline styles, fonts, a level-2 heading, a table and a script.
WORD_HTML = (
    "<html xmlns:o='urn:schemas-microsoft-com:office:office'><head><style>p.MsoNormal"
    "{margin:0}</style></head><body><!--StartFragment-->"
    "<p class=MsoNormal style='margin-bottom:8pt'><b><span style='font-family:Calibri'>"
    "Placeringarna</span></b> minskade <i>tydligt</i> under <span style='color:red'>"
    "perioden</span>.<o:p></o:p></p>"
    "<h2 class=MsoHeading2>Barn och unga</h2>"
    "<ul><li class=MsoListParagraph style='mso-list:l0 level1 lfo1'>Hembesök</li>"
    "<li class=MsoListParagraph>Skolsocialt team</li></ul>"
    "<table class=MsoTableGrid><tr><td>Cell i Word-tabell</td></tr></table>"
    "<script>window.pasted = true</script><!--EndFragment--></body></html>"
)

PASTE = """([html]) => {
  const data = new DataTransfer();
  data.setData('text/html', html);
  data.setData('text/plain', 'Placeringarna minskade tydligt under perioden.');
  const editor = document.querySelector('.ql-editor');
  editor.focus();
  const init = {clipboardData: data, bubbles: true, cancelable: true};
  editor.dispatchEvent(new ClipboardEvent('paste', init));
}"""


def test_a_writer_pastes_word_text_and_finishes_the_section(browser, live_server, report):
    report, greta, _fredrik = report
    section = report.sections.get(title="Sammanfattning")
    services.section_assign(section=section, writer=greta, by=greta)
    context, page = signed_in(browser, live_server, greta)
    try:
        page.goto(f"/rapporter/avsnitt/{section.pk}/")
        page.evaluate(PASTE, [WORD_HTML])
        expect(page.locator("#save-status")).to_contain_text("Sparat kl.")
        section.refresh_from_db()
        body = section.body
        # Kept: paragraphs, bold, italic, a subheading, the list; lost: the rest.
        assert "<strong>Placeringarna</strong> minskade <em>tydligt</em> under perioden." in body
        assert "<li>Hembesök</li><li>Skolsocialt team</li>" in body
        assert "Cell i Word-tabell" in body and "<table" not in body
        for lost in ("class=", "style=", "Mso", "<script", "Calibri", "o:p", "<h2"):
            assert lost not in body, lost
        assert page.evaluate("window.pasted === undefined")
        page.get_by_role("button", name="Klarmarkera avsnittet").click()
        expect(page.get_by_text("Klar", exact=True).first).to_be_visible()
        section.refresh_from_db()
        assert section.is_done
        assert serious(run_axe(page)) == []
    finally:
        context.close()


def test_the_chief_goes_through_the_checklist_and_sends_and_a_member_opens_the_pdf(
    browser, live_server, report
):
    report, greta, fredrik = report
    summary = report.sections.get(title="Sammanfattning")
    services.section_assign(section=summary, writer=greta, by=greta)
    summary = services.section_save(
        section=summary, version=summary.version, body="<p>Perioden i korthet.</p>", by=greta
    )
    services.section_mark(section=summary, done=True, by=greta)
    # "Förväntad utveckling" is left unfinished: the check warns about it.
    services.report_submit(report=report, by=greta)
    services.report_approve(report=report, by=fredrik)
    member = UserFactory(username="ledamot", role=Role.NAMNDLEDAMOT)
    context, page = signed_in(browser, live_server, fredrik)
    try:
        page.goto(f"/rapporter/{report.pk}/")
        page.get_by_role("link", name="Kontrollera och skicka till nämnden").click()
        expect(page.get_by_role("heading", name="1 varning")).to_be_visible()
        expect(page.get_by_text("”Förväntad utveckling” är inte klarmarkerat")).to_be_visible()
        assert serious(run_axe(page)) == []
        # Sending without confirming the warning is refused and changes nothing.
        page.get_by_role("button", name="Skicka till nämnden").click()
        expect(page.get_by_text("Bekräfta att rapporten ska skickas med dem")).to_be_visible()
        report.refresh_from_db()
        assert report.state == "godkand"
        page.get_by_label("Jag har gått igenom varningarna och skickar rapporten med dem").check()
        page.get_by_role("button", name="Skicka till nämnden").click()
        expect(page.get_by_text("Rapporten är skickad till nämnden och låst.")).to_be_visible()
        report.refresh_from_db()
        assert report.is_frozen and report.sent_warnings == [
            "Avsnittet ”Förväntad utveckling” är inte klarmarkerat (ingen skribent)."
        ]
        page.get_by_role("button", name="Skapa PDF").click()
        expect(page.locator(".render-status")).to_have_attribute("data-status", "queued")
        document = RenderedDocument.objects.get(subject_type="reports.report", sent_version=True)
        printing_services.run(document.pk)  # the worker path has its own test
        expect(page.get_by_role("link", name="Öppna PDF")).to_be_visible(timeout=15_000)
    finally:
        context.close()
    context, page = signed_in(browser, live_server, member)
    try:
        response = page.request.get(f"/pdf/{document.token}/fil/")
        assert response.status == 200 and response.body().startswith(b"%PDF-")
        assert page.request.get(f"/rapporter/{report.pk}/").status == 403
    finally:
        context.close()
