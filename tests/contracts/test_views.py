"""Pages through the Django test client: content, roles, bad input (400, Swedish message,
nothing saved), exports and constant query counts."""

import datetime
import html
import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from casework.models import Memo
from contracts import services
from contracts.models import (
    CheckResult,
    Contract,
    ContractFollowUp,
    FollowUpKind,
    FollowUpStatus,
    Outcome,
    Procurement,
    Rating,
    Supplier,
)
from printing import services as printing_services
from printing.models import RenderedDocument
from tests.contracts.test_services import rate_all

D = datetime.date


def text_of(response) -> str:
    """The page's text with tags replaced by spaces and whitespace collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def form_data(unit, **overrides):
    data = {
        "name": "Grupp- och träningsbostäder",
        "area": "Grupp- och träningsbostäder",
        "suppliers": "Omsorgsbolaget AB, 556036-0793\nStödboende i Solna",
        "dnr": "SN/2020:15",
        "acquisition": "entreprenad",
        "purchasing_party": "",
        "start_date": "2021-03-01",
        "end_date": "2023-02-28",
        "term_pattern": "2+1+1",
        "annual_value": "12 500 000",
        "price_model": "Fast pris per plats",
        "documents": "",
        "unit": str(unit.pk),
        "template": "",
    }
    data.update(overrides)
    return data


# --- Register ------------------------------------------------------------------------------


def test_register_shows_expiry_and_warning(client, handlaggare, make_contract):
    make_contract(name="Snart slut", end_date=datetime.date.today() + datetime.timedelta(days=60))
    make_contract(name="Långt kvar", end_date=datetime.date.today() + datetime.timedelta(days=900))
    client.force_login(handlaggare)
    response = client.get(reverse("contracts:index"))
    assert response.status_code == 200
    text = text_of(response)
    assert "Snart slut" in text and "Långt kvar" in text
    assert "Varning: löper ut inom 12 månader, ingen upphandling planerad" in text
    assert text.count("ingen upphandling planerad") == 1
    assert "1 avtal löper ut inom 12 månader utan planerad upphandling." in text


def test_planned_procurement_removes_the_warning(client, handlaggare, make_contract, unit):
    contract = make_contract(end_date=datetime.date.today() + datetime.timedelta(days=60))
    services.procurement_create(
        by=handlaggare, designation="Ny upphandling", unit=unit, replaces=[contract]
    )
    client.force_login(handlaggare)
    text = text_of(client.get(reverse("contracts:index")))
    assert "ingen upphandling planerad" not in text
    assert "Löper ut inom 12 månader" in text and "Ny upphandling" in text


def test_register_query_count_is_the_same_for_one_and_three_contracts(
    client, handlaggare, make_contract, unit, django_assert_num_queries
):
    first = make_contract(term_pattern="2+1+1", start_date=D(2022, 1, 1), end_date=D(2023, 12, 31))
    services.contract_extension_add(
        contract=first, start_date=D(2024, 1, 1), end_date=D(2024, 12, 31), by=handlaggare
    )
    client.force_login(handlaggare)
    url = reverse("contracts:index")
    client.get(url)  # warm up session and content types
    # session, user, contracts, suppliers, extensions, procurements, navigation checks
    queries = 9
    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200
    for n in (2, 3):
        contract = make_contract(
            name=f"Avtal {n}", suppliers=[services.SupplierInput(f"Leverantör {n}")]
        )
        services.procurement_create(
            by=handlaggare, designation=f"Upphandling {n}", unit=unit, replaces=[contract]
        )
    with django_assert_num_queries(queries):
        response = client.get(url)
    assert "Avtal 3" in text_of(response)


def test_member_of_the_committee_cannot_see_contracts(client, member, make_contract):
    client.force_login(member)
    assert client.get(reverse("contracts:index")).status_code == 403


def test_contract_is_registered_through_the_form(client, handlaggare, unit):
    client.force_login(handlaggare)
    response = client.post(reverse("contracts:contract_create"), form_data(unit))
    contract = Contract.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("contracts:contract_detail", args=[contract.pk])
    assert contract.annual_value == 12_500_000 and contract.term_pattern == "2+1+1"
    assert sorted(s.name for s in contract.suppliers.all()) == [
        "Omsorgsbolaget AB",
        "Stödboende i Solna",
    ]
    detail = text_of(client.get(response["Location"]))
    assert "2 förlängningar återstår" in detail
    assert "Registrera utnyttjad förlängning" in detail


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"end_date": "2020-12-31", "term_pattern": ""},
            "Slutdatum kan inte ligga före startdatum.",
        ),
        ({"term_pattern": "2-1-1"}, "till exempel 2+1+1"),
        ({"suppliers": "Omsorgsbolaget AB, 556036-0794"}, "fel kontrollsiffra"),
        ({"name": "", "acquisition": ""}, "Ange avtalets namn."),
        ({"start_date": "1 mars 2021"}, "Ange datum som ÅÅÅÅ-MM-DD."),
        ({"annual_value": "12.5"}, "decimalkomma"),
        ({"acquisition": "köp"}, "Välj avtalsform."),
        ({"dnr": "SN2024-1"}, "diarienummer"),
    ],
)
def test_bad_contract_input_gives_400_and_saves_nothing(
    client, handlaggare, unit, changes, message
):
    client.force_login(handlaggare)
    response = client.post(reverse("contracts:contract_create"), form_data(unit, **changes))
    assert response.status_code == 400
    assert message in text_of(response)
    assert 'aria-invalid="true"' in response.content.decode()
    assert not Contract.objects.exists() and not Supplier.objects.exists()


def test_another_units_contract_cannot_be_edited(
    client, other_handlaggare, handlaggare, make_contract, unit, other_unit
):
    contract = make_contract()
    client.force_login(other_handlaggare)
    url = reverse("contracts:contract_edit", args=[contract.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, form_data(unit, name="Kapat")).status_code == 403
    # Registering for an enhet that is not hers is refused as well.
    response = client.post(reverse("contracts:contract_create"), form_data(unit))
    assert response.status_code == 400 and "Välj en enhet i listan." in text_of(response)
    contract.refresh_from_db()
    assert contract.name == "Familjerådgivning"
    # She may still read it.
    assert client.get(reverse("contracts:contract_detail", args=[contract.pk])).status_code == 200


def test_overlapping_extension_through_the_page(client, handlaggare, make_contract):
    contract = make_contract(term_pattern="2+1+1", start_date=D(2021, 5, 2), end_date=D(2023, 5, 1))
    client.force_login(handlaggare)
    response = client.post(
        reverse("contracts:extension_add", args=[contract.pk]),
        {"start_date": "2023-04-01", "end_date": "2024-03-31"},
    )
    assert response.status_code == 400
    assert "överlappar avtalets grundperiod" in text_of(response)
    assert not contract.extensions.exists()
    response = client.post(
        reverse("contracts:extension_add", args=[contract.pk]),
        {"start_date": "2023-05-02", "end_date": "2024-05-01"},
    )
    assert response.status_code == 302 and contract.extensions.count() == 1


def test_register_exports_to_excel(client, handlaggare, make_contract):
    make_contract(suppliers=[services.SupplierInput("Familjecentrum AB", "556036-0793")])
    client.force_login(handlaggare)
    response = client.get(reverse("contracts:register_export"))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Avtal", "Avtalsområde", "Diarienummer")
    assert rows[1][0] == "Familjerådgivning" and rows[1][3] == "LOV/kundval"
    assert rows[1][5] == "Familjecentrum AB (556036-0793)"
    assert rows[1][11].date() == D(2025, 12, 31)


# --- Upphandlingar --------------------------------------------------------------------------


def test_procurement_page_shows_the_plan_and_report_tables(client, handlaggare, unit):
    year = datetime.date.today().year
    services.procurement_create(
        by=handlaggare,
        designation="Avrop av fordon till socialförvaltningen",
        dnr="SN/2023:94",
        plan_year=year + 1,
        unit=unit,
    )
    services.procurement_create(
        by=handlaggare,
        designation="Grupp- och träningsbostäder",
        dnr="SN/2024:23",
        status="pagar",
        planned_start=D(year, 1, 15),
        unit=unit,
        follow_up="Förfrågningsunderlaget tas fram.",
    )
    client.force_login(handlaggare)
    text = text_of(client.get(reverse("contracts:procurement_list")))
    assert f"Avtal som ska upphandlas {year + 1}" in text
    assert "Avrop av fordon till socialförvaltningen SN/2023:94" in text
    assert "Verksamhetsområde / Avtal Uppföljning" in text
    assert "Grupp- och träningsbostäder (SN/2024:23) Förfrågningsunderlaget tas fram." in text


def test_bad_procurement_input_gives_400(client, handlaggare, unit):
    client.force_login(handlaggare)
    response = client.post(
        reverse("contracts:procurement_list"),
        {"designation": "", "status": "planerad", "plan_year": "tjugo", "unit": str(unit.pk)},
    )
    assert response.status_code == 400
    text = text_of(response)
    assert "Ange avtalsbeteckning." in text and "Ange år med fyra siffror" in text
    assert not Procurement.objects.exists()


# --- Tidsplan -------------------------------------------------------------------------------


def test_plan_is_created_planned_and_approved_through_the_pages(
    client, controller, granskare, make_contract
):
    contract = make_contract()
    year = 2024
    client.force_login(controller)
    url = reverse("contracts:plan_detail", args=[year])
    assert "Skapa tidsplan för 2024" in text_of(client.get(url))
    client.post(reverse("contracts:plan_generate", args=[year]))
    followup = ContractFollowUp.objects.get(contract=contract)
    assert followup.kind == FollowUpKind.ORDINARY
    response = client.post(
        reverse("contracts:plan_row_update", args=[year, followup.pk]),
        {f"rad-{followup.pk}-kind": "forenklad", f"rad-{followup.pk}-planned_date": "2024-11-04"},
    )
    assert response.status_code == 302
    text = text_of(client.get(url))
    assert "Förenklad" in text and "Föreslagen: ordinarie" in text
    assert client.post(reverse("contracts:plan_approve", args=[year])).status_code == 403
    client.force_login(granskare)
    client.post(reverse("contracts:plan_approve", args=[year]))
    assert "Godkänd" in text_of(client.get(url))


def test_plan_row_with_bad_input_gives_400(client, controller, make_contract):
    make_contract()
    services.plan_generate(year=2024, by=controller)
    followup = ContractFollowUp.objects.get()
    client.force_login(controller)
    response = client.post(
        reverse("contracts:plan_row_update", args=[2024, followup.pk]),
        {f"rad-{followup.pk}-kind": "halv", f"rad-{followup.pk}-planned_date": "2025-01-10"},
    )
    assert response.status_code == 400
    assert "Välj ordinarie eller förenklad." in text_of(response)
    followup.refresh_from_db()
    assert followup.kind == FollowUpKind.ORDINARY and followup.planned_date is None


def test_adding_a_contract_not_in_force_gives_400(client, controller, make_contract):
    make_contract()
    later = make_contract(name="Barnahus", start_date=D(2025, 1, 1), end_date=D(2029, 12, 31))
    services.plan_generate(year=2024, by=controller)
    client.force_login(controller)
    response = client.post(reverse("contracts:plan_add", args=[2024]), {"contract": later.pk})
    assert response.status_code == 400
    assert "Avtalet gäller inte under 2024" in text_of(response)
    assert not ContractFollowUp.objects.filter(contract=later).exists()


# --- Uppföljningar --------------------------------------------------------------------------


@pytest.fixture
def ordinary(make_contract, controller, handlaggare, template):
    contract = make_contract(template=template)
    plan = services.plan_generate(year=2024, by=controller)
    return services.followup_start(followup=plan.followups.get(contract=contract), by=handlaggare)


def save_data(followup, rating=Rating.GOOD, **extra):
    data = {
        "method_documents": "Avvikelserapporter",
        "method_visits": "",
        "method_interviews": "Verksamhetschef",
        "outcome": Outcome.FULFILLED,
        "verdict": "Fungerar väl.",
        "completed_on": "2024-09-01",
    }
    for item in followup.items.all():
        data[f"item-{item.pk}-rating"] = rating
        data[f"item-{item.pk}-comment"] = ""
    data.update(extra)
    return data


def test_ordinary_follow_up_is_saved_and_counted(client, handlaggare, ordinary):
    client.force_login(handlaggare)
    url = reverse("contracts:followup_save", args=[ordinary.pk])
    data = save_data(ordinary)
    first = ordinary.items.first()
    data[f"item-{first.pk}-rating"] = Rating.DEFICIENT
    assert client.post(url, data).status_code == 302
    text = text_of(client.get(reverse("contracts:followup_detail", args=[ordinary.pk])))
    assert "Bristfällig 1" in text and "Fungerande 2" in text and "Ej bedömd 0" in text


def test_rating_not_on_the_scale_gives_400(client, handlaggare, ordinary):
    client.force_login(handlaggare)
    data = save_data(ordinary)
    first = ordinary.items.first()
    data[f"item-{first.pk}-rating"] = "toppen"
    response = client.post(reverse("contracts:followup_save", args=[ordinary.pk]), data)
    assert response.status_code == 400
    assert "Punkt 1.1: Välj en bedömning på skalan" in text_of(response)
    ordinary.refresh_from_db()
    assert ordinary.verdict == "" and not ordinary.items.exclude(rating="").exists()


def test_approving_with_unrated_items_through_the_page(client, handlaggare, granskare, ordinary):
    client.force_login(handlaggare)
    data = save_data(ordinary)
    data[f"item-{ordinary.items.first().pk}-rating"] = ""
    client.post(reverse("contracts:followup_save", args=[ordinary.pk]), data)
    client.force_login(granskare)
    response = client.post(reverse("contracts:followup_approve", args=[ordinary.pk]))
    assert response.status_code == 400
    assert "Punkt 1.1 saknar bedömning." in text_of(response)
    ordinary.refresh_from_db()
    assert ordinary.status == FollowUpStatus.IN_PROGRESS


def test_handlaggare_cannot_approve(client, handlaggare, ordinary):
    client.force_login(handlaggare)
    response = client.post(reverse("contracts:followup_approve", args=[ordinary.pk]))
    assert response.status_code == 403


def test_editing_an_approved_follow_up_gives_400(client, handlaggare, granskare, ordinary):
    rate_all(ordinary, handlaggare)
    services.followup_approve(followup=ordinary, by=granskare)
    client.force_login(handlaggare)
    response = client.post(
        reverse("contracts:followup_save", args=[ordinary.pk]),
        save_data(ordinary, verdict="Ändrat efteråt"),
    )
    assert response.status_code == 400
    assert "Uppföljningen är godkänd och låst." in text_of(response)
    ordinary.refresh_from_db()
    assert ordinary.verdict == "Verksamheten fungerar väl."


def test_other_unit_cannot_edit_the_follow_up(client, other_handlaggare, ordinary):
    client.force_login(other_handlaggare)
    response = client.post(
        reverse("contracts:followup_save", args=[ordinary.pk]), save_data(ordinary)
    )
    assert response.status_code == 403


def test_checklist_and_deficiencies_through_the_page(client, handlaggare, ordinary):
    client.force_login(handlaggare)
    response = client.post(
        reverse("contracts:activity_add", args=[ordinary.pk]),
        {"frequency": "kvartal", "text": "Brandskyddsrond", "status": "pagar"},
    )
    assert response.status_code == 302
    activity = ordinary.activities.get()
    client.post(
        reverse("contracts:activity_status", args=[ordinary.pk, activity.pk]),
        {
            f"aktivitet-{activity.pk}-status": "pagar",
            f"aktivitet-{activity.pk}-place": "Sunnängen",
            f"aktivitet-{activity.pk}-place_status": "pagar_ej",
        },
    )
    response = client.post(
        reverse("contracts:deficiency_add", args=[ordinary.pk]),
        {"description": "Brandlarm ej testat", "action": "Testa larmet", "deadline": "i vår"},
    )
    assert response.status_code == 400 and "Ange datum som ÅÅÅÅ-MM-DD." in text_of(response)
    assert not ordinary.deficiencies.exists()
    text = text_of(client.get(reverse("contracts:followup_detail", args=[ordinary.pk])))
    assert "Varje kvartal" in text and "Sunnängen: Pågår ej" in text


def test_simplified_follow_up_page(client, handlaggare, granskare, controller, make_contract):
    contract = make_contract()
    services.plan_generate(year=2024, by=controller)
    followup = ContractFollowUp.objects.get(contract=contract)
    services.plan_followup_update(
        followup=followup,
        kind=FollowUpKind.SIMPLIFIED,
        planned_date=D(2024, 10, 1),
        by=controller,
    )
    client.force_login(handlaggare)
    client.post(reverse("contracts:followup_start", args=[followup.pk]))
    checks = list(followup.checks.all())
    data = {
        "outcome": Outcome.FULFILLED,
        "verdict": "Inga anmärkningar.",
        "completed_on": "2024-09-20",
    }
    for check in checks:
        data[f"check-{check.pk}-result"] = CheckResult.PASS
        data[f"check-{check.pk}-narrative"] = "Kontrollerat."
    data[f"check-{checks[0].pk}-result"] = "kanske"
    response = client.post(reverse("contracts:followup_save", args=[followup.pk]), data)
    assert response.status_code == 400
    assert "Ekonomisk ställning: välj godkänd eller ej godkänd." in text_of(response)
    data[f"check-{checks[0].pk}-result"] = CheckResult.PASS
    assert (
        client.post(reverse("contracts:followup_save", args=[followup.pk]), data).status_code == 302
    )
    client.force_login(granskare)
    client.post(reverse("contracts:followup_approve", args=[followup.pk]))
    followup.refresh_from_db()
    assert followup.status == FollowUpStatus.APPROVED


def test_memo_button_creates_the_memo_and_opens_it(client, handlaggare, granskare, ordinary):
    rate_all(ordinary, handlaggare)
    services.followup_approve(followup=ordinary, by=granskare)
    client.force_login(handlaggare)
    detail = text_of(client.get(reverse("contracts:followup_detail", args=[ordinary.pk])))
    assert "Skapa tjänsteskrivelse" in detail
    response = client.post(reverse("contracts:followup_memo", args=[ordinary.pk]))
    memo = Memo.objects.get()
    assert response["Location"] == reverse("casework:memo_detail", args=[memo.pk])
    assert "Fungerande: 3" in memo.summary
    detail = text_of(client.get(reverse("contracts:followup_detail", args=[ordinary.pk])))
    assert "Skapa tjänsteskrivelse" not in detail and memo.title in detail


def test_follow_up_exports_to_excel(client, handlaggare, ordinary):
    rate_all(ordinary, handlaggare)
    client.force_login(handlaggare)
    response = client.get(reverse("contracts:followup_excel", args=[ordinary.pk]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][0] == "Ordinarie avtalsuppföljning 2024"
    assert (
        "4.1",
        "Den enskilde ges insyn i sin dokumentation",
        "Fungerande",
        "Enligt avtalet.",
    ) in values
    assert ("Fungerande", 3, None, None) in values


def test_follow_up_pdf_goes_through_the_shared_pipeline(
    client, handlaggare, ordinary, django_capture_on_commit_callbacks
):
    rate_all(ordinary, handlaggare)
    client.force_login(handlaggare)
    preview = client.get(reverse("contracts:followup_preview", args=[ordinary.pk]))
    assert "Ordinarie avtalsuppföljning 2024 av familjerådgivning" in text_of(preview)
    assert "/static/css/print.css" in preview.content.decode()
    with django_capture_on_commit_callbacks():
        response = client.post(reverse("contracts:followup_pdf", args=[ordinary.pk]))
    assert response.status_code == 302
    document = RenderedDocument.objects.get()
    assert (document.subject_type, document.subject_id) == (
        "contracts.contractfollowup",
        ordinary.pk,
    )
    assert 'href="css/print.css"' in document.html
    page = text_of(client.get(reverse("contracts:followup_detail", args=[ordinary.pk])))
    assert "PDF:en väntar på bakgrundsarbetaren" in page


def test_follow_up_pdf_is_rendered_with_the_items(client, handlaggare, ordinary):
    from printing.models import RenderStatus
    from solna_sn.lib import pdf as pdflib

    rate_all(ordinary, handlaggare)
    client.force_login(handlaggare)
    client.post(reverse("contracts:followup_pdf", args=[ordinary.pk]))
    document = RenderedDocument.objects.get()
    printing_services.run(document.pk)
    document.refresh_from_db()
    assert document.status == RenderStatus.DONE, document.error
    from tests.pdf_checks import assert_document_accessible

    text = " ".join(pdflib.text_of(assert_document_accessible(document)).split())
    assert "Ordinarie avtalsuppföljning 2024 av familjerådgivning" in text
    assert "4.1 Den enskilde ges insyn i sin dokumentation" in text
    assert "sida 1 (1)" in text


def test_plan_page_query_count_is_the_same_for_one_and_three_contracts(
    client, controller, make_contract, django_assert_num_queries
):
    make_contract(name="Avtal 1")
    services.plan_generate(year=2024, by=controller)
    client.force_login(controller)
    url = reverse("contracts:plan_detail", args=[2024])
    client.get(url)
    with django_assert_num_queries(8):
        client.get(url)
    make_contract(name="Avtal 2")
    make_contract(name="Avtal 3")
    services.plan_generate(year=2024, by=controller)
    with django_assert_num_queries(8):
        response = client.get(url)
    assert "Avtal 3" in text_of(response)


def test_procurement_page_query_count_is_the_same_for_one_and_three(
    client, handlaggare, make_contract, unit, django_assert_num_queries
):
    contract = make_contract()
    services.procurement_create(by=handlaggare, designation="U1", unit=unit, replaces=[contract])
    client.force_login(handlaggare)
    url = reverse("contracts:procurement_list")
    client.get(url)
    # 12 with the years that have a tidsplan (the page opens on the latest while this has none).
    with django_assert_num_queries(12):
        client.get(url)
    for n in (2, 3):
        services.procurement_create(
            by=handlaggare, designation=f"U{n}", unit=unit, replaces=[contract], status="pagar"
        )
    with django_assert_num_queries(12):
        response = client.get(url)
    assert "U3" in text_of(response)


def test_a_read_only_follow_up_says_why(
    client, other_handlaggare, handlaggare, granskare, ordinary
):
    url = reverse("contracts:followup_detail", args=[ordinary.pk])
    client.force_login(other_handlaggare)
    text = text_of(client.get(url))
    unit = ordinary.contract.unit
    assert f"Uppföljningen tillhör {unit}. Du kan läsa den men inte ändra." in text
    rate_all(ordinary, handlaggare)
    services.followup_approve(followup=ordinary, by=granskare)
    client.force_login(handlaggare)
    assert "godkänd och därför låst. Du kan läsa den men inte ändra." in text_of(client.get(url))
