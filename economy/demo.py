"""Demo economy of Socialnämnden i Solna stad (shared/domain/handlingar-2024-10-07.md §4): the
delårsrapport per augusti 2024's Resultaträkning, Verksamheter, Investeringsredovisning and
personnel table, the VP 2025's budget tables, taxor och avgifter and kvalitetsdeklarationer.

The figures are the printed ones, entered as given through economy.services (as the demo
controller), including the printed sums and derived columns: where they are off by rounding
the checks call it rounding, and where they disagree beyond it (Lokalkostnader's
budgetavvikelse 0,4 against 0,53 computed) the warning shows. The malformed "-43,3,0" in the
Verksamheter prognos is entered as the intended -43,3 with a note.

Demo assumptions (not in the source): the delårsrapport's Årsbudget is "Justerad budget 2024"
and the VP 2025's Budget 2024 is the ursprungliga "Budget 2024" (same net, gross differs by
4,7 mkr, §4.5); the HME survey was made March–May 2024 and the comparison in September–November
2022; the account mapping (Kommun-Bas-like account classes, verksamhet codes 70–73).

Idempotent: the table definitions, the catalogues and the figures are created only where they
do not exist yet.
"""

from __future__ import annotations

import datetime

from django.db import transaction

from economy import reporting, seed, services
from economy.models import (
    AccountMapping,
    BudgetVersion,
    BudgetVersionKind,
    MappingRule,
    PersonnelFigure,
    PersonnelSheet,
    QualityDeclaration,
    RowSet,
    Sheet,
    TableColumn,
    TableDefinition,
    TableRow,
    Tariff,
)
from solna_sn import demo as solna_demo
from solna_sn.demo import Story
from solna_sn.lib.numbers import parse_percent
from solna_sn.models import Committee, Role, Unit, User

