"""Numbers and text the database cannot hold, and hostile Excel files, on PostgreSQL: each gets
a Swedish message at the field or cell and nothing is saved; exports write text as text."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from controls import services
from controls.excel import export_plan_workbook, import_plan, parse_plan_workbook
from controls.models import ControlPlan, PlanImport, Result, ResultState, Risk
from solna_sn.models import AuditEntry
from tests.controls.conftest import level, risk_data
from tests.controls.test_excel import APRIL_OCTOBER, HEADER, M, one_risk, xlsx

BAD_TEXT = [
    pytest.param("Text\x00", "otillåtna styrtecken", id="nul"),
    pytest.param("x" * 100_000, "Texten är för lång: högst 20 000 tecken (nu 100 000).", id="long"),
]


# --- Number forms ------------------------------------------------------------------------------


def result_post(occasion, **changes):
    data = {
        "level": str(level(occasion.risk.plan.committee, 0).pk),
        "finding": "Alla utredningar hade beslut.",
        "figure-0-group": "Barn",
        "figure-0-population": "189",
        "figure-0-deviations": "0",
    }
    data.update(changes)
    return data


@pytest.mark.parametrize(
    ("part", "value", "message"),
    [
        ("population", "999999999999999", "Ange ett tal som är högst 2 147 483 647."),
        ("checked", "2147483648", "Ange ett tal som är högst 2 147 483 647."),
        ("deviations", "1e308", "Ange ett heltal."),
        ("population", "inf", "Ange ett heltal."),
        ("population", "NaN", "Ange ett heltal."),
    ],
)
def test_a_result_figure_beyond_the_column_gets_a_message_and_saves_nothing(
    client, occasion, handlaggare, part, value, message
):
    client.force_login(handlaggare)
    response = client.post(
        reverse("controls:occasion", args=[occasion.pk]),
        result_post(occasion, **{f"figure-0-{part}": value}),
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html and 'aria-invalid="true"' in html
    assert not Result.objects.exists()


def test_risk_factors_beyond_the_column_get_a_message(client, plan, controller):
    client.force_login(controller)
    data = {
        "process_name": "Placeringar",
        "title": "Barn placeras i jourhem som inte är godkända.",
        "category": "verksamhetsprocesser",
        "likelihood": "999999999999999",
        "consequence": "3",
        "control_activity": "Kontroll av dokumentationen.",
        "method": "sample",
        "sample_size": "999999999999999",
        "how_when": "I april och oktober.",
        "control_months": ["4", "10"],
    }
    response = client.post(reverse("controls:risk_create", args=[plan.pk]), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Ange ett tal som är högst 32 767." in html
    assert "Ange ett tal som är högst 100 000." in html
    assert plan.risks.count() == 1


# --- Text in forms -------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "message"), BAD_TEXT)
def test_a_bad_finding_in_a_control_result_gets_a_message(
    client, occasion, handlaggare, text, message
):
    client.force_login(handlaggare)
    response = client.post(
        reverse("controls:occasion", args=[occasion.pk]), result_post(occasion, finding=text)
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Result.objects.exists()


@pytest.mark.parametrize(("text", "message"), BAD_TEXT)
def test_a_bad_comment_when_returning_a_result_gets_a_message(
    client, occasion, handlaggare, granskare, text, message
):
    result = services.result_save(
        occasion=occasion, by=handlaggare, level=level(occasion.risk.plan.committee, 0), finding=""
    )
    services.result_submit(result=result, by=handlaggare)
    client.force_login(granskare)
    response = client.post(
        reverse("controls:result_return", args=[result.pk]),
        {"comment": text},
        follow=True,
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    result.refresh_from_db()
    assert result.state == ResultState.REVIEW and result.return_comment == ""


@pytest.mark.parametrize(("text", "message"), BAD_TEXT)
def test_a_bad_reason_for_a_new_plan_revision_gets_a_message(
    client, adopted, controller, text, message
):
    client.force_login(controller)
    response = client.post(reverse("controls:plan_revise", args=[adopted.pk]), {"reason": text})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert ControlPlan.objects.count() == 1


@pytest.mark.parametrize(
    ("field", "text", "message"),
    [
        ("title", "Risk\x07", "otillåtna styrtecken"),
        ("process_name", "Myndighets\nbeslut", "otillåtna styrtecken"),
        ("process_name", "x" * 201, "Texten är för lång: högst 200 tecken (nu 201)."),
        ("responsible_role", "x" * 101, "Texten är för lång: högst 100 tecken (nu 101)."),
        ("how_when", "x" * 100_000 + " april", "Texten är för lång: högst 20 000 tecken"),
    ],
)
def test_bad_text_in_the_risk_form_gets_a_message(client, plan, controller, field, text, message):
    client.force_login(controller)
    data = {
        "process_name": "Placeringar",
        "title": "Barn placeras i jourhem som inte är godkända.",
        "category": "verksamhetsprocesser",
        "risk_index": "12",
        "control_activity": "Kontroll av dokumentationen.",
        "method": "total",
        "how_when": "I april och oktober.",
        "control_months": ["4", "10"],
        field: text,
    }
    response = client.post(reverse("controls:risk_create", args=[plan.pk]), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert plan.risks.count() == 1


# --- Excel import ------------------------------------------------------------------------------


def patched(data: bytes, replacements: dict[str, str]) -> bytes:
    """The workbook with the first sheet's XML edited: what openpyxl will not write itself."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                text = content.decode()
                for old, new in replacements.items():
                    assert old in text, old
                    text = text.replace(old, new)
                content = text.encode()
            target.writestr(item, content)
    return out.getvalue()


