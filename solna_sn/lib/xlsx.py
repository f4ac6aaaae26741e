"""Small openpyxl helpers shared by the Excel exports and imports.

Exports write user text as text, never as a formula (a contract called `=HYPERLINK(…)` stays a
name). Imports check the archive and the sheet sizes before parsing, so a zip bomb or a
100 000-row sheet gets a Swedish message instead of minutes of work, and they can tell a formula
cell without a cached value (read as blank by `data_only`) from a really empty cell.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field

from openpyxl import load_workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from solna_sn.lib.text import without_control_characters

# Text starting with one of these is read as a formula by Excel or LibreOffice.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
MAX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024
MAX_COMPRESSION_RATIO = 200
MAX_ROWS = 5_000
MAX_COLUMNS = 60


class XlsxError(ValueError):
    """A file that cannot be read as the expected workbook; str() is Swedish."""


def append_header(sheet, titles: list[str], widths: list[int], *, wrap: bool = False) -> None:
    """Append a bold header row and set the column widths (in characters)."""

    append_row(sheet, titles)
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
        if wrap:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width


def set_text(cell, value) -> None:
    """Store `value` in `cell`; a string is always a string cell, never a formula. Control
    characters, which an Excel file cannot hold (text stored before the text checks), are
    left out rather than failing the whole export."""
    if isinstance(value, str):
        value = without_control_characters(value)
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"
        if value.startswith(FORMULA_PREFIXES):
            cell.quotePrefix = True


def append_row(sheet, values) -> None:
    """`sheet.append(values)` with every string written as text (see `set_text`)."""
    values = list(values)
    sheet.append([None if isinstance(value, str) else value for value in values])
    row = sheet.max_row
    for column, value in enumerate(values, start=1):
        if isinstance(value, str):
            set_text(sheet.cell(row=row, column=column), value)


def workbook_bytes(workbook) -> bytes:
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.0f}".replace(".", ",")


def check_archive(data: bytes, *, max_uncompressed: int = MAX_UNCOMPRESSED_BYTES) -> None:
    """Refuse what is not a zip archive, or unpacks to more than `max_uncompressed` bytes or
    with a suspicious compression ratio, before anything is decompressed."""
    if not data:
        raise XlsxError("Filen är tom.")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError):
        raise XlsxError("Filen är inte en Excelfil (.xlsx).") from None
    with archive:
        members = archive.infolist()
        total = sum(member.file_size for member in members)
        if total > max_uncompressed:
            raise XlsxError(
                f"Excelfilen är för stor uppackad ({_megabytes(total)} MB, högst "
                f"{_megabytes(max_uncompressed)} MB). Dela upp den i mindre filer."
            )
        for member in members:
            if member.file_size > 1024 * 1024 and member.file_size > MAX_COMPRESSION_RATIO * max(
                member.compress_size, 1
            ):
                raise XlsxError(
                    "Excelfilen är packad på ett misstänkt sätt och läses inte. Spara den på nytt "
                    "i Excel och försök igen."
                )


@dataclass
class CheckedWorkbook:
    """A workbook read with cached values (`data_only`), and the formula cells that have none."""

    workbook: object
    uncached_formulas: dict[str, set[str]] = field(default_factory=dict)

    def is_uncached_formula(self, sheet_title: str, coordinate: str) -> bool:
        return coordinate in self.uncached_formulas.get(sheet_title, ())

    def close(self) -> None:
        self.workbook.close()


def load_workbook_checked(
    data: bytes,
    *,
    max_rows: int = MAX_ROWS,
    max_columns: int = MAX_COLUMNS,
    max_uncompressed: int = MAX_UNCOMPRESSED_BYTES,
    read_only: bool = False,
) -> CheckedWorkbook:
    """Check the archive and every sheet's size, then load the workbook with cached values.

    Raises XlsxError (Swedish) for a file that is not an .xlsx, is too large unpacked, or has a
    sheet with more than `max_rows` rows or `max_columns` columns in use."""

    check_archive(data, max_uncompressed=max_uncompressed)
    try:
        formulas = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError):
        raise XlsxError("Filen är inte en Excelfil (.xlsx).") from None
    except Exception:
        raise XlsxError("Excelfilen är trasig och kan inte läsas.") from None
    formula_cells: dict[str, set[str]] = {}
    try:
        for sheet in formulas.worksheets:
            cells: set[str] = set()
            for number, row in enumerate(sheet.iter_rows(), start=1):
                used = [cell for cell in row if getattr(cell, "value", None) is not None]
                if not used:
                    continue
                if number > max_rows:
                    raise XlsxError(
                        f"Bladet ”{sheet.title}” har fler än {max_rows} rader. Dela upp filen."
                    )
                if used[-1].column > max_columns:
                    raise XlsxError(
                        f"Bladet ”{sheet.title}” har fler än {max_columns} kolumner i bruk."
                    )
                cells.update(cell.coordinate for cell in used if cell.data_type == "f")
            if cells:
                formula_cells[sheet.title] = cells
    except XlsxError:
        raise
    except Exception:
        raise XlsxError("Excelfilen är trasig och kan inte läsas.") from None
    finally:
        formulas.close()
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=read_only, data_only=True)
    except Exception:
        raise XlsxError("Excelfilen är trasig och kan inte läsas.") from None
    uncached: dict[str, set[str]] = {}
    for title, cells in formula_cells.items():
        sheet = workbook[title]
        if read_only:
            # Read-only sheets cannot be indexed cheaply; compare while streaming.
            values = {
                cell.coordinate: cell.value
                for row in sheet.iter_rows()
                for cell in row
                if getattr(cell, "coordinate", None) in cells
            }
            missing = {ref for ref in cells if values.get(ref) is None}
        else:
            missing = {ref for ref in cells if sheet[ref].value is None}
        if missing:
            uncached[title] = missing
    return CheckedWorkbook(workbook, uncached)


UNCACHED_FORMULA_MESSAGE = (
    "Cellen innehåller en formel utan sparat värde. Öppna filen i Excel, spara den och läs in "
    "den igen, eller skriv in värdet."
)
