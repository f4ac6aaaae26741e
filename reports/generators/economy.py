"""Ekonomisk analys and Väsentliga personalförhållanden: Resultaträkning, Verksamheter (each row
with its commentary), Investeringsredovisning and the personnel table with its footnotes, as
economy/reporting.py prints them, with the table checks as warnings.

A budgetuppföljning per april and a delårsrapport per augusti print the follow-up tables
(`DELAR_*`: 2024 | 2023 | % 24/23 | Budgetavvikelse | Årsbudget | Årsprognos |
Prognosavvikelse); helår prints the årsredovisning's (`AR_*`)."""

from __future__ import annotations

from economy import reporting
from reports.generators.base import Figure, Generated, ReportPeriod, register
from reports.generators.common import period_text, render, unavailable

# Generator key suffix → the table definition's code after its document prefix.
TABLES = {
    "resultatrakning": "RESULTATRAKNING",
    "verksamheter": "VERKSAMHETER",
    "investeringar": "INVESTERINGAR",
}


def table_code(name: str, period: ReportPeriod) -> str:
    """ "DELAR_RESULTATRAKNING" for april and augusti, "AR_RESULTATRAKNING" for helår."""
    prefix = "AR" if period.period == "helar" else "DELAR"
    return f"{prefix}_{TABLES[name]}"


def table_figures(name: str, table: reporting.PrintedTable) -> list[Figure]:
    """Every printed, non-blank cell: economy.<name>.<row code>.<column code>."""
    headers = {column.code: column.header for column in table.columns}
    return [
        Figure(
            f"economy.{name}.{row.code}.{cell.column}",
            f"{table.title}: {row.label}, {headers[cell.column]}",
            cell.text,
        )
        for row in table.rows
        for cell in row.cells
        if cell.text
    ]


def table_warnings(table: reporting.PrintedTable) -> list[str]:
    # Only the table checks: whether the controllers have locked the table is not one of the
    # consistency check's warnings (issue 15), and the sent demo report has unlocked tables.
    return [f"{table.title}: {warning}" for warning in table.warnings]


def _table_section(name: str, period: ReportPeriod, *, commentary: bool) -> Generated:
    table = reporting.table(
        table_code(name, period),
        year=period.year,
        period=period.period,
        committee=period.committee_id,
    )
    if table is None:
        title = {"resultatrakning": "Resultaträkningen", "verksamheter": "Verksamhetstabellen"}
        what = title.get(name, "Investeringsredovisningen")
        return unavailable(f"{what} har inga siffror för {period_text(period)}.")
    html = render("economy_table", {"table": table, "commentary": commentary})
    return Generated(html, table_figures(name, table), table_warnings(table))


@register("economy.resultatrakning", "Resultaträkning")
def resultatrakning(period: ReportPeriod) -> Generated:
    return _table_section("resultatrakning", period, commentary=False)


@register("economy.verksamheter", "Verksamheter med kommentar per verksamhet")
def verksamheter(period: ReportPeriod) -> Generated:
    return _table_section("verksamheter", period, commentary=True)


@register("economy.investeringar", "Investeringsredovisning")
def investeringar(period: ReportPeriod) -> Generated:
    return _table_section("investeringar", period, commentary=True)


def personnel_figures(table: reporting.PersonnelTable) -> list[Figure]:
    figures = []
    for row in table.rows:
        for suffix, header, text in (
            ("utfall", table.headers[0], row.value_text),
            ("jamforelse", table.headers[1], row.comparison_text),
            ("forandring", table.headers[2], row.change_text),
        ):
            if text:
                figures.append(
                    Figure(
                        f"economy.personal.{row.code}.{suffix}",
                        f"Personal: {row.label}, {header}",
                        text,
                    )
                )
    return figures


@register("economy.personal", "Personaltabell med fotnoter")
def personal(period: ReportPeriod) -> Generated:
    table = reporting.personnel(
        year=period.year, period=period.period, committee=period.committee_id
    )
    if table is None:
        return unavailable(f"Personaltabellen har inga siffror för {period_text(period)}.")
    warnings = [f"Personaltabellen: {warning}" for warning in table.warnings]
    html = render("economy_personal", {"table": table})
    return Generated(html, personnel_figures(table), warnings)


