"""The arithmetic of the economic tables against the published 2024 and 2025 figures
(shared/domain/handlingar-2024-10-07.md §4.1–4.7, fixtures copied verbatim from the sources).
Pure: no database."""

import csv
import datetime
from decimal import Decimal
from pathlib import Path

import pytest

from economy import personnel, seed, tables
from economy.tables import CheckKind, ColumnSpec, Derived, Figure, RowKind, RowSpec, Sign

FIXTURES = Path(__file__).parent / "fixtures"
D = Decimal


def printed(name: str, code: str, year: int):
    """(spec, given, errors) from a verbatim TSV: every printed figure as given; repeated
    header rows dropped; unparseable cells reported, not guessed."""
    from solna_sn.lib.numbers import NumberFormatError, parse_percent

    spec = seed.spec(code, year)
    columns = [column for column in spec.columns if column.printed]
    labels = {row.label: row.code for row in spec.rows}
    with open(FIXTURES / name, encoding="utf-8") as handle:
        lines = list(csv.reader(handle, delimiter="\t"))
    header, body = lines[0], lines[1:]
    given, errors = {}, []
    for line in body:
        if line[0] == header[0]:
            continue  # the header repeated at a page break
        for column, raw in zip(columns, line[1:], strict=True):
            if raw.strip():
                try:
                    given[(labels[line[0]], column.code)] = parse_percent(raw)
                except NumberFormatError as error:
                    errors.append((labels[line[0]], column.code, str(error)))
    return spec, given, errors


def rounding_checks(result):
    return sorted(
        (check.kind.value, check.row, check.column) for check in result.checks if check.rounding
    )


# --- Delårsrapport per augusti 2024 -------------------------------------------------------


def test_resultatrakning_2024_every_derived_column_reproduced_within_tolerance():
    spec, given, errors = printed("delar-2024-resultatrakning.tsv", "DELAR_RESULTATRAKNING", 2024)
    assert errors == []
    result = tables.compute(spec, given, months=8)
    formula_checks = [c for c in result.checks if c.kind is CheckKind.FORMULA]
    # % 24/23 on the three sum rows, Budgetavvikelse and Prognosavvikelse on all 13 rows.
    assert len(formula_checks) == 3 + 13 + 13
    failing = [(c.row, c.column) for c in result.checks if not c.ok]
    assert failing == [("LOKAL", "BUDGETAVVIKELSE")]  # 0,4 printed, 0,53 computed (§4.0)
    assert result.warnings == [
        "Lokalkostnader, Budgetavvikelse: angivet 0,4 men Utfall 2024 − Årsbudget × 8/12 ger 0,53."
    ]


def test_resultatrakning_2024_known_rounding_differences_are_flagged_as_rounding():
    spec, given, _ = printed("delar-2024-resultatrakning.tsv", "DELAR_RESULTATRAKNING", 2024)
    result = tables.compute(spec, given, months=8)
    sums = [(row, column) for kind, row, column in rounding_checks(result) if kind == "sum"]
    # §10.3 item 3: Σ revenue 2024 26,0 vs 26,1; Σ costs 2024 −164,2 vs −164,3; Σ costs 2023
    # −166,1 vs −166,0; Σ costs Årsbudget −277,4 vs −277,3; Σ costs Prognosavvikelse 27,8 vs
    # 27,7; net 2023 −128,9 vs −129,0.
    assert sorted(sums) == [
        ("NETTO", "UTFALL_FG"),
        ("SUMMA_INTAKTER", "UTFALL"),
        ("SUMMA_KOSTNADER", "BUDGET"),
        ("SUMMA_KOSTNADER", "PROGNOSAVVIKELSE"),
        ("SUMMA_KOSTNADER", "UTFALL"),
        ("SUMMA_KOSTNADER", "UTFALL_FG"),
    ]
    check = next(
        c
        for c in result.checks
        if (c.kind, c.row, c.column) == (CheckKind.SUM, "SUMMA_INTAKTER", "UTFALL")
    )
    assert (check.given, check.expected, check.tolerance) == (D("26.1"), D("26.0"), D("0.5"))
    # §10.3 item 4: −29,7 % and −1,1 % printed where the rounded figures give −29,6 % and
    # −1,0 %: within what rounding of the operands explains.
    percent = {row: result.cell(row, "PROCENT") for row in ("SUMMA_INTAKTER", "SUMMA_KOSTNADER")}
    assert round(percent["SUMMA_INTAKTER"].computed, 1) == D("-29.6")
    assert round(percent["SUMMA_KOSTNADER"].computed, 1) == D("-1.0")
    assert all(cell.rounding and not cell.warnings for cell in percent.values())