# Verbatim from the delårsrapport per augusti 2024 and the VP 2025 (printed columns in order).
DELAR_RESULTATRAKNING = """\
Taxor och avgifter	3,1	2,8		0,4	4,1	4,7	0,6
Hyror och arrenden	4,4	4,7		-0,6	7,5	6,6	-0,9
Bidrag	13,3	24,6		-7,7	31,6	20,0	-11,6
Försäljning av verksamhet	5,2	5,0		0,3	7,3	7,8	0,5
Övriga intäkter	0,0	0,0		0,0	0,0	0,0	0,0
Summa intäkter	26,1	37,1	-29,7 %	-7,6	50,5	39,1	-11,4
Personalkostnader	-97,6	-93,8		4,0	-152,5	-148,8	3,7
Köp av verksamhet/tjänster	-36,8	-44,1		14,6	-77,0	-55,2	21,8
Lokalkostnader	-15,4	-15,3		0,4	-23,9	-24,0	-0,1
Kapitalkostnader	0,0	0,0		0,0	0,0	0,0	0,0
Övriga kostnader	-14,4	-12,9		1,6	-24,0	-21,6	2,4
Summa kostnader	-164,3	-166,0	-1,1 %	20,6	-277,3	-249,6	27,7
Verksamhetens nettokostnader	-138,2	-129,0	7,1 %	13,0	-226,8	-210,5	16,3
"""
DELAR_VERKSAMHETER = """\
Barn och ungdom	-61,7	-61,3		3,6	-98,0	-93,0	5,0
Vuxen	-40,7	-41,3		5,8	-69,8	-61,5	8,3
Ekonomi och arbetsmarknad	-28,3	-23,8		0,6	-43,3	-43,3	0,0
Förvaltningsgemensam verksamhet	-7,5	-2,6		3	-15,7	-12,7	3,0
Verksamhetens nettokostnader	-138,2	-129,0	7,1	13,0	-226,8	-210,5	16,3
"""
DELAR_INVESTERINGAR = """\
Verksamhetens investeringar	0,0	0,0	0,0	0,1	0,1	0,1	0,0
"""
VP_NAMND = """\
Intäkter	36,7	45,8	9,1
Kostnader	-267,9	-272,6	-4,7
Nettokostnader	-231,2	-226,8	4,4
"""
VP_VERKSAMHET = """\
Stab och central ledning	-15,6	-15,6	0,0
Vuxenheten	-69,9	-69,9	0,0
Ekonomi- och arbetsmarknadsenheten	-45,2	-43,3	1,9
Barn- och ungdomsenheten	-100,5	-98,0	2,5
Summa nettokostnader	-231,2	-226,8	4,4
"""
VP_INVESTERING = """\
Kapitalinventarier	0,1	0,1	0,0
Summa	0,1	0,1	0,0
"""
CELL_NOTES = {
    ("DELAR_VERKSAMHETER", "EA", "PROGNOS"): (
        "Källan trycker -43,3,0; avsett värde -43,3 (prognosavvikelse 0,0, ”i paritet med "
        "prognos”)."
    ),
}
COMMENTARY = {
    "DELAR_VERKSAMHETER": {
        "BOU": "Barn och ungdomsverksamheterna visar 0,4 mkr högre kostnad jämfört med "
        "föregående år vilket förklaras av indexeringar mellan åren i kombination med lägre "
        "kostnad för familjehemsvård, HVB och familjehemsrådgivning jämfört med föregående år. "
        "Verksamhetens nettokostnader visar 3,6 mkr lägre kostnad jämfört med budget och 5 mkr "
        "jämfört med prognos.",
        "VUX": "Vuxenverksamheterna visar 0,6 mkr lägre kostnad jämfört med föregående år och "
        "5,8 mkr lägre kostnad jämfört med budgeterad nivå. Skillnaden förklaras i huvudsak av "
        "lägre kostnad för institutionsvård för vuxna, övriga tjänsteköp samt lägre kostnad för "
        "administration. Jämfört med prognos har vuxenheten 8,3 mkr lägre kostnad i jämförelse "
        "med budgeterad nivå.",
        "EA": "Ekonomi och arbetsmarknad visar 4,5 mkr högre kostnad jämfört med föregående år "
        "på grund av lägre bidrag som härrör nyanlända och ökad kostnad utifrån fler "
        "biståndsmottagare. Ekonomi och arbetsmarknad har i perioden 0,6 mkr lägre kostnad i "
        "jämförelse med budget och i paritet med prognos.",
        "FG": "Förvaltningsgemensam verksamhet visar 4,9 mkr i högre kostnad jämfört med "
        "föregående år vilket förklaras av en återförd intäkt motsvarande 4,5 mkr som påverkade "
        "föregående år positivt. Jämfört med budget och prognos visar förvaltningsgemensam "
        "verksamhet 3 mkr lägre kostnad.",
    },
    "DELAR_INVESTERINGAR": {
        "INVESTERINGAR": "Nämnden har inte gjort några investeringar i perioden och prognosen "
        "för helåret ligger i nivå med budget.",
    },
}
FOOTNOTES = {
    "VP_DRIFTBUDGET_VERKSAMHET": [
        "Fördelning av budget mellan verksamheterna kan komma att justeras efter att "
        "detaljbudget för socialnämnden är definitiv."
    ],
}

PERSONNEL_FIGURES = [
    # code, label, unit, decimals, part of
    ("ANSTALLDA", "Antal anställda", "antal", 0, None),
    ("KVINNOR", "varav kvinnor", "antal", 0, "ANSTALLDA"),
    ("MAN", "varav män", "antal", 0, "ANSTALLDA"),
    ("ARSARBETARE", "Antal årsarbetare i snitt", "årsarbetare", 1, None),
    ("SJUKFRANVARO", "Sjukfrånvaro, %", "procent", 1, None),
    ("HME", "Hållbart medarbetarengagemang-index (HME)", "index", 1, None),
]
D = datetime.date
PERSONNEL_2024 = {
    # code: value, comparison, printed change, measured (from, to), compared (from, to)
    "ANSTALLDA": ("223", "229", "-6", None, None),
    "KVINNOR": ("169", "168", "1", None, None),
    "MAN": ("54", "61", "-7", None, None),
    "ARSARBETARE": ("219,4", "225,9", "-6,5", None, None),
    "SJUKFRANVARO": (
        "7,5",
        "8,5",
        "-1,0",
        (D(2023, 12, 1), D(2024, 7, 31)),
        (D(2022, 12, 1), D(2023, 7, 31)),
    ),
    "HME": (
        "87,1",
        "84,8",
        None,
        (D(2024, 3, 1), D(2024, 5, 31)),
        (D(2022, 9, 1), D(2022, 11, 30)),
    ),
}
PERSONNEL_FOOTNOTES = [
    "Antal årsarbetare i snitt avser överenskommen sysselsättningsgrad.",
    "Sjukfrånvaron avser perioden 1 december 2023 till 31 juli 2024.",
    "HME-undersökning genomförs vanligtvis varje höst. På grund av omstrukturering hos "
    "leverantör har undersökningen genomförts under våren 2024 istället för hösten 2023. "
    "Jämförelsesiffran är därmed resultatet av medarbetarundersökningen 2022.",
]

