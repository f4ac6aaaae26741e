"""Internkontrollplan in Excel: export layout, parsing the VP table (merged Process cells,
page-broken rows, repeated headers), every bad-input case with its Swedish cell reference, and
the all-or-nothing import."""

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from openpyxl import Workbook, load_workbook

from controls import services
from controls.excel import export_plan_workbook, import_plan, parse_plan_workbook
from controls.models import ControlMethod, ControlPlan, Process, Risk
from solna_sn.models import AuditEntry, Role
from tests.factories import CommitteeFactory, UnitFactory, UserFactory

HEADER = ["Process", "Risk", "Riskindex", "Kontrollmoment", "Hur ska kontrollen utföras och när"]
APRIL_OCTOBER = "Kontrollen ska genomföras två gånger per år, i april och oktober."

# Internkontrollplan 2025 (VP 2025, §5.2), verbatim: process, risk, riskindex, kontrollmoment,
# hur och när.
M, P = "Myndighetsbeslut", "Placeringar"
SOURCE = [
    (
        M,
        "Beslut av domstol som går nämnden emot följs inte upp och beaktas inte i verksamheten.",
        4,
        "Kontroll av att beslut från domstol som går nämnden emot efterföljs inom verksamheten.",
        "Uppföljning av samtliga domar som gått nämnden emot under perioden och kontrollera att "
        f"nödvändiga åtgärder vidtagits. {APRIL_OCTOBER}",
    ),
    (
        M,
        "Förhandsbedömningar görs inte inom lagstadgad tidsfrist.",
        12,
        "Kontroll av samtliga utredningar att tidsfrist hålls samt att eventuella förlängningar "
        "har ett giltigt beslut.",
        "Kontroll av samtliga förhandsbedömningar som avslutats under perioden. Om "
        "förhandsbedömning gått över tid ska det finnas en anteckning och motivering till "
        f"förlängd tidsfrist. {APRIL_OCTOBER}",
    ),
    (
        M,
        "Förhandsbedömningar vid orosanmälningar gällande vuxna med missbruk eller psykisk "
        "funktionsnedsättning inklusive bedömning om eventuell LVM-utredning görs inte korrekt.",
        6,
        "Kontroll via stickprov av dokumentation att förhandsbedömningar gällande vuxna med "
        "missbruk görs korrekt.",
        "Stickprov om 5 förhandsbedömningar kontrolleras mot checklista för "
        f"förhandsbedömningar. {APRIL_OCTOBER}",
    ),
    (
        M,
        "Handläggning görs inte i enlighet med gällande lagstiftning, riktlinjer och rutiner i "
        "ärenden som avser tvångsinsatser enligt LVU.",
        6,
        "Kontroll genom stickprov att handläggning av ärenden gällande tvångsvård enligt LVU "
        "görs korrekt.",
        "Kontroll görs av ärenden enligt LVU under perioden. Är antalet ärenden över 5 stycken "
        "görs ett stickprov om 5 ärenden. Ärendets dokumentation kontrolleras mot checklista för "
        f"handläggning av ärenden enligt LVU. {APRIL_OCTOBER}",
    ),
    (
        M,
        "Handläggning görs inte i enlighet med gällande lagstiftning, riktlinjer och rutiner, i "
        "ärenden som avser tvångsinsatser enligt LVM.",
        6,
        "Kontroll via stickprov att handläggning av ärenden som rör tvångsvård görs i enlighet "
        "med gällande lagstiftning, riktlinjer och rutiner.",
        "Kontroll av samtliga ärenden enligt LVM. Om antalet överstiger 5 görs ett stickprov om 5 "
        "ärenden. Kontroll av dokumentation i ärendet mot checklista för handläggning av LVM. "
        f"{APRIL_OCTOBER}",
    ),
    (
        M,
        "Utredningstider för vuxna med missbruk eller psykisk funktionsnedsättning överstiger "
        "tre månader.",
        6,
        "Kontroll via stickprov av att utredningstider inte överstiger tre månader.",
        "Kontroll av samtliga avslutade utredningar under perioden att de inte överskridit tre "
        f"månaders handläggning. {APRIL_OCTOBER}",
    ),
    (
        M,
        "Utredningstider håller inte lagstadgade tidsfrister.",
        9,
        "Kontroll av samtliga utredningar att tidsfrist hålls samt att eventuella förlängningar "
        "har ett giltigt beslut.",
        "Kontroll av samtliga avslutade utredningar under perioden. Om utredningstiden överstigit "
        "4 månader ska ett beslut om förlängd utredningstid finnas med motivering och nytt "
        "slutdatum. Kontrollen ska genomföras fyra gånger per år, i april, juli, oktober och "
        "januari.",
    ),
    (
        P,
        "Barn och ungdomar placeras i jourhem som inte är godkända av en socialnämnd.",
        9,
        "Kontroll av att placering av barn och unga sker i jourhem som är godkända av en nämnd.",
        "Kontroll görs genom genomgång av dokumentation i alla ärenden där barn och ungdomar "
        "placerats i jourhem. Det ska vara dokumenterat i ärendet att jourhemmet är godkänt av en "
        f"nämnd. {APRIL_OCTOBER}",
    ),
    (
        P,
        "Placering av barn- och ungdomar sker i verksamheter som inte har ett aktuellt tillstånd "
        "att bedriva sin verksamhet",
        8,
        "Kontroll via IVO av att placering av barn och unga sker i verksamhet som har tillstånd "
        "att bedriva sin verksamhet.",
        "Kontroll genom stickprov av placeringar i HVB, stödboende samt konsulentstödda "
        "familjehem. I dokumentationen ska framgå att nämnden kontrollerat aktuellt tillstånd. "
        f"{APRIL_OCTOBER}",
    ),
]