def test_percent_change_is_only_printed_on_sum_rows():
    spec, given, _ = printed("delar-2024-resultatrakning.tsv", "DELAR_RESULTATRAKNING", 2024)
    result = tables.compute(spec, given, months=8)
    assert result.value("TAXOR", "PROCENT") is None
    assert result.text("NETTO", "PROCENT") == "7,1 %"
    assert result.cell("TAXOR", "PROCENT").computed is not None  # computed, not printed


def test_verksamheter_2024_every_column_adds_up_and_the_malformed_prognos_is_an_error():
    spec, given, errors = printed("delar-2024-verksamheter.tsv", "DELAR_VERKSAMHETER", 2024)
    assert errors == [("EA", "PROGNOS", "”-43,3,0” har mer än ett decimalkomma.")]
    result = tables.compute(spec, given, months=8)
    assert result.warnings == []
    sums = [c for c in result.checks if c.kind is CheckKind.SUM]
    assert {c.column for c in sums} == {
        "UTFALL",
        "UTFALL_FG",
        "BUDGETAVVIKELSE",
        "BUDGET",
        "PROGNOSAVVIKELSE",
    }  # not PROGNOS: one of its rows is missing, so no sum check is made there
    assert all(c.difference == 0 for c in sums)  # "every column adds up exactly"
    # "3" printed without a decimal is the same figure as 3,0 and prints as 3,0.
    assert result.text("FG", "BUDGETAVVIKELSE") == "3,0"
    assert result.text("NETTO", "PROCENT") == "7,1"  # no % sign in this table
    # The intended −43,3: with it, the prognos sums and the prognosavvikelse 0,0 agree.
    fixed = {**given, ("EA", "PROGNOS"): D("-43.3")}
    fixed_result = tables.compute(spec, fixed, months=8)
    assert fixed_result.warnings == []
    assert fixed_result.cell("EA", "PROGNOSAVVIKELSE").computed == D("0.0")


def test_investeringsredovisning_2024_differens_and_aterstar():
    spec, given, _ = printed("delar-2024-investeringar.tsv", "DELAR_INVESTERINGAR", 2024)
    result = tables.compute(spec, given, months=8)
    assert result.cell("INVESTERINGAR", "DIFFERENS").computed == D("0.0")
    assert result.cell("INVESTERINGAR", "ATERSTAR").computed == D("0.1")  # Budget − utfall
    assert result.cell("INVESTERINGAR", "PROGNOSAVVIKELSE").computed == D("0.0")
    assert result.warnings == [] and rounding_checks(result) == []
    assert [c.header for c in spec.columns][:4] == [
        "2024",
        "2023",
        "Differens 24/23",
        "Återstår av årsbudget",
    ]


# --- VP 2025 ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("vp-2025-driftbudget-namnd.tsv", "VP_DRIFTBUDGET_NAMND"),
        ("vp-2025-driftbudget-verksamhet.tsv", "VP_DRIFTBUDGET_VERKSAMHET"),
        ("vp-2025-investeringsbudget.tsv", "VP_INVESTERINGSBUDGET"),
    ],
)
def test_vp_2025_forandring_is_last_year_minus_next_year_on_every_row(name, code):
    spec, given, errors = printed(name, code, 2025)
    assert errors == []
    result = tables.compute(spec, given, months=12)
    for row in spec.rows:
        cell = result.cell(row.code, "FORANDRING")
        assert cell.computed == given[(row.code, "BUDGET_FG")] - given[(row.code, "BUDGET")]
        assert cell.given == cell.computed  # exact, not just within tolerance
    assert result.warnings == [] and rounding_checks(result) == []
    assert [c.header for c in spec.columns] == ["Budget 2025", "Budget 2024", "Förändring"]


def test_vp_forandring_sign_reads_as_increase_in_net_cost():
    spec = seed.spec("VP_DRIFTBUDGET_NAMND", 2025)
    given = {
        ("INTAKTER", "BUDGET"): D("36.7"),
        ("INTAKTER", "BUDGET_FG"): D("45.8"),
        ("KOSTNADER", "BUDGET"): D("-267.9"),
        ("KOSTNADER", "BUDGET_FG"): D("-272.6"),
    }
    result = tables.compute(spec, given, months=12)
    assert result.text("INTAKTER", "FORANDRING") == "9,1"  # lower revenue → positive
    assert result.text("KOSTNADER", "FORANDRING") == "-4,7"
    assert result.text("NETTO", "BUDGET") == "-231,2"  # the sum, computed
    assert result.text("NETTO", "FORANDRING") == "4,4"  # higher net cost → positive
    # "justerad budgetnivå motsvarande 231,2 mkr (1,9 %)": 4,4 / 226,8.
    assert round(result.value("NETTO", "FORANDRING") / D("226.8") * 100, 1) == D("1.9")