TARIFFS_2025 = [
    ("Tillsyn försäljning av tobaksfria nikotinprodukter", "KF", D(2022, 11, 28), D(2023, 1, 1)),
    ("Familjerådgivning", "KF", D(2012, 11, 26), D(2013, 1, 1)),
    ("Serveringstillstånd", "KF", D(2014, 12, 15), D(2015, 1, 1)),
    # Printed as valid from before the decision: kept, and the register warns.
    ("Tillstånd att bedriva tobaksförsäljning", "KF", D(2019, 5, 27), D(2019, 1, 1)),
    (
        "Tillsyn försäljning av tobak, elektroniska cigaretter och påfyllnadsbehållare, folköl "
        "och receptfria läkemedel",
        "KF",
        D(2018, 11, 26),
        D(2019, 1, 1),
    ),
]
QUALITY_DECLARATIONS_2025 = [
    ("Budget- och skuldrådgivning", D(2017, 12, 12)),
    ("Dödsboanmälan", D(2017, 12, 12)),
    ("Ekonomiskt bistånd", D(2017, 11, 14)),
    ("Hyresrådgivning", D(2017, 12, 12)),  # the source misspells it "Hysesrådgivning"
    ("Stöd till barn, unga och familj", D(2018, 9, 18)),
    ("Stöd till personer med psykisk funktionsnedsättning", D(2017, 9, 19)),
    ("Stöd till unga med missbruk - MiniMaria", D(2018, 3, 13)),
    ("Stöd till vuxna med missbruk", D(2017, 9, 19)),
    ("Östervägens aktivitetshus", D(2017, 12, 12)),
    ("Serveringstillstånd", D(2017, 12, 12)),
]

# The demo ekonomisystem: Kommun-Bas-like account classes; verksamhet codes per verksamhet.
ACTIVITIES = {"BOU": "71", "VUX": "72", "EA": "73", "FG": "70"}
ACCOUNT_RULES = [
    # from, to, row set, row (None: not in the tables)
    (1000, 1099, None, None),
    (1100, 1299, "INVESTERINGAR", "INVESTERINGAR"),
    (1300, 2999, None, None),
    (3100, 3199, "RESULTATRAKNING", "TAXOR"),
    (3200, 3299, "RESULTATRAKNING", "HYROR"),
    (3300, 3399, "RESULTATRAKNING", "BIDRAG"),
    (3400, 3499, "RESULTATRAKNING", "FORSALJNING"),
    (3500, 3999, "RESULTATRAKNING", "OVRIGA_INTAKTER"),
    (4000, 4499, "RESULTATRAKNING", "OVRIGA_KOSTNADER"),
    (4500, 4699, "RESULTATRAKNING", "KOP"),
    (4700, 4999, "RESULTATRAKNING", "OVRIGA_KOSTNADER"),
    (5000, 5999, "RESULTATRAKNING", "PERSONAL"),
    (6000, 6299, "RESULTATRAKNING", "LOKAL"),
    (6300, 7799, "RESULTATRAKNING", "OVRIGA_KOSTNADER"),
    (7800, 7899, "RESULTATRAKNING", "KAPITAL"),
    (7900, 8399, "RESULTATRAKNING", "OVRIGA_KOSTNADER"),
    (8400, 8499, "RESULTATRAKNING", "KAPITAL"),
    (8500, 8999, "RESULTATRAKNING", "OVRIGA_KOSTNADER"),
    (9000, 9999, None, None),
]
MAPPING_CODE = "SOLNA_EKONOMISYSTEM"