def xlsx(rows, *, merges=(), title=None) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    if title:
        sheet.title = title
    for row in rows:
        sheet.append(list(row))
    for cells in merges:
        sheet.merge_cells(cells)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def source_sheet() -> bytes:
    """The VP table as it comes out of the PDF: a title row; the Process printed only on the
    first row of each merged group; a page break after risk 4 whose last cell continues on the
    next page under a repeated header; the next page's rows without process."""
    page_break = "Ärendets dokumentation kontrolleras mot checklista för handläggning"
    risk4 = list(SOURCE[3])
    before, after = risk4[4].split(page_break)
    risk4[4] = before + page_break
    rows = [["Internkontrollplan 2025"], HEADER]
    rows += [SOURCE[0], *[["", *r[1:]] for r in SOURCE[1:3]], ["", *risk4[1:]]]  # rows 3–6
    rows += [HEADER, ["", "", "", "", after.strip()]]  # rows 7–8
    rows += [["", *r[1:]] for r in SOURCE[4:7]]  # rows 9–11
    rows += [SOURCE[7], ["", *SOURCE[8][1:]]]  # rows 12–13
    return xlsx(rows, merges=["A3:A6", "A12:A13"])


def one_risk(*, index=6, how_when=APRIL_OCTOBER, process=M, header=HEADER, extra=()) -> bytes:
    row = {
        "Process": process,
        "Risk": "En risk.",
        "Riskindex": index,
        "Kontrollmoment": "Kontroll av samtliga ärenden.",
        "Hur ska kontrollen utföras och när": how_when,
    }
    return xlsx([["Internkontrollplan 2025"], [*header], [row.get(h) for h in header], *extra])


@pytest.fixture
def committee(db):
    return CommitteeFactory()


@pytest.fixture
def controller(db):
    return UserFactory(role=Role.CONTROLLER, units=[UnitFactory()])


def nothing_saved():
    return not ControlPlan.objects.exists() and not Risk.objects.exists()


def risk_data(process, title, index, activity, how_when, **extra):
    return {
        "process_name": process,
        "title": title,
        "category": "verksamhetsprocesser",
        "risk_index": index,
        "control_activity": activity,
        "how_when": how_when,
        **extra,
    }


# --- Export and round trip --------------------------------------------------------------------