def number_cell(value: str) -> bytes:
    """One risk whose Riskindex cell C3 holds `value` as written in the file."""
    return patched(one_risk(index=6), {'<c r="C3" t="n"><v>6</v></c>': value})


def zip_bomb() -> bytes:
    """A valid workbook plus a member that unpacks to 60 MB from a few kilobytes."""
    out = io.BytesIO(one_risk())
    with zipfile.ZipFile(out, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/media/fyllnad.bin", b"\0" * (60 * 1024 * 1024))
    return out.getvalue()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        pytest.param(
            one_risk(index=999999999999999),
            "Cell C3 (Riskindex): Talet är för stort: högst 32 767.",
            id="15-digits",
        ),
        pytest.param(
            number_cell('<c r="C3" t="n"><v>1e308</v></c>'),
            "Cell C3 (Riskindex): Talet är för stort: högst 32 767.",
            id="1e308",
        ),
        pytest.param(
            number_cell('<c r="C3" t="n"><v>1e999</v></c>'),
            "Cell C3 (Riskindex): Värdet är inte ett tal (oändligt eller odefinierat).",
            id="inf",
        ),
        pytest.param(
            number_cell('<c r="C3" t="n"><v>-1e999</v></c>'),
            "Cell C3 (Riskindex): Värdet är inte ett tal (oändligt eller odefinierat).",
            id="minus-inf",
        ),
        pytest.param(
            one_risk(index="NaN"),
            "Cell C3 (Riskindex): ”NaN” är inte ett heltal.",
            id="nan-text",
        ),
        pytest.param(
            one_risk(index="9" * 5000),
            "Cell C3 (Riskindex): Cellen ska innehålla ett heltal.",
            id="5000-digits",
        ),
        pytest.param(
            number_cell('<c r="C3" t="e"><v>#DIV/0!</v></c>'),
            "Cell C3 (Riskindex): Cellen innehåller felvärdet #DIV/0!. Rätta formeln i Excel "
            "eller skriv in värdet.",
            id="error-cell",
        ),
        pytest.param(
            patched(
                one_risk(),
                {
                    '<c r="B3" t="inlineStr"><is><t>En risk.</t></is></c>': (
                        '<c r="B3" t="e"><f>VLOOKUP(1,Z1:Z2,2)</f><v>#N/A</v></c>'
                    )
                },
            ),
            "Cell B3 (Risk): Cellen innehåller felvärdet #N/A. Rätta formeln i Excel eller skriv "
            "in värdet.",
            id="error-in-text-column",
        ),
        pytest.param(
            xlsx([HEADER, [M, "=CONCAT(Z1,Z2)", 6, "Kontroll.", APRIL_OCTOBER]]),
            "Cell B2 (Risk): Cellen innehåller en formel utan sparat värde. Öppna filen i Excel, "
            "spara den och läs in den igen, eller skriv in värdet.",
            id="uncached-formula",
        ),
        pytest.param(
            xlsx([HEADER, ["=Z1", "Risk.", 6, "Kontroll.", APRIL_OCTOBER]]),
            "Cell A2 (Process): Cellen innehåller en formel utan sparat värde.",
            id="uncached-formula-process",
        ),
        pytest.param(
            xlsx([HEADER, [M, "x" * 100_000, 6, "Kontroll.", APRIL_OCTOBER]]),
            # openpyxl writes at most Excel's 32 767 characters a cell
            "Cell B2 (Risk): Texten är för lång: högst 20 000 tecken (nu 32 767).",
            id="100000-characters",
        ),
        pytest.param(
            one_risk(how_when=f"Stickprov om 999999999999999 ärenden. {APRIL_OCTOBER}"),
            "Cell E3 (Hur ska kontrollen utföras och när): Stickprovet kan omfatta högst "
            "100 000 ärenden.",
            id="sample-15-digits",
        ),
        pytest.param(
            one_risk(how_when=f"Stickprov om {'9' * 5000} ärenden. {APRIL_OCTOBER}"),
            "Cell E3 (Hur ska kontrollen utföras och när): Stickprovet kan omfatta högst "
            "100 000 ärenden.",
            id="sample-5000-digits",
        ),
        pytest.param(
            xlsx([HEADER, *([M, "Risk.", 6, "Kontroll.", APRIL_OCTOBER] for _ in range(2001))]),
            "Bladet ”Sheet” har fler än 2000 rader. Dela upp filen.",
            id="too-many-rows",
        ),
        pytest.param(
            xlsx([[*HEADER, *(["x"] * 40)], [M, "Risk.", 6, "Kontroll.", APRIL_OCTOBER]]),
            "Bladet ”Sheet” har fler än 40 kolumner i bruk.",
            id="too-many-columns",
        ),
        pytest.param(zip_bomb(), "Excelfilen är för stor uppackad", id="zip-bomb"),
    ],
)
def test_a_bad_cell_gets_a_message_at_the_cell_and_nothing_is_saved(
    data, message, committee, controller
):
    errors = parse_plan_workbook(data, scale_max=5).errors
    assert any(error.startswith(message) for error in errors), errors
    with pytest.raises(ValidationError) as caught:
        import_plan(committee=committee, year=2025, data=data, by=controller)
    assert any(error.startswith(message) for error in caught.value.messages)
    assert not ControlPlan.objects.exists() and not Risk.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="control_").exists()