def load_definitions() -> int:
    """Row sets, rows, definitions and columns from economy.seed; existing ones are kept."""
    units = {unit.code: unit for unit in Unit.objects.all()}
    created = 0
    for seed_rowset in seed.ROWSETS:
        rowset, was_created = RowSet.objects.get_or_create(
            code=seed_rowset.code, defaults={"title": seed_rowset.title}
        )
        if not was_created:
            continue
        rows = {}
        for order, spec in enumerate(seed_rowset.rows, start=1):
            rows[spec.code] = TableRow.objects.create(
                rowset=rowset,
                code=spec.code,
                label=spec.label,
                kind=spec.kind.value,
                sign=spec.sign.value,
                unit=units.get(seed_rowset.units.get(spec.code, "")),
                sort_order=order * 10,
            )
        for spec in seed_rowset.rows:
            if spec.covers:
                rows[spec.code].covers.set([rows[code] for code in spec.covers])
    for seed_definition in seed.DEFINITIONS:
        definition, was_created = TableDefinition.objects.get_or_create(
            code=seed_definition.code,
            defaults={
                "title": seed_definition.title,
                "document": seed_definition.document,
                "rowset": RowSet.objects.get(code=seed_definition.rowset),
                "stub_header": seed_definition.stub_header,
                "sign_convention": seed_definition.sign_convention,
                "sort_order": seed_definition.sort_order,
            },
        )
        if not was_created:
            continue
        created += 1
        columns = {}
        for order, spec in enumerate(seed_definition.columns, start=1):
            columns[spec.code] = TableColumn(
                definition=definition,
                code=spec.code,
                header=spec.header,
                figure=spec.figure.value if spec.figure else "",
                derived=spec.derived.value if spec.derived else "",
                decimals=spec.decimals,
                sum_rows_only=spec.sum_rows_only,
                percent_sign=spec.percent_sign,
                printed=spec.printed,
                sort_order=order * 10,
            )
        # Given columns first: the derived ones point at them.
        for spec in seed_definition.columns:
            if not spec.derived:
                columns[spec.code].save()
        for spec in seed_definition.columns:
            if spec.derived:
                column = columns[spec.code]
                column.operand_a = columns[spec.a]
                column.operand_b = columns[spec.b]
                column.save()
    return created


def load_mapping() -> AccountMapping:
    mapping, created = AccountMapping.objects.get_or_create(
        code=MAPPING_CODE,
        defaults={"name": "Solna ekonomisystem, kontoplan 2024 (demo)"},
    )
    if not created:
        return mapping
    rows = {(row.rowset.code, row.code): row for row in TableRow.objects.select_related("rowset")}
    rules = []
    for first, last, rowset, row in ACCOUNT_RULES:
        target = rows.get((rowset, row)) if rowset else None
        rules.append(
            MappingRule(
                mapping=mapping,
                account_from=first,
                account_to=last,
                row=target,
                ignore=target is None,
                note="Balanskonton och interna konton" if target is None else "",
            )
        )
    for code, activity in ACTIVITIES.items():
        rules.append(
            MappingRule(
                mapping=mapping,
                account_from=3000,
                account_to=8999,
                activity=activity,
                row=rows[("VERKSAMHETER", code)],
            )
        )
    MappingRule.objects.bulk_create(rules)
    return mapping


