"""Solna's table definitions, as the 2024 delårsrapport and the VP 2025 print them. Pure data.

The definitions are data kept in the admin; these are what the demo (and a new installation)
starts from. Column headers are templates: {år} is the sheet's year, {fg_år} the year before,
{åå} and {fg_åå} their last two digits ("% 24/23").
"""

from __future__ import annotations

from dataclasses import dataclass

from economy.tables import (
    ColumnSpec,
    Derived,
    Figure,
    RowKind,
    RowSpec,
    Sign,
    TableSpec,
    fill_header,
)

FOLLOW_UP, ANNUAL, PLAN = "uppfoljning", "arsredovisning", "verksamhetsplan"


@dataclass(frozen=True)
class RowSetSeed:
    code: str
    title: str
    rows: tuple[RowSpec, ...]
    units: dict[str, str]  # row code → organisation unit code (verksamhet ↔ enhet, §8.4)


@dataclass(frozen=True)
class DefinitionSeed:
    code: str
    title: str
    document: str
    rowset: str
    stub_header: str
    sign_convention: str
    columns: tuple[ColumnSpec, ...]
    sort_order: int


def _line(code, label, sign=Sign.ANY):
    return RowSpec(code, label, RowKind.LINE, (), sign)


def _sum(code, label, covers, sign=Sign.ANY, kind=RowKind.SUBTOTAL):
    return RowSpec(code, label, kind, tuple(covers), sign)


NEG, POS = Sign.NEGATIVE, Sign.POSITIVE
REVENUE = ("TAXOR", "HYROR", "BIDRAG", "FORSALJNING", "OVRIGA_INTAKTER")
COSTS = ("PERSONAL", "KOP", "LOKAL", "KAPITAL", "OVRIGA_KOSTNADER")

ROWSETS = (
    RowSetSeed(
        "RESULTATRAKNING",
        "Resultaträkningens rader",
        (
            _line("TAXOR", "Taxor och avgifter", POS),
            _line("HYROR", "Hyror och arrenden", POS),
            _line("BIDRAG", "Bidrag", POS),
            _line("FORSALJNING", "Försäljning av verksamhet", POS),
            _line("OVRIGA_INTAKTER", "Övriga intäkter", POS),
            _sum("SUMMA_INTAKTER", "Summa intäkter", REVENUE, POS),
            _line("PERSONAL", "Personalkostnader", NEG),
            _line("KOP", "Köp av verksamhet/tjänster", NEG),
            _line("LOKAL", "Lokalkostnader", NEG),
            _line("KAPITAL", "Kapitalkostnader", NEG),
            _line("OVRIGA_KOSTNADER", "Övriga kostnader", NEG),
            _sum("SUMMA_KOSTNADER", "Summa kostnader", COSTS, NEG),
            _sum(
                "NETTO",
                "Verksamhetens nettokostnader",
                ("SUMMA_INTAKTER", "SUMMA_KOSTNADER"),
                NEG,
                RowKind.TOTAL,
            ),
        ),
        {},
    ),
    RowSetSeed(
        "VERKSAMHETER",
        "Verksamheter (uppföljning)",
        (
            _line("BOU", "Barn och ungdom", NEG),
            _line("VUX", "Vuxen", NEG),
            _line("EA", "Ekonomi och arbetsmarknad", NEG),
            _line("FG", "Förvaltningsgemensam verksamhet", NEG),
            _sum(
                "NETTO",
                "Verksamhetens nettokostnader",
                ("BOU", "VUX", "EA", "FG"),
                NEG,
                RowKind.TOTAL,
            ),
        ),
        {"BOU": "BOU", "VUX": "VUX", "EA": "EA", "FG": "STAB"},
    ),
    RowSetSeed(
        "INVESTERINGAR",
        "Investeringar (uppföljning)",
        (_line("INVESTERINGAR", "Verksamhetens investeringar", POS),),
        {},
    ),
    RowSetSeed(
        "VP_NAMND",
        "Driftbudget, nämnd",
        (
            _line("INTAKTER", "Intäkter", POS),
            _line("KOSTNADER", "Kostnader", NEG),
            _sum("NETTO", "Nettokostnader", ("INTAKTER", "KOSTNADER"), NEG, RowKind.TOTAL),
        ),
        {},
    ),
    RowSetSeed(
        "VP_VERKSAMHET",
        "Driftbudget, per verksamhet",
        (
            _line("STAB", "Stab och central ledning", NEG),
            _line("VUX", "Vuxenheten", NEG),
            _line("EA", "Ekonomi- och arbetsmarknadsenheten", NEG),
            _line("BOU", "Barn- och ungdomsenheten", NEG),
            _sum(
                "SUMMA",
                "Summa nettokostnader",
                ("STAB", "VUX", "EA", "BOU"),
                NEG,
                RowKind.TOTAL,
            ),
        ),
        {"STAB": "STAB", "VUX": "VUX", "EA": "EA", "BOU": "BOU"},
    ),
    RowSetSeed(
        "VP_INVESTERING",
        "Investeringsbudget",
        (
            _line("KAPITALINVENTARIER", "Kapitalinventarier", POS),
            _sum("SUMMA", "Summa", ("KAPITALINVENTARIER",), POS, RowKind.TOTAL),
        ),
        {},
    ),
)