def test_a_formula_with_a_saved_value_is_read(committee, controller):
    data = patched(
        one_risk(index=6),
        {'<c r="C3" t="n"><v>6</v></c>': '<c r="C3"><f>2*3</f><v>6</v></c>'},
    )
    sheet = parse_plan_workbook(data, scale_max=5)
    assert sheet.errors == [] and sheet.rows[0].risk_index == 6


def test_the_import_preview_shows_the_cell_message_and_keeps_one_upload(client, controller):
    client.force_login(controller)
    url = reverse("controls:plan_import")
    for _ in range(2):
        data = number_cell('<c r="C3" t="n"><v>1e308</v></c>')
        response = client.post(url, {"year": "2026", "file": SimpleUploadedFile("plan.xlsx", data)})
        assert response.status_code == 302
    assert PlanImport.objects.count() == 1  # the abandoned first upload is gone
    preview = client.get(response["Location"])
    assert preview.status_code == 200
    assert "Cell C3 (Riskindex): Talet är för stort: högst 32 767." in preview.content.decode()
    response = client.post(response["Location"])
    assert response.status_code == 400
    assert not ControlPlan.objects.exists()


# --- Excel export ------------------------------------------------------------------------------


def test_the_export_writes_formula_like_text_as_text(committee, controller, unit):
    plan = services.plan_create(committee=committee, year=2026, by=controller)
    services.risk_save(
        plan=plan,
        data=risk_data(
            unit,
            process_name='=HYPERLINK("http://evil.example","Myndighet")',
            title="=1+2",
            control_activity="+SUM(A1:A9)",
            how_when="-2 kontroller i april och oktober",
            responsible_role="@Enhetschef",
        ),
        by=controller,
    )
    # Stored before the text checks existed: a control character the file cannot hold.
    Risk.objects.filter(plan=plan).update(title="=1+2\x07")
    workbook = load_workbook(io.BytesIO(export_plan_workbook(plan)))
    plan_sheet, details = workbook.worksheets
    row = list(plan_sheet[3])
    assert [cell.data_type for cell in row] == ["s", "s", "n", "s", "s"]
    assert row[0].value == '=HYPERLINK("http://evil.example","Myndighet")'
    assert row[1].value == "=1+2"
    detail = {cell.column_letter: cell for cell in details[2]}
    assert detail["B"].data_type == "s" and detail["C"].data_type == "s"
    assert detail["L"].value == "@Enhetschef" and detail["L"].data_type == "s"
    assert not [
        cell.coordinate
        for sheet in workbook.worksheets
        for line in sheet.iter_rows()
        for cell in line
        if cell.data_type == "f"
    ]


@pytest.mark.parametrize("index", ["²", "9" * 30])
def test_a_row_number_that_is_not_a_plain_number_is_ignored(client, occasion, handlaggare, index):
    """The figure and åtgärd rows are counted from the posted field names."""
    client.force_login(handlaggare)
    data = result_post(occasion, **{f"figure-{index}-group": "Barn"})
    response = client.post(reverse("controls:occasion", args=[occasion.pk]), data)
    assert response.status_code == 302
    assert Result.objects.get().figures.count() == 1