# --- Formulas and sign conventions ----------------------------------------------------------


def test_budget_variance_is_outcome_minus_linear_period_budget():
    # Net: −138,2 − (−226,8 × 8/12 = −151,2) = 13,0; personal: −97,6 + 101,67 = 4,07.
    assert tables.budget_variance(D("-138.2"), D("-226.8"), 8) == D("13.0")
    assert round(tables.budget_variance(D("-97.6"), D("-152.5"), 8), 2) == D("4.07")
    assert tables.period_budget(D("-226.8"), 8) == D("-151.2")
    # A given period budget replaces the linear one.
    assert tables.budget_variance(D("-15.4"), D("-23.9"), 8, D("-15.8")) == D("0.4")


def test_a_given_period_budget_is_used_for_the_budget_variance():
    spec, given, _ = printed("delar-2024-resultatrakning.tsv", "DELAR_RESULTATRAKNING", 2024)
    given[("LOKAL", "PERIODBUDGET")] = D("-15.8")  # not linear for this row
    result = tables.compute(spec, given, months=8)
    assert result.cell("LOKAL", "BUDGETAVVIKELSE").computed == D("0.4")
    assert result.warnings == []


def test_percent_change_divides_by_the_signed_previous_figure():
    assert round(tables.percent_change(D("-138.2"), D("-129.0")), 1) == D("7.1")  # more cost
    assert round(tables.percent_change(D("-164.3"), D("-166.0")), 1) == D("-1.0")  # less cost
    assert round(tables.percent_change(D("26.1"), D("37.1")), 1) == D("-29.6")  # less revenue
    assert tables.percent_change(D("1"), D("0")) is None


def test_annual_report_forecast_variance_is_forecast_minus_outcome():
    spec = seed.spec("AR_RESULTATRAKNING", 2021)
    assert [c.header for c in spec.columns if c.printed] == [
        "2021",
        "2020",
        "% 21/20",
        "Budgetavvikelse",
        "Budget",
        "Prognos",
        "Prognosavvikelse",
    ]
    given = {
        ("TAXOR", "UTFALL"): D("5.0"),
        ("TAXOR", "BUDGET"): D("4.0"),
        ("TAXOR", "PROGNOS"): D("4.5"),
    }
    result = tables.compute(spec, given, months=12)
    assert result.value("TAXOR", "PROGNOSAVVIKELSE") == D("-0.5")  # prognos − utfall
    assert result.value("TAXOR", "BUDGETAVVIKELSE") == D("1.0")  # utfall − budget × 12/12
    delar = tables.compute(seed.spec("DELAR_RESULTATRAKNING", 2021), given, months=8)
    assert delar.value("TAXOR", "PROGNOSAVVIKELSE") == D("0.5")  # prognos − budget


def test_sums_and_derived_columns_are_computed_where_not_given():
    spec = seed.spec("DELAR_RESULTATRAKNING", 2024)
    given = {("TAXOR", "UTFALL"): D("3.1"), ("HYROR", "UTFALL"): D("4.4")}
    result = tables.compute(spec, given, months=8)
    assert result.value("SUMMA_INTAKTER", "UTFALL") is None  # other rows not given: unknown
    for code in ("BIDRAG", "FORSALJNING", "OVRIGA_INTAKTER"):
        given[(code, "UTFALL")] = D("0")
    result = tables.compute(spec, given, months=8)
    assert result.value("SUMMA_INTAKTER", "UTFALL") == D("7.5")
    assert result.cell("SUMMA_INTAKTER", "UTFALL").given is None
    assert result.checks == []  # nothing given that could disagree