@pytest.fixture
def plan(committee, controller):
    plan = services.plan_create(committee=committee, year=2025, by=controller)
    unit = controller.units.get()
    for data in (
        risk_data(
            M,
            "Domar följs inte upp.",
            None,
            "Kontroll av att domar efterföljs.",
            f"Uppföljning av samtliga domar under perioden. {APRIL_OCTOBER}",
            likelihood=2,
            consequence=2,
            method=ControlMethod.TOTAL,
            control_months=[4, 10],
            responsible_unit=unit,
            responsible_role="Enhetschef",
        ),
        risk_data(
            P,
            "Jourhem är inte godkända.",
            9,
            "Kontroll av att jourhemmen är godkända.",
            "Genomgång av dokumentation i alla ärenden. Kontrollen ska genomföras fyra gånger "
            "per år, i april, juli, oktober och januari.",
            method=ControlMethod.DOCUMENT,
            control_months=[1, 4, 7, 10],
        ),
        risk_data(
            M,
            "Förhandsbedömningar görs inte korrekt.",
            6,
            "Kontroll via stickprov av förhandsbedömningar.",
            f"Stickprov om 5 förhandsbedömningar kontrolleras mot checklista. {APRIL_OCTOBER}",
            method=ControlMethod.SAMPLE,
            sample_size=5,
            control_months=[4, 10],
        ),
    ):
        services.risk_save(plan=plan, data=data, by=controller)
    return plan


def key(item):
    """What the VP table carries, for a Risk or a ParsedRisk."""
    process = item.process_name if hasattr(item, "process_name") else item.process.name
    return (
        process,
        item.title,
        item.risk_index,
        item.control_activity,
        item.how_when,
        list(item.control_months),
        item.method,
        item.sample_size,
    )


def test_export_layout(plan):
    workbook = load_workbook(io.BytesIO(export_plan_workbook(plan)))
    assert workbook.sheetnames == ["Internkontrollplan 2025", "Detaljer"]
    sheet = workbook["Internkontrollplan 2025"]
    assert sheet["A1"].value.startswith("Internkontrollplan 2025")
    assert [c.value for c in sheet[2]] == HEADER
    assert all(c.font.bold for c in sheet[2])
    assert sheet.freeze_panes == "A3"
    # grouped_risks order: the process first added comes first, with both its risks
    assert [sheet.cell(row=r, column=1).value for r in (3, 4, 5)] == [M, None, P]
    assert [sheet.cell(row=r, column=2).value for r in (3, 4, 5)] == [
        "Domar följs inte upp.",
        "Förhandsbedömningar görs inte korrekt.",
        "Jourhem är inte godkända.",
    ]
    assert {str(r) for r in sheet.merged_cells.ranges} == {"A3:A4"}
    assert [sheet.cell(row=r, column=3).value for r in (3, 4, 5)] == [4, 6, 9]
    assert isinstance(sheet["C3"].value, int)
    assert sheet["E5"].alignment.wrap_text
    assert sheet.column_dimensions["E"].width > sheet.column_dimensions["C"].width
    assert sheet.max_row == 5

    details = workbook["Detaljer"]
    assert [c.value for c in details[1]] == [
        "Nr",
        "Process",
        "Risk",
        "Kategori",
        "Sannolikhet",
        "Konsekvens",
        "Riskindex",
        "Metod",
        "Stickprov",
        "Kontrollmånader",
        "Ansvarig enhet",
        "Ansvarig funktion",
    ]
    rows = [[c.value for c in row] for row in details.iter_rows(min_row=2)]
    unit = plan.risks.get(number=1).responsible_unit
    assert rows[0] == [
        1,
        M,
        "Domar följs inte upp.",
        "Verksamhetsprocesser",
        2,
        2,
        4,
        "Totalkontroll",
        None,
        "april, oktober",
        unit.name,
        "Enhetschef",
    ]
    assert rows[1][0] == 3 and rows[1][7:10] == ["Stickprov", 5, "april, oktober"]
    assert rows[2][0] == 2 and rows[2][7:10] == [
        "Dokumentgranskning",
        None,
        "januari, april, juli, oktober",
    ]
    assert rows[2][4:6] == [None, None]


def test_round_trip_parse(plan):
    parsed = parse_plan_workbook(export_plan_workbook(plan), scale_max=plan.scale_max)
    assert parsed.errors == []
    expected = [key(r) for g in services.grouped_risks(plan) for r in g.risks]
    assert [key(r) for r in parsed.rows] == expected
    assert [r.row for r in parsed.rows] == [3, 4, 5]


