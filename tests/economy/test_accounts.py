"""Reading the ekonomisystem's export and summing accounts to table rows: one test per kind of
bad input, workbooks built in memory. Pure: no database."""

import io
from decimal import Decimal

from openpyxl import Workbook

from economy import accounts
from economy.demo import ACCOUNT_RULES, ACTIVITIES
from solna_sn.lib.xlsx import load_workbook_checked
from tests.economy import exports

D = Decimal
LAYOUT = accounts.Layout(
    account="Konto",
    activity="Verksamhet",
    figures={
        "outcome": "Utfall",
        "outcome_prev": "Utfall föregående år",
        "annual_budget": "Budget",
        "forecast": "Prognos",
    },
)
ALL = {"outcome", "outcome_prev", "annual_budget", "forecast"}
RULES = [
    accounts.Rule(first, last, "", (rowset, row) if rowset else None)
    for first, last, rowset, row in ACCOUNT_RULES
] + [
    accounts.Rule(3000, 8999, activity, ("VERKSAMHETER", code))
    for code, activity in ACTIVITIES.items()
]
ROWSETS = {"RESULTATRAKNING", "VERKSAMHETER", "INVESTERINGAR"}


def parse(content: bytes, needed=ALL):
    checked = load_workbook_checked(content, read_only=True, max_rows=20_000)
    try:
        return accounts.parse_export(checked, LAYOUT, needed)
    finally:
        checked.close()


def summed(parsed):
    return accounts.aggregate(parsed.lines, RULES, rowsets=ROWSETS, divisor=D(-1_000_000), places=6)


def messages(problems):
    return [str(problem) for problem in problems]


def test_the_demo_export_sums_to_the_published_rows_and_verksamheter():
    parsed = parse(exports.workbook())
    assert parsed.errors == []
    result = summed(parsed)
    assert result.errors == []
    assert result.ignored == 1  # the balance account 2440
    totals = result.totals
    assert totals[("RESULTATRAKNING", "TAXOR")]["outcome"] == D("3.12")
    assert totals[("RESULTATRAKNING", "PERSONAL")]["annual_budget"] == D("-152.48")
    assert round(totals[("VERKSAMHETER", "BOU")]["outcome"], 1) == D("-61.7")
    assert round(totals[("VERKSAMHETER", "EA")]["forecast"], 1) == D("-43.3")
    assert totals[("INVESTERINGAR", "INVESTERINGAR")]["annual_budget"] == D("0.1")
    net = sum(v["outcome"] for (rowset, _), v in totals.items() if rowset == "VERKSAMHETER")
    assert net == sum(
        v["outcome"] for (rowset, _), v in totals.items() if rowset == "RESULTATRAKNING"
    )


def test_columns_are_read_by_their_headers_in_any_order():
    """Budget and Prognos swapped (and Kontonamn moved last) give the same figures."""
    headers = [
        "Verksamhet",
        "Konto",
        "Prognos",
        "Budget",
        "Utfall",
        "Utfall föregående år",
        "Kontonamn",
    ]
    lines = [
        [line[2], line[0], line[6], line[5], line[3], line[4], line[1]]
        for line in exports.account_lines()
    ]
    swapped = summed(parse(exports.workbook(lines, headers=headers)))
    straight = summed(parse(exports.workbook()))
    assert swapped.errors == [] and swapped.totals == straight.totals


def test_a_missing_column_is_an_error_at_the_header_row():
    headers = ["Konto", "Kontonamn", "Verksamhet", "Utfall", "Utfall föregående år", "Budget"]
    lines = [line[:6] for line in exports.account_lines()]
    parsed = parse(exports.workbook(lines, headers=headers))
    assert messages(parsed.errors) == [
        "Export!2: Kolumnen ”Prognos” saknas på rubrikraden (rad 2)."
    ]
    assert parsed.lines == []


def test_a_column_the_tables_do_not_take_may_be_missing():
    headers = ["Konto", "Kontonamn", "Verksamhet", "Utfall", "Utfall föregående år", "Budget"]
    lines = [line[:6] for line in exports.account_lines()]
    parsed = parse(
        exports.workbook(lines, headers=headers),
        needed={"outcome", "outcome_prev", "annual_budget"},
    )
    assert parsed.errors == [] and parsed.lines


def test_no_header_row_at_all():
    parsed = parse(exports.workbook([], headers=["Account", "Amount"]))
    assert "Hittar ingen rubrikrad med ”Konto”" in messages(parsed.errors)[0]


def test_a_malformed_amount_is_an_error_at_its_cell():
    lines = exports.account_lines()
    lines[2][6] = "-43,3,0"
    lines[3][5] = "tolv"
    parsed = parse(exports.workbook(lines))
    assert messages(parsed.errors) == [
        "Export!G5: ”-43,3,0” har mer än ett decimalkomma.",
        "Export!F6: ”tolv” är inte ett tal.",
    ]


def test_swedish_text_amounts_and_blank_cells_are_read():
    lines = [[3110, "Taxor", "71", "-1 234 567,89", None, "", "-4 100 000"]]
    parsed = parse(exports.workbook(lines))
    assert parsed.errors == []
    amounts = parsed.lines[0].amounts
    assert amounts == {
        "outcome": D("-1234567.89"),
        "outcome_prev": D(0),
        "annual_budget": D(0),
        "forecast": D("-4100000"),
    }


