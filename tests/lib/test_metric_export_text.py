"""The verksamhetsmått export, through the shared Excel helpers: a metric title that looks like
a formula is written as text (the catalogue is edited in the admin by many people)."""

import datetime
import io

import pytest
from openpyxl import load_workbook

from metrics.excel import export_workbook
from metrics.models import Aggregation, Metric, MetricCategory
from tests.factories import UnitFactory


@pytest.mark.django_db
def test_the_metric_export_writes_formula_like_titles_as_text():
    category = MetricCategory.objects.create(code="VUXNA", title="Vuxna", sort_order=10)
    title = '=HYPERLINK("http://evil.example","Mått")'
    Metric.objects.create(
        code="M1",
        title=title,
        measure_unit="antal personer",
        category=category,
        owner=UnitFactory(code="VUX"),
        valid_from=datetime.date(2024, 4, 1),
        aggregation=Aggregation.MEAN,
    )
    workbook = load_workbook(io.BytesIO(export_workbook(2024, 2024)))
    sheet = workbook["Vuxna"]
    assert sheet["A1"].value == title and sheet["A1"].data_type == "s"
    assert sheet["B3"].value == "-" and sheet["B3"].data_type == "s"  # not valid before april
    assert not [cell for row in sheet.iter_rows() for cell in row if cell.data_type == "f"]
