"""Numbers and text the database cannot hold, on PostgreSQL: a Swedish message at the field and
nothing saved; the Excel exports write text that looks like a formula as text."""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from contracts import services
from contracts.models import Contract, Deficiency, Rating, Supplier
from tests.contracts.test_views import form_data as contract_form
from tests.contracts.test_views import save_data, text_of

BAD_TEXT = [
    pytest.param("Avtal\x00", "otillåtna styrtecken", id="nul"),
    pytest.param("x" * 100_000, "Texten är för lång: högst", id="100000"),
]


@pytest.fixture
def ordinary(make_contract, controller, handlaggare, template):
    contract = make_contract(template=template)
    plan = services.plan_generate(year=2024, by=controller)
    return services.followup_start(followup=plan.followups.get(contract=contract), by=handlaggare)


def nothing_saved():
    return not Contract.objects.exists() and not Supplier.objects.exists()


# --- The contract form ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        pytest.param({"name": "Avtal\x00"}, "otillåtna styrtecken", id="name-nul"),
        pytest.param(
            {"name": "x" * 100_000},
            "Texten är för lång: högst 300 tecken (nu 100 000).",
            id="name-100000",
        ),
        pytest.param({"area": "Område\x1b[31m"}, "otillåtna styrtecken", id="area-escape"),
        pytest.param(
            {"suppliers": "L" * 300 + ", 556036-0793"},
            "Leverantör 1: Texten är för lång: högst 200 tecken (nu 300).",
            id="supplier-name-over-the-column",
        ),
        pytest.param({"price_model": "Pris\x00"}, "otillåtna styrtecken", id="price-model-nul"),
        pytest.param(
            {"documents": "x" * 100_000},
            "Texten är för lång: högst 20 000 tecken (nu 100 000).",
            id="documents-100000",
        ),
        pytest.param(
            {"annual_value": "999999999999999"},
            "Talet är för stort: högst 999 999 999 999 (12 siffror före decimalkommat).",
            id="value-15-digits",
        ),
        pytest.param(
            {"annual_value": "1,005"},
            "Talet har för många decimaler (högst 2 decimaler).",
            id="value-three-decimals",
        ),
        pytest.param({"annual_value": "inf"}, "”inf” är inte ett tal.", id="value-inf"),
        pytest.param({"annual_value": "NaN"}, "”NaN” är inte ett tal.", id="value-nan"),
        pytest.param({"annual_value": "1e308"}, "”1e308” är inte ett tal.", id="value-1e308"),
    ],
)
def test_bad_contract_input_gets_a_message_at_the_field_and_saves_nothing(
    client, handlaggare, unit, changes, message
):
    client.force_login(handlaggare)
    response = client.post(reverse("contracts:contract_create"), contract_form(unit, **changes))
    assert response.status_code == 400
    assert message in text_of(response)
    assert 'aria-invalid="true"' in response.content.decode()
    assert nothing_saved()


def test_the_service_refuses_bad_text_too(handlaggare, unit):
    from django.core.exceptions import ValidationError

    from tests.contracts.conftest import contract_data

    with pytest.raises(ValidationError) as caught:
        services.contract_create(
            by=handlaggare,
            suppliers=[services.SupplierInput("L" * 201)],
            **contract_data(unit, name="Avtal\x00", documents="x" * 100_000),
        )
    errors = caught.value.message_dict
    assert "styrtecken" in errors["name"][0]
    assert errors["documents"] == ["Texten är för lång: högst 20 000 tecken (nu 100 000)."]
    assert errors["suppliers"] == ["Leverantör 1: Texten är för lång: högst 200 tecken (nu 201)."]
    assert nothing_saved()


# --- Follow-ups ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "message"), BAD_TEXT)
def test_a_bad_item_comment_gets_a_message_and_saves_nothing(
    client, handlaggare, ordinary, text, message
):
    client.force_login(handlaggare)
    first = ordinary.items.first()
    data = save_data(ordinary, **{f"item-{first.pk}-comment": text})
    response = client.post(reverse("contracts:followup_save", args=[ordinary.pk]), data)
    assert response.status_code == 400
    assert message in text_of(response)
    ordinary.refresh_from_db()
    assert ordinary.verdict == "" and not ordinary.items.exclude(rating="").exists()


@pytest.mark.parametrize(("text", "message"), BAD_TEXT)
def test_a_bad_deficiency_gets_a_message(client, handlaggare, ordinary, text, message):
    client.force_login(handlaggare)
    response = client.post(
        reverse("contracts:deficiency_add", args=[ordinary.pk]),
        {"description": text, "action": "Testa larmet", "deadline": "2024-12-01"},
    )
    assert response.status_code == 400
    assert message in text_of(response)
    assert not Deficiency.objects.exists()


@pytest.mark.parametrize(
    ("place", "message"),
    [("Sunn\x00ängen", "otillåtna styrtecken"), ("x" * 201, "högst 200 tecken")],
)
def test_a_bad_place_name_in_the_checklist_gets_a_message(
    client, handlaggare, ordinary, place, message
):
    activity = services.activity_add(
        followup=ordinary,
        frequency="kvartal",
        text="Brandskyddsrond",
        status="pagar",
        by=handlaggare,
    )
    client.force_login(handlaggare)
    response = client.post(
        reverse("contracts:activity_status", args=[ordinary.pk, activity.pk]),
        {
            f"aktivitet-{activity.pk}-status": "pagar",
            f"aktivitet-{activity.pk}-place": place,
            f"aktivitet-{activity.pk}-place_status": "pagar_ej",
        },
        follow=True,
    )
    assert response.status_code == 200
    assert message in text_of(response)
    assert not activity.places.exists()


# --- Excel exports -------------------------------------------------------------------------------

FORMULAS = ['=HYPERLINK("http://evil.example","Öppna")', "+1+1", "-2+3", "@SUM(A1)"]


def test_the_register_export_writes_formula_like_names_as_text(client, handlaggare, make_contract):
    make_contract(name=FORMULAS[0], area=FORMULAS[1], price_model=FORMULAS[2])
    client.force_login(handlaggare)
    response = client.get(reverse("contracts:register_export"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    row = {cell.value: cell.data_type for cell in sheet[2]}
    for text in FORMULAS[:3]:
        assert row[text] == "s", text
    assert not [cell for line in sheet.iter_rows() for cell in line if cell.data_type == "f"]


def test_the_follow_up_export_writes_formula_like_text_as_text(client, handlaggare, ordinary):
    first = ordinary.items.first()
    items = {
        item.pk: (Rating.GOOD, FORMULAS[3] if item == first else "")
        for item in ordinary.items.all()
    }
    services.followup_save(
        followup=ordinary, data={"verdict": FORMULAS[0], "items": items}, by=handlaggare
    )
    services.deficiency_add(
        followup=ordinary,
        description=FORMULAS[1],
        action=FORMULAS[2],
        deadline=datetime.date(2024, 12, 1),
        by=handlaggare,
    )
    client.force_login(handlaggare)
    response = client.get(reverse("contracts:followup_excel", args=[ordinary.pk]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = {cell.value: cell.data_type for line in sheet.iter_rows() for cell in line}
    for text in FORMULAS:
        assert cells.get(text) == "s", text
    assert "f" not in cells.values()
