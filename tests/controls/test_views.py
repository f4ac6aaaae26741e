"""Internkontroll pages through the Django test client on PostgreSQL: roles, bad input,
htmx fragments and query counts."""

from django.urls import reverse

from controls import services
from controls.models import ControlPlan, Result, ResultState
from tests.controls.conftest import level, risk_data


def test_every_page_renders_for_staff(client, adopted, occasion, controller, handlaggare):
    services.result_save(
        occasion=occasion,
        by=handlaggare,
        level=level(adopted.committee, 1),
        finding="5 av 330 var över tid.",
        figures=[{"group": "", "population": 330, "checked": None, "deviations": 5}],
        actions=[{"description": "Återkoppling till cheferna", "responsible": "Enhetschef"}],
    )
    client.force_login(controller)
    risk = adopted.risks.get()
    for url in (
        reverse("controls:index"),
        reverse("controls:plan_detail", args=[adopted.pk]),
        reverse("controls:plan_matrix", args=[adopted.pk]),
        reverse("controls:calendar", args=[adopted.pk]),
        reverse("controls:follow_up", args=[adopted.pk, "augusti"]),
        reverse("controls:risk_edit", args=[risk.pk]),
        reverse("controls:occasion", args=[occasion.pk]),
        reverse("controls:plan_preview", args=[adopted.pk]),
        reverse("controls:plan_import"),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
    edit = client.get(reverse("controls:risk_edit", args=[risk.pk])).content.decode()
    assert "Riskindex <strong>12</strong>" in edit  # the stored index, before any typing
    html = client.get(reverse("controls:follow_up", args=[adopted.pk, "augusti"])).content
    text = html.decode()
    assert "◆</span> Lindrig avvikelse" in text
    assert "1,5 % (5 av 330)" in text


def test_members_and_anonymous_users_are_kept_out(client, adopted, occasion, member):
    urls = [
        reverse("controls:index"),
        reverse("controls:plan_detail", args=[adopted.pk]),
        reverse("controls:plan_matrix", args=[adopted.pk]),
        reverse("controls:occasion", args=[occasion.pk]),
        reverse("controls:plan_excel", args=[adopted.pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 302  # to the login page
    client.force_login(member)
    for url in urls:
        assert client.get(url).status_code == 403


def test_plan_page_queries_do_not_grow_with_risks(client, plan, controller, unit):
    client.force_login(controller)
    url = reverse("controls:plan_detail", args=[plan.pk])
    client.get(url)  # warm up the session and content types
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    for n in range(2):
        services.risk_save(
            plan=plan,
            data=risk_data(unit, process_name=f"Process {n}", title=f"Risk {n}", risk_index=4),
            by=controller,
        )
    with CaptureQueriesContext(connection) as three:
        response = client.get(url)
    assert response.content.decode().count('id="risk-') == 3
    assert len(three.captured_queries) == len(one.captured_queries)


def test_risk_form_bad_input_shows_swedish_messages_and_saves_nothing(client, plan, controller):
    client.force_login(controller)
    url = reverse("controls:risk_create", args=[plan.pk])
    data = {
        "process_name": "Placeringar",
        "title": "Barn placeras i jourhem som inte är godkända.",
        "category": "verksamhetsprocesser",
        "likelihood": "3",
        "consequence": "3",
        "risk_index": "12",
        "control_activity": "Kontroll av dokumentationen.",
        "method": "total",
        "how_when": "I april och oktober.",
        "control_months": ["4", "10"],
    }
    cases = [
        ({"risk_index": "12"}, "stämmer inte med sannolikhet × konsekvens (3 × 3 = 9)"),
        ({"likelihood": "", "consequence": "", "risk_index": "30"}, "mellan 1 och 25"),
        ({"likelihood": "tre"}, "Ange ett heltal."),
        ({"control_months": ["4", "13"]}, "Kontrollmånaden 13 finns inte"),
        ({"control_months": []}, "Välj minst en månad"),
        ({"title": ""}, "Beskriv risken."),
        ({"method": "sample"}, "Ange hur många ärenden stickprovet omfattar."),
    ]
    for changes, message in cases:
        response = client.post(url, {**data, **changes})
        assert response.status_code == 400, changes
        assert message in response.content.decode(), changes
        assert 'aria-invalid="true"' in response.content.decode()
    assert plan.risks.count() == 1
    response = client.post(url, {**data, "risk_index": ""})
    assert response.status_code == 302
    assert plan.risks.get(number=2).risk_index == 9


def test_a_frozen_plan_cannot_be_edited_through_the_pages(client, adopted, controller):
    client.force_login(controller)
    risk = adopted.risks.get()
    response = client.post(reverse("controls:risk_edit", args=[risk.pk]), {"title": "Ändrad"})
    assert response.status_code == 302
    response = client.get(response["Location"])
    assert "fastställd och låst" in response.content.decode()
    assert client.post(reverse("controls:risk_delete", args=[risk.pk])).status_code == 302
    assert adopted.risks.get().title == risk.title


def test_handlaggare_cannot_create_or_adopt_plans(client, plan, handlaggare, committee):
    client.force_login(handlaggare)
    assert client.post(reverse("controls:index"), {"year": 2027}).status_code == 403
    assert client.post(reverse("controls:plan_adopt", args=[plan.pk])).status_code == 403
    assert client.get(reverse("controls:risk_create", args=[plan.pk])).status_code == 403
    assert client.get(reverse("controls:plan_import")).status_code == 403


def test_riskindex_fragment(client, plan, controller):
    client.force_login(controller)
    url = reverse("controls:riskindex_preview", args=[plan.pk])
    html = client.get(url, {"likelihood": "4", "consequence": "3"}, HTTP_HX_REQUEST="true")
    text = html.content.decode()
    assert text.startswith('<output id="riskindex-preview"') and "<html" not in text
    assert "Riskindex <strong>12</strong>" in text and "Hög" in text
    text = client.get(url, {"likelihood": "6", "consequence": "3"}).content.decode()
    assert "Sannolikhet ska vara ett heltal från 1 till 5." in text
    text = client.get(url, {"risk_index": "7"}).content.decode()
    assert "kan inte bildas" in text
    text = client.get(url, {"likelihood": "x"}).content.decode()
    assert "Ange heltal." in text


def test_calendar_fragment_filters_by_unit(client, adopted, controller, other_unit, chief):
    client.force_login(controller)
    url = reverse("controls:calendar", args=[adopted.pk])
    unit = adopted.risks.get().responsible_unit
    response = client.get(url, {"enhet": unit.pk}, HTTP_HX_REQUEST="true")
    text = response.content.decode()
    assert text.lstrip().startswith('<div id="calendar-body"') and "<html" not in text
    assert text.count("Registrera resultat") == 2
    assert client.get(url, {"enhet": other_unit.pk}).status_code == 404
    assert client.get(url, {"enhet": "x"}).status_code == 404


def test_result_form_records_figures_and_actions(client, occasion, handlaggare, outsider):
    url = reverse("controls:occasion", args=[occasion.pk])
    lindrig = level(occasion.risk.plan.committee, 1)
    data = {
        "level": str(lindrig.pk),
        "finding": "Några utredningar saknade förlängningsbeslut.",
        "figure-0-group": "Barn",
        "figure-0-population": "189",
        "figure-0-deviations": "3",
        "figure-0-note": "Över 122 dagar: 79",
        "figure-1-group": "Ungdom",
        "figure-1-population": "127",
        "figure-1-deviations": "2",
    }
    client.force_login(outsider)
    assert client.post(url, data).status_code == 403
    client.force_login(handlaggare)
    response = client.post(url, data)
    assert response.status_code == 400
    assert "kräver minst en åtgärd" in response.content.decode()
    response = client.post(url, {**data, "figure-1-deviations": "200"})
    assert "Siffror rad 2: Antal avvikelser (200) kan inte vara fler" in response.content.decode()
    response = client.post(url, {**data, "figure-0-population": "-3"})
    assert response.status_code == 400
    assert "Ange ett tal som är minst 0." in response.content.decode()
    assert not Result.objects.exists()
    data.update({"action-0-description": "Återkoppla till cheferna", "action-0-responsible": "EC"})
    response = client.post(url, data)
    assert response.status_code == 302
    result = Result.objects.get()
    assert [(f.group, f.population, f.deviations) for f in result.figures.all()] == [
        ("Barn", 189, 3),
        ("Ungdom", 127, 2),
    ]
    page = client.get(url).content.decode()
    assert "1,6 %" in page and "Återkoppla till cheferna" in page
    # A stale form (version 0 after the first save) is refused without losing the stored text.
    response = client.post(url, {**data, "finding": "Äldre flik", "version": "0"})
    assert response.status_code == 409
    assert Result.objects.get().finding == data["finding"]


def test_approved_results_are_locked_in_the_page(client, occasion, handlaggare, granskare):
    result = services.result_save(
        occasion=occasion,
        by=handlaggare,
        level=level(occasion.risk.plan.committee, 0),
        finding="OK",
    )
    client.force_login(handlaggare)
    client.post(reverse("controls:result_submit", args=[result.pk]))
    client.force_login(granskare)
    client.post(reverse("controls:result_approve", args=[result.pk]))
    result.refresh_from_db()
    assert result.state == ResultState.APPROVED
    client.force_login(handlaggare)
    url = reverse("controls:occasion", args=[occasion.pk])
    response = client.post(url, {"level": str(result.level_id), "finding": "Ändrat"})
    assert response.status_code == 302
    assert "godkänt och låst" in client.get(response["Location"]).content.decode()
    assert Result.objects.get().finding == "OK"


def test_action_done_fragment(client, occasion, handlaggare):
    result = services.result_save(
        occasion=occasion,
        by=handlaggare,
        level=level(occasion.risk.plan.committee, 1),
        finding="x",
        actions=[{"description": "Ny rutin", "responsible": "EC"}],
    )
    action = result.actions.get()
    client.force_login(handlaggare)
    response = client.post(
        reverse("controls:action_done", args=[action.pk]), {"klar": "1"}, HTTP_HX_REQUEST="true"
    )
    text = response.content.decode()
    assert text.lstrip().startswith(f'<tr id="atgard-{action.pk}">')
    assert "Genomförd" in text and "Markera som ej genomförd" in text
    action.refresh_from_db()
    assert action.done_on is not None


def test_follow_up_page_saves_the_assessment(client, adopted, occasion, controller, handlaggare):
    url = reverse("controls:follow_up", args=[adopted.pk, "april"])
    client.force_login(controller)
    response = client.post(url, {"assessment": "", "version": "0"})
    assert response.status_code == 400 and "Skriv den samlade bedömningen." in (
        response.content.decode()
    )
    assert (
        client.post(url, {"assessment": "God intern kontroll.", "version": "0"}).status_code == 302
    )
    response = client.post(url, {"assessment": "Annan text", "version": "0"})
    assert response.status_code == 409
    assert client.get(reverse("controls:follow_up", args=[adopted.pk, "maj"])).status_code == 404
    client.force_login(handlaggare)
    assert client.post(url, {"assessment": "x", "version": "1"}).status_code == 403


def test_excel_export_and_import_through_the_pages(client, adopted, controller):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(controller)
    response = client.get(reverse("controls:plan_excel", args=[adopted.pk]))
    assert response["Content-Disposition"] == 'attachment; filename="internkontrollplan-2025.xlsx"'
    upload = SimpleUploadedFile("plan.xlsx", response.content)
    response = client.post(reverse("controls:plan_import"), {"year": "2026", "file": upload})
    assert response.status_code == 302
    preview = client.get(response["Location"])
    assert "april och oktober" in preview.content.decode()
    response = client.post(response["Location"])
    assert response.status_code == 302
    copy = ControlPlan.objects.get(year=2026)
    assert copy.risks.get().risk_index == 12
    bad = SimpleUploadedFile("plan.txt", b"hej")
    response = client.post(reverse("controls:plan_import"), {"year": "2027", "file": bad})
    assert response.status_code == 400
    assert "Filen måste vara en Excelfil" in response.content.decode()


def test_pdf_of_the_plan_is_queued_through_the_shared_pipeline(
    client, adopted, controller, django_capture_on_commit_callbacks
):
    client.force_login(controller)
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(
            reverse("controls:plan_pdf", args=[adopted.pk]), HTTP_HX_REQUEST="true"
        )
    assert len(callbacks) == 1
    assert "PDF:en väntar på bakgrundsarbetaren" in response.content.decode()
    from printing import services as printing

    document = printing.latest(adopted)
    printing.run(document.pk)
    document.refresh_from_db()

    from solna_sn.lib import pdf as pdflib
    from tests.pdf_checks import assert_document_accessible

    text = " ".join(pdflib.text_of(assert_document_accessible(document)).split())
    assert "Internkontrollplan 2025" in text and "Hur ska kontrollen utföras och när" in text
    assert "Riskmatris" in text


def test_administrator_configures_the_scales_in_the_admin(client, committee):
    from solna_sn.models import Role
    from tests.factories import UserFactory

    services.settings_for(committee)
    client.force_login(UserFactory(role=Role.ADMINISTRATOR))
    assert client.get(reverse("admin:controls_deviationlevel_changelist")).status_code == 200
    fourth = committee.deviation_levels.get(rank=3)
    url = reverse("admin:controls_deviationlevel_change", args=[fourth.pk])
    response = client.post(
        url,
        {
            "committee": committee.pk,
            "rank": 3,
            "label": "Allvarlig avvikelse",
            "symbol": "■",
            "colour": "#cf222e",
            "active": "on",
        },
    )
    assert response.status_code == 302
    assert [lv.label for lv in services.active_levels(committee)][-1] == "Allvarlig avvikelse"


def test_the_result_page_says_why_it_is_read_only_and_uses_one_wording(
    client, occasion, handlaggare, outsider
):
    services.result_save(
        occasion=occasion,
        by=handlaggare,
        level=level(occasion.risk.plan.committee, 0),
        finding="OK",
    )
    url = reverse("controls:occasion", args=[occasion.pk])
    client.force_login(outsider)
    page = client.get(url).content.decode()
    assert "Du kan läsa det men inte ändra." in page
    assert "Resultatet tillhör" in page
    client.force_login(handlaggare)
    page = client.get(url).content.decode()
    # The form's columns, the help text and the messages use the same three words.
    assert '<th scope="col">Totalt antal</th><th scope="col">Varav kontrollerade</th>' in page
    assert "Varav kontrollerade: hur många av dem som kontrollerades" in page
    assert "Antal kontrollerade" not in page and ">Antal<" not in page
