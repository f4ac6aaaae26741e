"""The printed reports' generated tables: fixed table layout (the column widths of
report_print.css, not WeasyPrint's measuring of every cell) and no text wider than its cell.

The demo's delårsrapport and verksamhetsplan have every kind of generated table; the demo is
loaded once for the module, inside a transaction that is rolled back, and only the laid-out
documents leave it."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
from django.core.management import call_command
from django.db import transaction
from weasyprint.formatting_structure import boxes

from printing import services as printing_services
from reports import assembly, printed
from reports.models import Report
from solna_sn.lib import pdf as pdflib

# The module fixture needs the test database; a test that asks for it makes pytest-django set
# it up.
pytestmark = pytest.mark.django_db

REPORTS = {"delarsrapport": 2024, "verksamhetsplan": 2025}


@pytest.fixture(scope="module")
def laid_out(django_db_setup, django_db_blocker) -> dict:
    documents = {}
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", stdout=io.StringIO())
        for code, year in REPORTS.items():
            report = Report.objects.get(kind__code=code, year=year)
            sections = report.sections.select_related("writer", "unit", "last_writer")
            html = printed.report_html(assembly.assemble(report, sections.order_by("order")))
            documents[code] = pdflib.layout_html(html, base_dir=printing_services.static_dir())
        transaction.set_rollback(True)
    return documents


def descendants(box) -> Iterator:
    yield box
    for child in getattr(box, "children", None) or []:
        yield from descendants(child)


def page_boxes(document) -> Iterator[tuple[int, object]]:
    for number, page in enumerate(document.pages, start=1):
        for box in descendants(page._page_box):
            yield number, box


def table_classes(table) -> str:
    return table.element.get("class", "") if table.element is not None else ""


@pytest.mark.parametrize("code", REPORTS)
def test_every_generated_table_has_the_fixed_layout(laid_out, code):
    tables = [box for _n, box in page_boxes(laid_out[code]) if isinstance(box, boxes.TableBox)]
    generated = [table for table in tables if "generated-table" in table_classes(table)]
    assert generated
    automatic = {table_classes(t) for t in generated if t.style["table_layout"] != "fixed"}
    assert not automatic
    # A fixed table needs a width; the risk matrix is no longer as wide as its content.
    assert all(table.style["width"].unit == "%" for table in generated)


@pytest.mark.parametrize("code", REPORTS)
def test_no_text_is_wider_than_its_table_cell(laid_out, code):
    overflowing = []
    for number, cell in page_boxes(laid_out[code]):
        if not isinstance(cell, boxes.TableCellBox):
            continue
        left = cell.content_box_x()
        right = left + cell.width
        for text in descendants(cell):
            if isinstance(text, boxes.TextBox) and (
                text.position_x < left - 0.5 or text.position_x + text.width > right + 0.5
            ):
                overflowing.append(f"sida {number}: {text.text!r}")
    assert not overflowing


def test_a_metric_table_starts_on_the_page_of_its_caption(laid_out):
    """The year tables (at most three rows) are not split, and their caption is not left alone
    at the foot of a page."""
    pages_of: dict[str, set[int]] = {}
    for number, box in page_boxes(laid_out["delarsrapport"]):
        # The wrapper holds the caption and the table; it has a fragment on each page of either.
        if getattr(box, "is_table_wrapper", False) and "year-table" in table_classes(box):
            pages_of.setdefault(box.element.get("data-metric"), set()).add(number)
    assert len(pages_of) == 36
    assert {metric: pages for metric, pages in pages_of.items() if len(pages) > 1} == {}
