"""Excel out: the contract register and one follow-up, laid out as people print them. Every
text is written as text (`append_row`): a contract called `=HYPERLINK(…)` stays a name."""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from contracts import reporting
from contracts.models import ContractFollowUp, FollowUpKind
from solna_sn.lib.xlsx import append_header, append_row, workbook_bytes

DATE_FORMAT = "yyyy-mm-dd"
MONEY_FORMAT = "# ##0"


def _workbook():

    workbook = Workbook()
    return workbook, workbook.active


REGISTER_HEADER = [
    "Avtal",
    "Avtalsområde",
    "Diarienummer",
    "Avtalsform",
    "Inköpscentral/huvudman",
    "Leverantörer",
    "Ansvarig enhet",
    "Start",
    "Slut (ursprunglig)",
    "Förlängningsmodell",
    "Utnyttjade förlängningar",
    "Löper ut",
    "Senast möjliga slut",
    "Värde per år (kr)",
    "Prismodell",
    "Ersätts av upphandling",
    "Varning",
]


def register_workbook(rows) -> bytes:
    """`rows` are contracts.queries.RegisterRow."""
    workbook, sheet = _workbook()
    sheet.title = "Avtal"
    append_header(
        sheet, REGISTER_HEADER, [36, 24, 14, 26, 24, 36, 30, 12, 12, 12, 12, 12, 12, 14, 30, 30, 40]
    )
    sheet.freeze_panes = "A2"
    for row in rows:
        contract = row.contract
        extensions = contract.used_periods
        warning = ""
        if row.warning:
            warning = "Löper ut inom 12 månader och ingen upphandling är planerad"
        elif row.ended:
            warning = "Har upphört"
        append_row(
            sheet,
            [
                contract.name,
                contract.area,
                contract.dnr,
                contract.get_acquisition_display(),
                contract.purchasing_party,
                "; ".join(str(s) for s in contract.suppliers.all()),
                str(contract.unit),
                contract.start_date,
                contract.end_date,
                contract.term_pattern,
                "; ".join(str(p) for p in extensions),
                row.current_end if row.current_end else "Tillsvidare",
                row.latest_possible_end,
                int(contract.annual_value) if contract.annual_value is not None else None,
                contract.price_model,
                "; ".join(str(p) for p in row.procurements),
                warning,
            ],
        )
        cells = sheet[sheet.max_row]
        for index in (7, 8, 11, 12):
            cells[index].number_format = DATE_FORMAT
        cells[13].number_format = MONEY_FORMAT
    return workbook_bytes(workbook)


def followup_workbook(followup: ContractFollowUp) -> bytes:
    """One sheet Uppföljning: the facts, then the items (ordinarie) or checks (förenklad), the
    rating counts, the supplier's checklist and the deficiencies."""

    bold = Font(bold=True)
    workbook, sheet = _workbook()
    sheet.title = "Uppföljning"
    sheet.column_dimensions["A"].width = 28
    sheet.column_dimensions["B"].width = 60
    sheet.column_dimensions["C"].width = 24
    sheet.column_dimensions["D"].width = 50
    contract = followup.contract

    def heading(text):
        append_row(sheet, [])
        append_row(sheet, [text])
        sheet.cell(row=sheet.max_row, column=1).font = bold

    append_row(sheet, [f"{followup.get_kind_display()} avtalsuppföljning {followup.plan.year}"])
    sheet.cell(row=1, column=1).font = Font(bold=True, size=14)
    facts = [
        ("Avtal", contract.name),
        ("Diarienummer", contract.dnr),
        ("Avtalsområde", contract.area),
        ("Leverantörer", "; ".join(str(s) for s in contract.suppliers.all())),
        ("Ansvarig enhet", str(contract.unit)),
        ("Status", followup.get_status_display()),
        ("Genomförd", followup.completed_on),
        ("Resultat", followup.get_outcome_display()),
        ("Samlad bedömning", followup.verdict),
    ]
    if followup.kind == FollowUpKind.ORDINARY:
        facts[6:6] = [
            ("Granskade dokument", followup.method_documents),
            ("Besök", followup.method_visits),
            ("Intervjuer", followup.method_interviews),
        ]
    for label, value in facts:
        append_row(sheet, [label, value])
        sheet.cell(row=sheet.max_row, column=1).font = bold
        cell = sheet.cell(row=sheet.max_row, column=2)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if label == "Genomförd":
            cell.number_format = DATE_FORMAT

    if followup.kind == FollowUpKind.ORDINARY:
        heading("Bedömning per punkt")
        append_row(sheet, ["Punkt", "Text", "Bedömning", "Kommentar"])
        for cell in sheet[sheet.max_row]:
            cell.font = bold
        for number, title, items in reporting.areas(followup):
            append_row(sheet, [f"{number}. {title}"])
            sheet.cell(row=sheet.max_row, column=1).font = bold
            for item in items:
                append_row(
                    sheet,
                    [item.code, item.text, item.get_rating_display() or "Ej bedömd", item.comment],
                )
        heading("Antal per bedömning")
        for _, label, count in reporting.rating_counts(followup):
            append_row(sheet, [label, count])
        groups = reporting.checklist(followup)
        if groups:
            heading("Leverantörens checklista")
            append_row(sheet, ["Hur ofta", "Aktivitet", "Status", "Avvikande enheter"])
            for cell in sheet[sheet.max_row]:
                cell.font = bold
            for label, activities in groups:
                for activity in activities:
                    places = "; ".join(
                        f"{p.place}: {p.get_status_display()}" for p in activity.places.all()
                    )
                    append_row(sheet, [label, activity.text, activity.get_status_display(), places])
    else:
        heading("Kontroller")
        append_row(sheet, ["Kontroll", "Beskrivning", "Resultat"])
        for cell in sheet[sheet.max_row]:
            cell.font = bold
        for check in followup.checks.all():
            append_row(
                sheet,
                [
                    check.get_topic_display(),
                    check.narrative,
                    check.get_result_display() or "Inte kontrollerat",
                ],
            )
    deficiencies = list(followup.deficiencies.all())
    if deficiencies:
        heading("Brister och krav på åtgärder")
        append_row(sheet, ["Åtgärdas senast", "Brist", "Krav på åtgärd"])
        for cell in sheet[sheet.max_row]:
            cell.font = bold
        for deficiency in deficiencies:
            append_row(sheet, [deficiency.deadline, deficiency.description, deficiency.action])
            sheet.cell(row=sheet.max_row, column=1).number_format = DATE_FORMAT
    return workbook_bytes(workbook)