def budget_figures(table: reporting.PrintedTable) -> list[Figure]:
    """economy.budget.<table code>.<row code>.<column code>: the same key whether the VP prints
    its budget tables together (economy.budget) or one per section."""
    return [
        Figure(f"economy.budget.{table.code}.{f.key.split('.', 2)[2]}", f.label, f.text)
        for f in table_figures("budget", table)
    ]


@register("economy.budget", "Driftbudget och investeringsbudget (verksamhetsplan)")
def budget(period: ReportPeriod) -> Generated:
    """The VP's budget tables for `period.year` (a verksamhetsplan 2025 has year 2025)."""
    tables = reporting.tables_for(
        year=period.year, period="plan", document="verksamhetsplan", committee=period.committee_id
    )
    if not tables:
        return unavailable(f"Budgeten för {period.year} har inga siffror.")
    figures = [f for table in tables for f in budget_figures(table)]
    warnings = [w for table in tables for w in table_warnings(table)]
    html = "\n".join(
        render("economy_table", {"table": table, "commentary": False}) for table in tables
    )
    return Generated(html, figures, warnings)


# Generator key suffix → (the VP table's code, what the message calls it).
BUDGET_TABLES = {
    "driftbudget_namnd": ("VP_DRIFTBUDGET_NAMND", "Driftbudgeten för nämnden"),
    "driftbudget_verksamhet": ("VP_DRIFTBUDGET_VERKSAMHET", "Driftbudgeten per verksamhet"),
    "investeringsbudget": ("VP_INVESTERINGSBUDGET", "Investeringsbudgeten"),
}


def _budget_table(name: str, period: ReportPeriod) -> Generated:
    code, what = BUDGET_TABLES[name]
    table = reporting.table(code, year=period.year, period="plan", committee=period.committee_id)
    if table is None:
        return unavailable(f"{what} har inga siffror för {period.year}.")
    html = render("economy_table", {"table": table, "commentary": False})
    return Generated(html, budget_figures(table), table_warnings(table))


@register("economy.driftbudget_namnd", "Driftbudget, nämnd (verksamhetsplan)")
def driftbudget_namnd(period: ReportPeriod) -> Generated:
    return _budget_table("driftbudget_namnd", period)


@register("economy.driftbudget_verksamhet", "Driftbudget, per verksamhet (verksamhetsplan)")
def driftbudget_verksamhet(period: ReportPeriod) -> Generated:
    return _budget_table("driftbudget_verksamhet", period)


@register("economy.investeringsbudget", "Investeringsbudget (verksamhetsplan)")
def investeringsbudget(period: ReportPeriod) -> Generated:
    return _budget_table("investeringsbudget", period)


@register("economy.taxor", "Nämndens taxor och avgifter (verksamhetsplan)")
def taxor(period: ReportPeriod) -> Generated:
    rows = reporting.tariffs(year=period.year, committee=period.committee_id)
    if not rows:
        return unavailable(f"Det finns inga taxor och avgifter för {period.year}.")
    warnings = [f"Taxor och avgifter: {w}" for row in rows for w in row.warnings]
    figures = [
        Figure("economy.taxor.antal", f"Antal taxor och avgifter {period.year}", str(len(rows)))
    ]
    return Generated(
        render("economy_taxor", {"rows": rows, "year": period.year}), figures, warnings
    )


@register("economy.kvalitetsdeklarationer", "Kvalitetsdeklarationer (verksamhetsplan)")
def kvalitetsdeklarationer(period: ReportPeriod) -> Generated:
    rows = reporting.quality_declarations(year=period.year, committee=period.committee_id)
    if not rows:
        return unavailable(f"Det finns inga kvalitetsdeklarationer för {period.year}.")
    figures = [
        Figure(
            "economy.kvalitetsdeklarationer.antal",
            f"Antal kvalitetsdeklarationer {period.year}",
            str(len(rows)),
        )
    ]
    html = render("economy_kvalitetsdeklarationer", {"rows": rows, "year": period.year})
    return Generated(html, figures)