def test_round_trip_import(plan, committee, controller):
    imported = import_plan(
        committee=committee, year=2026, data=export_plan_workbook(plan), by=controller
    )
    original = [key(r) for g in services.grouped_risks(plan) for r in g.risks]
    assert [key(r) for g in services.grouped_risks(imported) for r in g.risks] == original
    assert [p.name for p in imported.processes.all()] == [M, P]


# --- Import of the VP table -------------------------------------------------------------------


def test_import_source_layout(committee, controller):
    plan = import_plan(committee=committee, year=2025, data=source_sheet(), by=controller)
    assert plan.year == 2025 and plan.state == "draft"
    risks = list(services.plan_risks(plan))
    assert [(r.number, r.process.name, r.title, r.risk_index) for r in risks] == [
        (n, process, title, index)
        for n, (process, title, index, _, _) in enumerate(SOURCE, start=1)
    ]
    assert [r.control_activity for r in risks] == [s[3] for s in SOURCE]
    # the page-broken last cell is joined back with a space
    assert risks[3].how_when == SOURCE[3][4]
    assert [r.how_when for r in risks] == [s[4] for s in SOURCE]
    assert [r.control_months for r in risks] == [[4, 10]] * 6 + [[1, 4, 7, 10]] + [[4, 10]] * 2
    assert [(r.method, r.sample_size) for r in risks] == [
        (ControlMethod.TOTAL, None),
        (ControlMethod.TOTAL, None),
        (ControlMethod.SAMPLE, 5),  # "Stickprov om 5 förhandsbedömningar …"
        (ControlMethod.SAMPLE, 5),
        (ControlMethod.SAMPLE, 5),
        (ControlMethod.TOTAL, None),  # "via stickprov" without a size; "samtliga" in the text
        (ControlMethod.TOTAL, None),
        (ControlMethod.DOCUMENT, None),
        (ControlMethod.DOCUMENT, None),  # "genom stickprov" without a size
    ]
    assert all(r.category == "verksamhetsprocesser" for r in risks)
    assert all(r.likelihood is None and r.consequence is None for r in risks)
    assert all(r.responsible_unit is None and r.responsible_role == "" for r in risks)
    assert [p.name for p in plan.processes.all()] == [M, P]
    entry = AuditEntry.objects.get(action="control_plan.imported")
    assert entry.target_id == str(plan.pk)
    assert entry.changes == {"rader": [None, 9]}
    assert entry.actor_id == controller.pk


def test_parse_source_rows_numbers():
    parsed = parse_plan_workbook(source_sheet(), scale_max=5)
    assert parsed.errors == []
    assert [r.row for r in parsed.rows] == [3, 4, 5, 6, 9, 10, 11, 12, 13]
    assert [r.process_name for r in parsed.rows] == [M] * 7 + [P] * 2


def test_parse_header_any_order_case_whitespace_and_extra_columns():
    data = xlsx(
        [
            ["Internkontrollplan 2025", None, None],
            [
                "  HUR SKA kontrollen\nutföras   och när ",
                "kontrollmoment",
                "Anteckning",
                "riskindex",
                "Konsekvens",
                "RISK",
                "Sannolikhet",
                " process ",
            ],
            [APRIL_OCTOBER, "Kontroll av samtliga.", "bortses från", "12", 4, "Risken.", 3.0, M],
        ]
    )
    parsed = parse_plan_workbook(data, scale_max=5)
    assert parsed.errors == []
    [row] = parsed.rows
    assert (row.process_name, row.title, row.risk_index) == (M, "Risken.", 12)
    assert (row.likelihood, row.consequence) == (3, 4)
    assert (row.control_months, row.method, row.sample_size) == ([4, 10], "total", None)


@pytest.mark.parametrize("value", [12, 12.0, "12", " 12 ", "12,0"])
def test_parse_riskindex_integer_forms(value):
    parsed = parse_plan_workbook(one_risk(index=value), scale_max=5)
    assert parsed.errors == []
    assert parsed.rows[0].risk_index == 12