def _enter(sheet: Sheet, text: str, by) -> None:
    """Enter a printed table: one line per row, the printed columns in order."""
    data_rows = {row.label: row for row in TableRow.objects.filter(rowset=sheet.definition.rowset)}
    columns = [
        column
        for column in TableColumn.objects.filter(definition=sheet.definition).order_by("sort_order")
        if column.printed
    ]
    code = sheet.definition.code
    for line in text.splitlines():
        label, *cells = line.split("\t")
        row = data_rows[label]
        for column, raw in zip(columns, cells, strict=True):
            if not raw.strip():
                continue
            services.cell_save(
                sheet=sheet,
                row=row,
                column=column,
                raw=raw,
                expected_revision=None,
                note=CELL_NOTES.get((code, row.code, column.code), ""),
                by=by,
            )
    for row_code, paragraph in COMMENTARY.get(code, {}).items():
        row = next(r for r in data_rows.values() if r.code == row_code)
        services.commentary_save(sheet=sheet, row=row, text=paragraph, expected_revision=0, by=by)
    if notes := FOOTNOTES.get(code):
        services.sheet_footnotes_save(
            sheet=sheet, texts=notes, expected=services.footnotes_fingerprint([]), by=by
        )


def _version(committee, year, kind, name, by, **kwargs) -> BudgetVersion:
    existing = BudgetVersion.objects.filter(committee=committee, year=year, name=name).first()
    if existing:
        return existing
    return services.budget_version_create(
        committee=committee, year=year, kind=kind, name=name, by=by, **kwargs
    )


def _sheet(committee, code, year, period, by, **versions) -> tuple[Sheet, bool]:
    definition = TableDefinition.objects.get(code=code)
    existing = Sheet.objects.filter(
        committee=committee, definition=definition, year=year, period=period
    ).first()
    if existing:
        return existing, False
    sheet = services.sheet_create(
        committee=committee, definition=definition, year=year, period=period, by=by, **versions
    )
    return Sheet.objects.select_related("definition", "committee").get(pk=sheet.pk), True


def load_personnel(committee, by) -> None:
    figures = {}
    for order, (code, label, unit, decimals, part_of) in enumerate(PERSONNEL_FIGURES, start=1):
        figure, _ = PersonnelFigure.objects.get_or_create(
            code=code,
            defaults={
                "label": label,
                "unit_label": unit,
                "decimals": decimals,
                "part_of": figures.get(part_of),
                "sort_order": order * 10,
            },
        )
        figures[code] = figure
    if PersonnelSheet.objects.filter(committee=committee, year=2024, period="augusti").exists():
        return
    sheet = services.personnel_sheet_create(committee=committee, year=2024, period="augusti", by=by)
    rows = {}
    for code, (value, comparison, change, measured, compared) in PERSONNEL_2024.items():
        rows[figures[code]] = {
            "value": parse_percent(value),
            "comparison_value": parse_percent(comparison),
            "change": parse_percent(change) if change else None,
            "measured_from": measured[0] if measured else None,
            "measured_to": measured[1] if measured else None,
            "comparison_from": compared[0] if compared else None,
            "comparison_to": compared[1] if compared else None,
        }
    services.personnel_save(
        sheet=sheet, rows=rows, footnotes=PERSONNEL_FOOTNOTES, expected_revision=0, by=by
    )


def load_registers(committee, by) -> None:
    for order, (name, body, decided_on, valid_from) in enumerate(TARIFFS_2025, start=1):
        if Tariff.objects.filter(committee=committee, plan_year=2025, name=name).exists():
            continue
        services.register_save(
            model=Tariff,
            committee=committee,
            plan_year=2025,
            data={
                "name": name,
                "decided_by": body,
                "decided_on": decided_on,
                "status": "oforandrad",
                "new_decision_on": None,
                "valid_from": valid_from,
                "sort_order": order * 10,
            },
            by=by,
        )
    for order, (name, decided_on) in enumerate(QUALITY_DECLARATIONS_2025, start=1):
        if QualityDeclaration.objects.filter(
            committee=committee, plan_year=2025, name=name
        ).exists():
            continue
        services.register_save(
            model=QualityDeclaration,
            committee=committee,
            plan_year=2025,
            data={
                "name": name,
                "decided_on": decided_on,
                "status": "oforandrad",
                "sort_order": order * 10,
            },
            by=by,
        )


