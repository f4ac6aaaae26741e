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


@register("economy.budget", "Driftbudget och investeringsbudget (verksamhetsplan)")
def budget(period: ReportPeriod) -> Generated:
    """The VP's budget tables for `period.year` (a verksamhetsplan 2025 has year 2025)."""
    tables = reporting.tables_for(
        year=period.year, period="plan", document="verksamhetsplan", committee=period.committee_id
    )
    if not tables:
        return unavailable(f"Budgeten för {period.year} har inga siffror.")
    figures = [
        Figure(f"economy.budget.{table.code}.{f.key.split('.', 2)[2]}", f.label, f.text)
        for table in tables
        for f in table_figures("budget", table)
    ]
    warnings = [w for table in tables for w in table_warnings(table)]
    html = "\n".join(
        render("economy_table", {"table": table, "commentary": False}) for table in tables
    )
    return Generated(html, figures, warnings)
