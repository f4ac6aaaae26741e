"""In-memory ekonomisystem exports for tests and bench/bench_economy.py.

The export is in bookkeeping signs (revenue negative, costs positive) and kronor, one row per
account and verksamhet, as the demo mapping (economy.demo.ACCOUNT_RULES) expects. The figures
are chosen so that the imported tables print the delårsrapport per augusti 2024's figures.
"""

from __future__ import annotations

import io
from decimal import ROUND_HALF_UP, Decimal

from economy.demo import ACTIVITIES

HEADERS = [
    "Konto",
    "Kontonamn",
    "Verksamhet",
    "Utfall",
    "Utfall föregående år",
    "Budget",
    "Prognos",
]
FIGURES = ["outcome", "outcome_prev", "annual_budget", "forecast"]
ACCOUNTS = {
    "TAXOR": (3110, "Taxor och avgifter"),
    "HYROR": (3210, "Hyror"),
    "BIDRAG": (3310, "Statsbidrag"),
    "FORSALJNING": (3410, "Försäljning av verksamhet"),
    "OVRIGA_INTAKTER": (3910, "Övriga intäkter"),
    "PERSONAL": (5010, "Löner"),
    "KOP": (4510, "Köp av huvudverksamhet"),
    "LOKAL": (6110, "Lokalhyror"),
    "KAPITAL": (7810, "Avskrivningar"),
    "OVRIGA_KOSTNADER": (6410, "Övriga kostnader"),
}
D = Decimal

# Per augusti 2024, mkr in the tables' signs: utfall, utfall 2023, årsbudget, årsprognos.
# Unrounded so that the printed (rounded) rows, sums and verksamheter all come out as printed.
RESULT_2024 = {
    "TAXOR": ("3.12", "2.80", "4.1", "4.7"),
    "HYROR": ("4.42", "4.67", "7.5", "6.6"),
    "BIDRAG": ("13.30", "24.60", "31.6", "20.0"),
    "FORSALJNING": ("5.21", "4.98", "7.3", "7.8"),
    "OVRIGA_INTAKTER": ("0.00", "0.00", "0.0", "0.0"),
    "PERSONAL": ("-97.64", "-93.79", "-152.48", "-148.8"),
    "KOP": ("-36.81", "-44.09", "-76.98", "-55.2"),
    "LOKAL": ("-15.40", "-15.27", "-23.88", "-24.0"),
    "KAPITAL": ("0.00", "0.00", "0.0", "0.0"),
    "OVRIGA_KOSTNADER": ("-14.41", "-12.89", "-23.96", "-21.6"),
}
ACTIVITIES_2024 = {  # verksamhet → share of the net, per figure
    "BOU": ("-61.7", "-61.3", "-98.0", "-93.0"),
    "VUX": ("-40.7", "-41.3", "-69.8", "-61.5"),
    "EA": ("-28.3", "-23.8", "-43.3", "-43.3"),
    "FG": ("-7.5", "-2.6", "-15.7", "-12.7"),
}
INVESTMENTS_2024 = ("0.0", "0.0", "0.1", "0.1")


def _kr(mkr: Decimal) -> Decimal:
    return (mkr * 1_000_000).quantize(D("0.01"), rounding=ROUND_HALF_UP)


def account_lines(*, split: int = 1) -> list[list]:
    """Rows of the export: every result row × verksamhet, each split over `split` accounts
    (a full year's export of a real ekonomisystem has thousands)."""
    lines = []
    matrix: dict[tuple[str, str], list[Decimal]] = {}
    for index in range(len(FIGURES)):
        rows = {code: D(values[index]) for code, values in RESULT_2024.items()}
        nets = {code: D(values[index]) for code, values in ACTIVITIES_2024.items()}
        total = sum(nets.values())
        # Spread the rows over the verksamheter by their share of the net; the last
        # verksamhet takes what is left so every row adds up exactly.
        codes = list(nets)
        for row, amount in rows.items():
            left = amount
            for code in codes[:-1]:
                part = (amount * nets[code] / total).quantize(D("0.000001"))
                matrix.setdefault((row, code), [D(0)] * len(FIGURES))[index] = part
                left -= part
            matrix.setdefault((row, codes[-1]), [D(0)] * len(FIGURES))[index] = left
    for (row, code), amounts in matrix.items():
        account, name = ACCOUNTS[row]
        for piece in range(split):
            share = [_kr(amount) for amount in amounts]
            pieces = [(value / split).quantize(D("0.01")) for value in share]
            if piece == split - 1:
                pieces = [
                    value - (value / split).quantize(D("0.01")) * (split - 1) for value in share
                ]
            lines.append(
                [account + piece % 80, name, ACTIVITIES[code]]
                + [-float(value) for value in pieces]  # bookkeeping signs
            )
    for piece in range(split):
        amounts = [_kr(D(v)) for v in INVESTMENTS_2024]
        pieces = [(value / split).quantize(D("0.01")) for value in amounts]
        if piece == split - 1:
            pieces = [
                value - (value / split).quantize(D("0.01")) * (split - 1) for value in amounts
            ]
        lines.append([1210, "Inventarier", "70"] + [-float(value) for value in pieces])
    lines.append([2440, "Leverantörsskulder", "70", 1250000.0, 0, 0, 0])  # balance: not imported
    return lines


def workbook(lines=None, *, headers=None, title="Export", before=None, after=None) -> bytes:
    """An .xlsx with a title row, the header row and `lines`; `before`/`after` add raw rows."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = title
    sheet.append(["Resultatrapport per augusti 2024, Socialnämnden"])
    sheet.append(headers or HEADERS)
    for row in before or []:
        sheet.append(row)
    for row in account_lines() if lines is None else lines:
        sheet.append(row)
    for row in after or []:
        sheet.append(row)
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()