def test_a_total_that_disagrees_beyond_tolerance_warns_and_is_kept():
    spec = seed.spec("VP_DRIFTBUDGET_NAMND", 2025)
    given = {
        ("INTAKTER", "BUDGET"): D("36.7"),
        ("KOSTNADER", "BUDGET"): D("-267.9"),
        ("NETTO", "BUDGET"): D("-213.2"),  # a typo for −231,2
    }
    result = tables.compute(spec, given, months=12)
    assert result.value("NETTO", "BUDGET") == D("-213.2")  # as given, never corrected
    assert result.warnings == [
        "Nettokostnader, Budget 2025: angivet -213,2 men raderna summerar till -231,2 "
        "(skillnad 18,0; avrundning förklarar högst 0,2 för 2 rader)."
    ]
    # Within 0,1 × rows it is rounding, not a warning.
    given[("NETTO", "BUDGET")] = D("-231.3")
    assert tables.compute(spec, given, months=12).warnings == []


def test_an_amount_against_the_rows_sign_convention_warns():
    spec = seed.spec("DELAR_RESULTATRAKNING", 2024)
    result = tables.compute(spec, {("PERSONAL", "UTFALL"): D("97.6")}, months=8)
    assert result.warnings == [
        "Personalkostnader, 2024: 97,6 är positivt, men raden redovisas med minustecken "
        "(kostnader är negativa i tabellen)."
    ]
    # Variances may have either sign: a positive budgetavvikelse on a cost row is favourable.
    result = tables.compute(spec, {("PERSONAL", "BUDGETAVVIKELSE"): D("4.0")}, months=8)
    assert result.warnings == []


def test_headers_are_filled_from_templates_without_format():
    assert tables.fill_header("% {åå}/{fg_åå}", 2024) == "% 24/23"
    assert tables.fill_header("Budget {fg_år}", 2025) == "Budget 2024"
    assert tables.fill_header("{år.__class__}", 2024) == "{år.__class__}"


def test_definitions_that_cannot_be_computed_are_refused():
    line = RowSpec("A", "A")
    with pytest.raises(tables.SpecError, match="summerar sig själv"):
        tables.TableSpec(
            (line, RowSpec("S", "S", RowKind.SUBTOTAL, ("S",))),
            (ColumnSpec("U", "U", Figure.OUTCOME),),
        )
    with pytest.raises(tables.SpecError, match="okänd kolumn"):
        tables.TableSpec((line,), (ColumnSpec("D", "D", derived=Derived.CHANGE, a="U", b="X"),))
    with pytest.raises(tables.SpecError, match="annan beräknad kolumn"):
        tables.TableSpec(
            (line,),
            (
                ColumnSpec("U", "U", Figure.OUTCOME),
                ColumnSpec("V", "V", Figure.OUTCOME_PREV),
                ColumnSpec("D", "D", derived=Derived.CHANGE, a="U", b="V"),
                ColumnSpec("E", "E", derived=Derived.CHANGE, a="D", b="U"),
            ),
        )
    with pytest.raises(tables.SpecError, match="anger inte vilka rader"):
        tables.TableSpec((RowSpec("S", "S", RowKind.TOTAL),), ())


def test_every_seeded_definition_can_be_computed():
    for definition in seed.DEFINITIONS:
        spec = seed.spec(definition.code, 2024)
        assert tables.compute(spec, {}, months=8).warnings == []
        assert all(row.sign is not Sign.ANY for row in spec.rows)  # every row has a convention


# --- Personnel (§4.4) -------------------------------------------------------------------


def personnel_line(label, value, comparison, change, measured, compared, decimals=0):
    return personnel.PersonnelLine(
        label,
        decimals,
        D(value) if value else None,
        D(comparison) if comparison else None,
        D(change) if change else None,
        measured,
        compared,
    )


JAN_AUG_2024 = (datetime.date(2024, 1, 1), datetime.date(2024, 8, 31))
JAN_AUG_2023 = (datetime.date(2023, 1, 1), datetime.date(2023, 8, 31))


def test_personnel_change_is_this_year_minus_last_year_for_every_published_row():
    with open(FIXTURES / "delar-2024-personal.tsv", encoding="utf-8") as handle:
        lines = list(csv.reader(handle, delimiter="\t"))[1:7]
    from solna_sn.lib.numbers import parse_number

    for label, value, comparison, change in lines:
        if not change:
            continue  # HME: see below
        line = personnel.PersonnelLine(
            label,
            1,
            parse_number(value),
            parse_number(comparison),
            parse_number(change),
            JAN_AUG_2024,
            JAN_AUG_2023,
        )
        assert line.computed_change == parse_number(change), label
        assert line.warnings == []


def test_sick_leave_compares_1_december_to_31_july_with_the_year_before():
    line = personnel_line(
        "Sjukfrånvaro, %",
        "7.5",
        "8.5",
        None,
        (datetime.date(2023, 12, 1), datetime.date(2024, 7, 31)),
        (datetime.date(2022, 12, 1), datetime.date(2023, 7, 31)),
        decimals=1,
    )
    assert line.comparable and line.change == D("-1.0")