def test_parse_skips_empty_rows_and_reads_methods():
    rows = [
        ["Internkontrollplan 2025"],
        [],
        HEADER,
        [M, "A.", 4, "Granskning av beslut.", "Görs i mars."],
        [None, None, None, None, None],
        ["", "B.", 4, "Kontroll.", "Någon metod, i december."],
        [P, "C.", 4, "Kontroll.", "Ett stickprov om 10 ärenden tas i maj och november."],
    ]
    parsed = parse_plan_workbook(xlsx(rows), scale_max=5)
    assert parsed.errors == []
    found = [
        (r.row, r.process_name, r.method, r.sample_size, r.control_months) for r in parsed.rows
    ]
    assert found == [
        (4, M, "document", None, [3]),
        (6, M, "other", None, [12]),
        (7, P, "sample", 10, [5, 11]),
    ]


def test_parse_scale_four():
    parsed = parse_plan_workbook(one_risk(index=20), scale_max=4)
    assert parsed.errors == [
        "Cell C3 (Riskindex): Riskindex ska ligga mellan 1 och 16 på nämndens skala 1–4."
    ]
    assert parsed.rows == []


# --- Bad input: a Swedish message with its cell, and nothing saved -----------------------------


FACTORS_HEADER = [*HEADER, "Sannolikhet", "Konsekvens"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        pytest.param(
            one_risk(header=[h for h in HEADER if h != "Riskindex"]),
            "Kolumnen ”Riskindex” saknas i rubrikraden (rad 2).",
            id="missing-column",
        ),
        pytest.param(
            one_risk(header=["Process", "Risk", "Kontrollmoment"]),
            "Kolumnerna ”Riskindex” och ”Hur ska kontrollen utföras och när” saknas i "
            "rubrikraden (rad 2).",
            id="missing-columns",
        ),
        pytest.param(
            one_risk(index=30),
            "Cell C3 (Riskindex): Riskindex ska ligga mellan 1 och 25 på nämndens skala 1–5.",
            id="index-above-scale",
        ),
        pytest.param(
            one_risk(index="tolv"),
            "Cell C3 (Riskindex): ”tolv” är inte ett heltal.",
            id="index-text",
        ),
        pytest.param(
            one_risk(index=12.5),
            "Cell C3 (Riskindex): 12,5 är inte ett heltal.",
            id="index-fraction",
        ),
        pytest.param(
            one_risk(index=7),
            "Cell C3 (Riskindex): Riskindex 7 kan inte bildas som sannolikhet × konsekvens på "
            "skalan 1–5.",
            id="index-prime",
        ),
        pytest.param(
            one_risk(index=0),
            "Cell C3 (Riskindex): Riskindex ska ligga mellan 1 och 25 på nämndens skala 1–5.",
            id="index-zero",
        ),
        pytest.param(
            one_risk(index=None),
            "Cell C3 (Riskindex): Ange riskindex, eller sannolikhet och konsekvens.",
            id="index-empty",
        ),
        pytest.param(
            xlsx([FACTORS_HEADER, [M, "Risk.", 12, "Kontroll.", APRIL_OCTOBER, 3, 3]]),
            "Cell C2 (Riskindex): Riskindex 12 stämmer inte med sannolikhet × konsekvens "
            "(3 × 3 = 9).",
            id="factors-mismatch",
        ),
        pytest.param(
            xlsx([FACTORS_HEADER, [M, "Risk.", 12, "Kontroll.", APRIL_OCTOBER, 6, 2]]),
            "Cell F2 (Sannolikhet): Sannolikhet ska vara ett heltal från 1 till 5.",
            id="factor-off-scale",
        ),
        pytest.param(
            xlsx([FACTORS_HEADER, [M, "Risk.", 12, "Kontroll.", APRIL_OCTOBER, 3, None]]),
            "Cell G2 (Konsekvens): Ange även konsekvens, eller lämna båda tomma och ange bara "
            "riskindex.",
            id="factor-missing",
        ),
        pytest.param(
            one_risk(how_when="Kontrollen görs två gånger per år."),
            "Cell E3 (Hur ska kontrollen utföras och när): Ingen kontrollmånad hittades i "
            "texten. Skriv ut månaderna, till exempel ”Kontrollen ska genomföras i april och "
            "oktober.”",
            id="no-month",
        ),
        pytest.param(
            one_risk(process=None),
            "Cell A3 (Process): Den första risken saknar process. Skriv processens namn i cellen.",
            id="first-row-without-process",
        ),
        pytest.param(
            one_risk(process="x" * 201),
            "Cell A3 (Process): Processens namn får vara högst 200 tecken.",
            id="process-too-long",
        ),
        pytest.param(
            xlsx([HEADER, [M, "", 4, "Kontroll.", APRIL_OCTOBER]]),
            "Cell B2 (Risk): Beskriv risken.",
            id="risk-empty",
        ),
        pytest.param(b"not excel", "Filen är inte en Excelfil (.xlsx).", id="not-xlsx"),
        pytest.param(b"", "Filen är tom.", id="empty-file"),
        pytest.param(xlsx([], title="Plan"), "Första bladet (”Plan”) är tomt.", id="empty-sheet"),
        pytest.param(
            xlsx([["Internkontrollplan 2025"], HEADER, [], [None, None]]),
            "Tabellen har inga risker under rubrikraden (rad 2).",
            id="header-only",
        ),
        pytest.param(
            xlsx([["Något helt annat"], ["a", "b"]], title="Blad1"),
            "Hittar ingen rubrikrad på första bladet (”Blad1”). Tabellen ska ha kolumnerna "
            "”Process”, ”Risk”, ”Riskindex”, ”Kontrollmoment” och ”Hur ska kontrollen utföras "
            "och när”.",
            id="no-header",
        ),
        pytest.param(
            xlsx([[*HEADER, "risk"], [M, "A.", 4, "K.", APRIL_OCTOBER, "B."]]),
            "Kolumnen ”Risk” finns två gånger i rubrikraden (rad 1).",
            id="duplicate-column",
        ),
    ],
)
def test_bad_input(data, message, committee, controller):
    assert message in parse_plan_workbook(data, scale_max=5).errors
    with pytest.raises(ValidationError) as caught:
        import_plan(committee=committee, year=2025, data=data, by=controller)
    assert message in caught.value.messages
    assert nothing_saved()
    assert not AuditEntry.objects.filter(action__startswith="control_").exists()