def _adopt_budget_2025(committee, version: BudgetVersion) -> None:
    """Budget 2025 is the version the VP 2025 prints; it was fastställd with the plan."""
    if version.is_locked:
        return
    leader = (
        User.objects.filter(username="forvaltningschef").first()
        or User.objects.filter(role=Role.FORVALTNINGSCHEF, is_active=True).first()
    )
    if leader is None:
        return
    services.plan_budget_adopt(
        committee=committee,
        year=2025,
        decided_on=solna_demo.VP_2025_DECIDED_ON,
        paragraph=solna_demo.VP_2025_PARAGRAPH,
        by=leader,
    )


def load(*, by) -> str:
    """`by` is the demo controller load_demo passes; it enters every figure."""
    committee = Committee.objects.filter(code="SN").first() or Committee.objects.first()
    if committee is None:
        return "ingen nämnd att lägga ekonomin på."
    story = Story()  # the dates of the story, see solna_sn.demo.Story
    with transaction.atomic():
        load_definitions()
        load_mapping()
        story.happened(datetime.date(2024, 1, 8))
        adjusted_2024 = _version(
            committee,
            2024,
            BudgetVersionKind.ADJUSTED,
            "Justerad budget 2024",
            by,
            note="Budgeten i delårsrapporten per augusti 2024.",
        )
        original_2024 = _version(
            committee,
            2024,
            BudgetVersionKind.ORIGINAL,
            "Budget 2024",
            by,
            note="Budget 2024 som den återges i verksamhetsplanen 2025.",
        )
        budget_2025 = _version(
            committee,
            2025,
            BudgetVersionKind.ORIGINAL,
            "Budget 2025",
            by,
            decided_by="Socialnämnden",
            decided_on=datetime.date(2024, 10, 7),
            note="Verksamhetsplan och budget 2025.",
        )
        story.happened(datetime.date(2024, 9, 2))
        tables = [
            ("DELAR_RESULTATRAKNING", 2024, "augusti", DELAR_RESULTATRAKNING, adjusted_2024, None),
            ("DELAR_VERKSAMHETER", 2024, "augusti", DELAR_VERKSAMHETER, adjusted_2024, None),
            ("DELAR_INVESTERINGAR", 2024, "augusti", DELAR_INVESTERINGAR, adjusted_2024, None),
            ("VP_DRIFTBUDGET_NAMND", 2025, "plan", VP_NAMND, budget_2025, original_2024),
            ("VP_DRIFTBUDGET_VERKSAMHET", 2025, "plan", VP_VERKSAMHET, budget_2025, original_2024),
            ("VP_INVESTERINGSBUDGET", 2025, "plan", VP_INVESTERING, budget_2025, original_2024),
        ]
        for code, year, period, text, version, previous in tables:
            sheet, created = _sheet(
                committee,
                code,
                year,
                period,
                by,
                budget_version=version,
                previous_budget_version=previous,
            )
            if created:
                _enter(sheet, text, by)
            # The delårsrapport's tables after August closed, the VP's for the October meeting.
            story.happened(
                datetime.date(2024, 9, 5) if year == 2024 else datetime.date(2024, 9, 20)
            )
        load_personnel(committee, by)
        story.happened(datetime.date(2024, 9, 5), 15)
        load_registers(committee, by)
        story.happened(datetime.date(2024, 9, 20), 15)
        _adopt_budget_2025(committee, budget_2025)
        story.happened(solna_demo.VP_2025_DECIDED_ON, 19)  # fastställd with the plan
    printed = reporting.tables_for(year=2024, period="augusti", committee=committee)
    printed += reporting.tables_for(year=2025, period="plan", committee=committee)
    warnings = sum(len(table.warnings) for table in printed)
    return (
        f"{len(printed)} ekonomiska tabeller (per augusti 2024 och budget 2025), "
        f"{BudgetVersion.objects.filter(committee=committee).count()} budgetversioner, "
        f"personaltabell per augusti 2024, "
        f"{Tariff.objects.filter(committee=committee, plan_year=2025).count()} taxor och "
        f"{QualityDeclaration.objects.filter(committee=committee, plan_year=2025).count()} "
        f"kvalitetsdeklarationer; {warnings} {'varning' if warnings == 1 else 'varningar'} mot "
        "beräkningen."
    )