def test_hme_compared_with_an_older_survey_prints_no_change():
    line = personnel_line(
        "HME",
        "87.1",
        "84.8",
        None,
        (datetime.date(2024, 3, 1), datetime.date(2024, 5, 31)),
        (datetime.date(2022, 9, 1), datetime.date(2022, 11, 30)),
        decimals=1,
    )
    assert not line.comparable and line.change is None  # 2,3 would mislead
    given = personnel_line(
        "HME",
        "87.1",
        "84.8",
        "2.3",
        line.measured,
        line.compared,
        decimals=1,
    )
    assert given.change == D("2.3")  # kept as given …
    assert "jämför olika perioder" in given.warnings[0]  # … with a warning


def test_varav_rows_must_add_up_to_their_total():
    parts = [("- varav kvinnor", D(169)), ("- varav män", D(54))]
    assert personnel.parts_warning("Antal anställda", D(223), parts, 0) == ""
    assert personnel.parts_warning("Antal anställda", D(229), parts, 0) == (
        "Antal anställda: 229, men varav kvinnor + varav män är 223."
    )


# --- Förändring and the sums of the published VP 2025 (pure) ----------------------------------


@pytest.mark.parametrize(
    ("last_year", "next_year", "change"),
    [
        # Driftbudget, nämnd (VP 2025): Budget 2024 − Budget 2025.
        ("45.8", "36.7", "9.1"),  # Intäkter
        ("-272.6", "-267.9", "-4.7"),  # Kostnader
        ("-226.8", "-231.2", "4.4"),  # Nettokostnader: higher net cost
        # Driftbudget, per verksamhet.
        ("-43.3", "-45.2", "1.9"),  # Ekonomi- och arbetsmarknadsenheten
        ("-98.0", "-100.5", "2.5"),  # Barn- och ungdomsenheten
        ("-15.6", "-15.6", "0.0"),  # Stab och central ledning
    ],
)
def test_plan_change_is_last_year_minus_next_year_on_the_published_figures(
    last_year, next_year, change
):
    assert tables.plan_change(D(last_year), D(next_year)) == D(change)


def test_plan_change_without_one_of_the_years_is_none():
    assert tables.plan_change(None, D("-231.2")) is None
    assert tables.plan_change(D("-226.8"), None) is None


def test_vp_2025_budget_sums_give_the_published_minus_231_2():
    namnd = seed.spec("VP_DRIFTBUDGET_NAMND", 2025)
    given = {
        ("INTAKTER", "BUDGET"): D("36.7"),
        ("KOSTNADER", "BUDGET"): D("-267.9"),
        ("INTAKTER", "BUDGET_FG"): D("45.8"),
        ("KOSTNADER", "BUDGET_FG"): D("-272.6"),
    }
    result = tables.compute(namnd, given, months=12)
    assert result.text("NETTO", "BUDGET") == "-231,2"
    assert result.text("NETTO", "BUDGET_FG") == "-226,8"
    assert result.text("NETTO", "FORANDRING") == "4,4"
    assert result.warnings == []

    per_unit = seed.spec("VP_DRIFTBUDGET_VERKSAMHET", 2025)
    rows = {"STAB": "-15.6", "VUX": "-69.9", "EA": "-45.2", "BOU": "-100.5"}
    result = tables.compute(
        per_unit, {(code, "BUDGET"): D(v) for code, v in rows.items()}, months=12
    )
    assert result.text("SUMMA", "BUDGET") == "-231,2"


def test_vp_rows_that_do_not_add_up_warn_and_keep_the_given_total():
    spec = seed.spec("VP_DRIFTBUDGET_VERKSAMHET", 2025)
    rows = {"STAB": "-15.6", "VUX": "-69.9", "EA": "-45.2", "BOU": "-100.5"}
    given = {(code, "BUDGET"): D(v) for code, v in rows.items()}
    given[("SUMMA", "BUDGET")] = D("-230.2")
    result = tables.compute(spec, given, months=12)
    assert result.value("SUMMA", "BUDGET") == D("-230.2")  # printed as given, not corrected
    assert result.warnings == [
        "Summa nettokostnader, Budget 2025: angivet -230,2 men raderna summerar till -231,2 "
        "(skillnad 1,0; avrundning förklarar högst 0,4 för 4 rader)."
    ]