_C = ColumnSpec


def _follow_up_columns(budget: str, forecast: str, *, percent_sign: bool, annual: bool):
    """Delårsrapport: `2024 | 2023 | % 24/23 | Budgetavvikelse | Årsbudget | Årsprognos |
    Prognosavvikelse`; årsredovisning: the same with outcome for the whole year, where
    Prognosavvikelse is prognos − utfall (DESIGN.md §4 rule 2)."""
    return (
        _C("UTFALL", "{år}", Figure.OUTCOME),
        _C("UTFALL_FG", "{fg_år}", Figure.OUTCOME_PREV),
        _C(
            "PROCENT",
            "% {åå}/{fg_åå}",
            derived=Derived.PERCENT_CHANGE,
            a="UTFALL",
            b="UTFALL_FG",
            sum_rows_only=True,
            percent_sign=percent_sign,
        ),
        _C(
            "BUDGETAVVIKELSE",
            "Budgetavvikelse",
            derived=Derived.BUDGET_VARIANCE,
            a="UTFALL",
            b="BUDGET",
        ),
        _C("BUDGET", budget, Figure.ANNUAL_BUDGET),
        _C("PROGNOS", forecast, Figure.FORECAST),
        _C(
            "PROGNOSAVVIKELSE",
            "Prognosavvikelse",
            derived=Derived.FORECAST_VARIANCE,
            a="PROGNOS",
            b="UTFALL" if annual else "BUDGET",
        ),
        _C("PERIODBUDGET", "Periodbudget", Figure.PERIOD_BUDGET, printed=False),
    )


def _investment_columns(*, annual: bool):
    return (
        _C("UTFALL", "{år}", Figure.OUTCOME),
        _C("UTFALL_FG", "{fg_år}", Figure.OUTCOME_PREV),
        _C(
            "DIFFERENS",
            "Differens {åå}/{fg_åå}",
            derived=Derived.DIFFERENCE,
            a="UTFALL",
            b="UTFALL_FG",
        ),
        _C("ATERSTAR", "Återstår av årsbudget", derived=Derived.REMAINING, a="BUDGET", b="UTFALL"),
        _C("BUDGET", "Budget", Figure.ANNUAL_BUDGET),
        _C("PROGNOS", "Prognos", Figure.FORECAST),
        _C(
            "PROGNOSAVVIKELSE",
            "Prognosavvikelse",
            derived=Derived.FORECAST_VARIANCE,
            a="PROGNOS",
            b="UTFALL" if annual else "BUDGET",
        ),
    )


PLAN_COLUMNS = (
    _C("BUDGET", "Budget {år}", Figure.ANNUAL_BUDGET),
    _C("BUDGET_FG", "Budget {fg_år}", Figure.BUDGET_PREV),
    # §4.0: the VP's Förändring is last year − next year, positive = higher net cost.
    _C("FORANDRING", "Förändring", derived=Derived.CHANGE, a="BUDGET_FG", b="BUDGET"),
)