def test_all_row_errors_are_reported_and_good_rows_kept():
    rows = [
        HEADER,
        [M, "A.", "tolv", "K.", APRIL_OCTOBER],
        ["", "B.", 4, "K.", APRIL_OCTOBER],
        ["", "C.", 7, "K.", "Ingen månad."],
    ]
    parsed = parse_plan_workbook(xlsx(rows), scale_max=5)
    assert parsed.errors == [
        "Cell C2 (Riskindex): ”tolv” är inte ett heltal.",
        "Cell C4 (Riskindex): Riskindex 7 kan inte bildas som sannolikhet × konsekvens på "
        "skalan 1–5.",
        "Cell E4 (Hur ska kontrollen utföras och när): Ingen kontrollmånad hittades i texten. "
        "Skriv ut månaderna, till exempel ”Kontrollen ska genomföras i april och oktober.”",
    ]
    assert [(r.row, r.title) for r in parsed.rows] == [(3, "B.")]


def test_bad_row_late_in_the_sheet_saves_nothing(committee, controller):
    rows = [["Internkontrollplan 2025"], HEADER, *SOURCE[:8], [P, "Sista.", 30, "K.", "i maj"]]
    with pytest.raises(ValidationError) as caught:
        import_plan(committee=committee, year=2025, data=xlsx(rows), by=controller)
    assert caught.value.messages == [
        "Cell C11 (Riskindex): Riskindex ska ligga mellan 1 och 25 på nämndens skala 1–5."
    ]
    assert nothing_saved()
    assert not Process.objects.exists()


def test_year_with_a_plan_already(committee, controller):
    existing = services.plan_create(committee=committee, year=2025, by=controller)
    with pytest.raises(ValidationError) as caught:
        import_plan(committee=committee, year=2025, data=source_sheet(), by=controller)
    assert "Det finns redan en internkontrollplan för 2025." in caught.value.messages
    assert list(ControlPlan.objects.all()) == [existing]
    assert not Risk.objects.exists()
    assert not AuditEntry.objects.filter(action="control_plan.imported").exists()


def test_import_needs_permission(committee):
    clerk = UserFactory(role=Role.HANDLAGGARE, units=[UnitFactory()])
    with pytest.raises(PermissionDenied):
        import_plan(committee=committee, year=2025, data=source_sheet(), by=clerk)
    assert nothing_saved()