def test_an_account_the_mapping_does_not_know_is_an_error_at_its_cell():
    lines = [*exports.account_lines(), [99999, "Okänt", "71", -5, 0, 0, 0]]
    result = summed(parse(exports.workbook(lines)))
    row = len(lines) + 2
    assert messages(result.errors) == [
        f"Export!A{row}: Konto 99999 (verksamhet 71) finns inte i kontokopplingen. Lägg till en "
        "regel för kontot (eller markera att det inte ingår) och läs in filen igen."
    ]


def test_an_account_that_is_not_a_number_is_an_error():
    parsed = parse(exports.workbook([["31l0", "Taxor", "71", 1, 1, 1, 1]]))
    assert messages(parsed.errors) == [
        "Export!A3: ”31l0” är inget kontonummer (skriv siffror, till exempel 3110)."
    ]


def test_a_row_with_no_accounts_in_the_file_is_an_error():
    lines = [line for line in exports.account_lines() if not 6000 <= line[0] <= 6299]
    result = summed(parse(exports.workbook(lines)))
    assert messages(result.errors) == [
        "Filen har inga konton för raden ”LOKAL” (konto 6000–6299). Ta med kontona, med 0 om "
        "raden ska vara noll."
    ]


def test_repeated_headers_and_the_exports_own_sum_rows_are_skipped():
    lines = exports.account_lines()
    middle = len(lines) // 2
    lines = [
        *lines[:middle],
        exports.HEADERS,  # page break
        *lines[middle:],
        [None, "Summa intäkter", None, -26_100_000, None, None, None],
    ]
    parsed = parse(exports.workbook(lines))
    assert parsed.errors == [] and parsed.skipped_rows == 2
    assert summed(parsed).totals == summed(parse(exports.workbook())).totals


def test_amounts_without_an_account_are_an_error():
    parsed = parse(exports.workbook([[None, None, None, 5, 5, 5, 5]]))
    assert messages(parsed.errors) == ["Export!A3: Raden har belopp men inget konto."]


def test_a_formula_without_a_cached_value_is_an_error_at_its_cell():
    book = Workbook()
    sheet = book.active
    sheet.title = "Export"
    sheet.append(exports.HEADERS)
    sheet.append([3110, "Taxor", "71", "=1+2", 0, 0, 0])
    output = io.BytesIO()
    book.save(output)
    parsed = parse(output.getvalue())
    assert len(parsed.errors) == 1
    assert str(parsed.errors[0]).startswith("Export!D2: Cellen innehåller en formel utan sparat")


def test_an_account_matching_two_rules_of_one_table_is_an_error():
    rules = [*RULES, accounts.Rule(3110, 3110, "", ("RESULTATRAKNING", "HYROR"))]
    parsed = parse(exports.workbook([[3110, "Taxor", "71", 1, 1, 1, 1]]))
    result = accounts.aggregate(
        parsed.lines, rules, rowsets={"RESULTATRAKNING"}, divisor=D(1), labels={}
    )
    assert "Konto 3110 passar flera regler" in messages(result.errors)[0]


def test_a_verksamhet_rule_wins_over_a_rule_for_all():
    rules = [
        accounts.Rule(3000, 8999, "", ("VERKSAMHETER", "FG")),
        accounts.Rule(3000, 8999, "71", ("VERKSAMHETER", "BOU")),
    ]
    parsed = parse(
        exports.workbook([[3110, "T", "71", -1, 0, 0, 0], [3110, "T", "72", -2, 0, 0, 0]])
    )
    result = accounts.aggregate(
        parsed.lines, rules, rowsets={"VERKSAMHETER"}, divisor=D(-1), places=0
    )
    assert result.totals[("VERKSAMHETER", "BOU")]["outcome"] == D(1)
    assert result.totals[("VERKSAMHETER", "FG")]["outcome"] == D(2)


def test_headers_compare_loosely():
    assert accounts.normalize_header(" Budget-  avvikelse ") == "budgetavvikelse"
    assert accounts.normalize_header("Budget-avvikelse") == "budget-avvikelse"
    assert accounts.normalize_header("Budget- avvikelse") == "budgetavvikelse"
    assert accounts.normalize_header("UTFALL  föregående år") == "utfall föregående år"


def test_an_account_in_a_gap_of_one_tables_rules_is_an_error():
    """6110 lies within the Resultaträkning's accounts (3100–8999) but no rule takes it; the
    Verksamheter table would count it while the Resultaträkning dropped it."""
    rules = [rule for rule in RULES if rule.account_from != 6000]
    parsed = parse(exports.workbook([[6110, "Lokalhyror", "71", 1, 1, 1, 1]]))
    result = accounts.aggregate(
        parsed.lines,
        rules,
        rowsets={"RESULTATRAKNING", "VERKSAMHETER"},
        divisor=D(1),
        rowset_titles={"RESULTATRAKNING": "Resultaträkningens rader"},
    )
    assert messages(result.errors)[0] == (
        "Export!A3: Konto 6110 (verksamhet 71) ligger bland kontona för ”Resultaträkningens "
        "rader” men hör inte till någon rad där. Lägg till en regel för kontot i kontokopplingen."
    )
