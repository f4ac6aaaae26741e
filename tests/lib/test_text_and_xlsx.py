"""Text checks and the Excel helpers shared by every import and export."""

import io
import zipfile

import pytest
from openpyxl import Workbook, load_workbook

from solna_sn.lib.text import text_problem
from solna_sn.lib.xlsx import XlsxError, append_row, load_workbook_checked, workbook_bytes


@pytest.mark.parametrize("value", ["a\x00b", "rubrik\x07", "\x1b[31m"])
def test_text_with_control_characters_gets_a_message(value):
    assert "styrtecken" in text_problem(value)


def test_line_breaks_only_in_multiline_text():
    assert text_problem("rad 1\nrad 2") == ""
    assert "styrtecken" in text_problem("rad 1\nrad 2", multiline=False)


def test_text_over_the_limit_gets_a_message():
    assert "högst 200 tecken (nu 201)" in text_problem("x" * 201, max_length=200)
    assert "för lång" in text_problem("x" * 100_000)


def test_exported_text_that_looks_like_a_formula_stays_text():
    workbook = Workbook()
    append_row(workbook.active, ['=HYPERLINK("http://evil.example","klicka")', "+1", "@x", 7])
    sheet = load_workbook(io.BytesIO(workbook_bytes(workbook))).active
    assert [cell.data_type for cell in sheet[1]] == ["s", "s", "s", "n"]
    assert sheet["A1"].value.startswith("=HYPERLINK")


def test_formula_without_cached_value_is_reported():
    workbook = Workbook()
    workbook.active["A1"] = 5
    workbook.active["B1"] = "=A1*2"  # openpyxl writes no cached value
    checked = load_workbook_checked(workbook_bytes(workbook))
    assert checked.is_uncached_formula("Sheet", "B1")
    assert not checked.is_uncached_formula("Sheet", "A1")


def test_too_many_rows_are_refused_before_parsing():
    workbook = Workbook()
    for number in range(30):
        workbook.active.append([number])
    with pytest.raises(XlsxError, match="fler än 20 rader"):
        load_workbook_checked(workbook_bytes(workbook), max_rows=20)


def test_zip_bomb_is_refused_before_decompressing():
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (60 * 1024 * 1024))
    with pytest.raises(XlsxError, match="för stor uppackad"):
        load_workbook_checked(output.getvalue())


def test_not_a_zip_is_refused():
    with pytest.raises(XlsxError, match="inte en Excelfil"):
        load_workbook_checked(b"hello")


def test_form_fields_added_after_init_get_the_text_checks_too():
    from django import forms

    from solna_sn.forms import AccessibleForm

    class SectionsForm(AccessibleForm):
        title = forms.CharField(max_length=10)

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.fields["heading"] = forms.CharField(max_length=5)

    form = SectionsForm({"title": "Rubrik", "heading": "a\x00b"})
    assert not form.is_valid()
    assert "styrtecken" in form.errors["heading"][0]
    form = SectionsForm({"title": "x" * 11, "heading": "ok"})
    assert not form.is_valid()
    assert form.errors["title"] == ["Texten är för lång: högst 10 tecken (nu 11)."]