RESULT_SIGNS = (
    "Intäkter positiva, kostnader och nettokostnader negativa. Budget- och prognosavvikelse "
    "är positiv när utfallet är gynnsamt (lägre kostnad eller högre intäkt än budget)."
)
ANNUAL_SIGNS = (
    "Intäkter positiva, kostnader och nettokostnader negativa. Budgetavvikelse = utfall − "
    "budget; prognosavvikelse = prognos − utfall."
)
INVESTMENT_SIGNS = "Investeringar redovisas som positiva belopp."
PLAN_SIGNS = (
    "Intäkter positiva, kostnader negativa. Förändring = föregående års budget − årets budget: "
    "positiv betyder högre nettokostnad eller lägre intäkt."
)

DEFINITIONS = (
    DefinitionSeed(
        "DELAR_RESULTATRAKNING",
        "Resultaträkning",
        FOLLOW_UP,
        "RESULTATRAKNING",
        "Resultaträkning (mkr)",
        RESULT_SIGNS,
        _follow_up_columns("Årsbudget", "Årsprognos", percent_sign=True, annual=False),
        10,
    ),
    DefinitionSeed(
        "DELAR_VERKSAMHETER",
        "Verksamheter",
        FOLLOW_UP,
        "VERKSAMHETER",
        "Verksamheter (mkr)",
        RESULT_SIGNS,
        _follow_up_columns("Budget", "Prognos", percent_sign=False, annual=False),
        20,
    ),
    DefinitionSeed(
        "DELAR_INVESTERINGAR",
        "Investeringsredovisning",
        FOLLOW_UP,
        "INVESTERINGAR",
        "Investeringsredovisning (mkr)",
        INVESTMENT_SIGNS,
        _investment_columns(annual=False),
        30,
    ),
    DefinitionSeed(
        "AR_RESULTATRAKNING",
        "Resultaträkning",
        ANNUAL,
        "RESULTATRAKNING",
        "Resultaträkning (mkr)",
        ANNUAL_SIGNS,
        _follow_up_columns("Budget", "Prognos", percent_sign=True, annual=True),
        40,
    ),
    DefinitionSeed(
        "AR_VERKSAMHETER",
        "Verksamheter",
        ANNUAL,
        "VERKSAMHETER",
        "Verksamheter (mkr)",
        ANNUAL_SIGNS,
        _follow_up_columns("Budget", "Prognos", percent_sign=False, annual=True),
        50,
    ),
    DefinitionSeed(
        "AR_INVESTERINGAR",
        "Investeringsredovisning",
        ANNUAL,
        "INVESTERINGAR",
        "Investeringsredovisning (mkr)",
        INVESTMENT_SIGNS,
        _investment_columns(annual=True),
        60,
    ),
    DefinitionSeed(
        "VP_DRIFTBUDGET_NAMND",
        "Driftbudget, nämnd",
        PLAN,
        "VP_NAMND",
        "mkr",
        PLAN_SIGNS,
        PLAN_COLUMNS,
        70,
    ),
    DefinitionSeed(
        "VP_DRIFTBUDGET_VERKSAMHET",
        "Driftbudget, per verksamhet",
        PLAN,
        "VP_VERKSAMHET",
        "mkr",
        PLAN_SIGNS,
        PLAN_COLUMNS,
        80,
    ),
    DefinitionSeed(
        "VP_INVESTERINGSBUDGET",
        "Investeringsbudget",
        PLAN,
        "VP_INVESTERING",
        "mkr",
        INVESTMENT_SIGNS,
        PLAN_COLUMNS,
        90,
    ),
)


def rowset(code: str) -> RowSetSeed:
    return next(r for r in ROWSETS if r.code == code)


def definition(code: str) -> DefinitionSeed:
    return next(d for d in DEFINITIONS if d.code == code)


def spec(code: str, year: int) -> TableSpec:
    """The TableSpec of a seeded definition, headers filled in for `year`."""
    seed = definition(code)
    columns = tuple(
        ColumnSpec(**{**column.__dict__, "header": fill_header(column.header, year)})
        for column in seed.columns
    )
    return TableSpec(rowset(seed.rowset).rows, columns)
