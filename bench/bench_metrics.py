"""Verksamhetsmått: month grid SQL queries as data grows and Excel export/import of 3 years ×
36 series (the grid's request time under a real server: bench_metrics_server.py)."""

import io
import time

import _demo_db

_demo_db.setup()

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from metrics import importers
from metrics.excel import export_workbook
from metrics.models import Metric, MetricCategory, MetricImport
from solna_sn.models import Unit, User

controller = User.objects.get(username="controller")
URL = "/verksamhetsmatt/manad/2024-09/VUX/"


def grid_queries() -> int:
    client = Client()
    client.force_login(controller)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL).status_code == 200
    return len(queries.captured_queries)


print(f"metrics_grid_queries_9_metrics: {grid_queries()} queries")
category = MetricCategory.objects.get(code="VUXNA")
unit = Unit.objects.get(code="VUX")
Metric.objects.bulk_create(
    Metric(
        code=f"BENCH{i}",
        category=category,
        title=f"Bänkmått {i}",
        measure_unit="antal",
        owner=unit,
        sort_order=1000 + i,
    )
    for i in range(31)
)
print(f"metrics_grid_queries_40_metrics: {grid_queries()} queries")

# Request time and 10 concurrent clients are measured against gunicorn on PostgreSQL in
# bench_metrics_server.py (threads in this process would measure the GIL, not the server).
Metric.objects.filter(code__startswith="BENCH").delete()

start = time.perf_counter()
content = export_workbook(2022, 2024)
print(f"metrics_excel_export_3y_36_series: {(time.perf_counter() - start) * 1000:.0f} ms")
start = time.perf_counter()
preview = importers.build_preview(content, user=controller)
print(f"metrics_excel_import_preview_3y_36_series: {(time.perf_counter() - start) * 1000:.0f} ms")
uploaded = importers.import_upload(filename="bench.xlsx", content=content, by=controller)
page = Client()
page.force_login(controller)
page.get(f"/verksamhetsmatt/excel/import/{uploaded.pk}/")
start = time.perf_counter()
assert page.get(f"/verksamhetsmatt/excel/import/{uploaded.pk}/").status_code == 200
print(
    f"metrics_excel_import_preview_page_3y_36_series: {(time.perf_counter() - start) * 1000:.0f} ms"
)
# Apply with one changed cell per series so the write path is measured too.
from openpyxl import load_workbook

workbook = load_workbook(io.BytesIO(content))
for sheet in workbook.worksheets:
    for row in sheet.iter_rows():
        if row[0].value == 2024 and row[9].value != "-":
            row[9].value = 1  # september 2024 (open)
buffer = io.BytesIO()
workbook.save(buffer)
metric_import = MetricImport.objects.create(
    uploaded_by=controller, filename="bench.xlsx", content=buffer.getvalue()
)
fingerprint = importers.build_preview(buffer.getvalue(), user=controller).fingerprint
start = time.perf_counter()
written = importers.import_apply(
    metric_import=metric_import,
    fingerprint=fingerprint,
    user=controller,
    comment="Bench: september satt till 1",  # the soft checks warn, as in the grid
)
print(
    f"metrics_excel_import_apply_{written}_changes: {(time.perf_counter() - start) * 1000:.0f} ms"
)

# Oversized uploads are refused before parsing: a 100 000-row sheet and a zip bomb.
import contextlib
import zipfile

from openpyxl import Workbook

big = Workbook(write_only=True)
sheet = big.create_sheet("Vuxna")
for _ in range(100_000):
    sheet.append([2024, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12])
buffer = io.BytesIO()
big.save(buffer)
start = time.perf_counter()
with contextlib.suppress(importers.ImportFileError):
    importers.import_upload(filename="stor.xlsx", content=buffer.getvalue(), by=controller)
print(f"metrics_excel_refuse_100000_rows: {(time.perf_counter() - start) * 1000:.0f} ms")
bomb = io.BytesIO()
with zipfile.ZipFile(io.BytesIO(content)) as source, zipfile.ZipFile(bomb, "w", 8) as target:
    for item in source.infolist():
        target.writestr(item, source.read(item.filename))
    target.writestr("xl/media/padding.bin", b"\0" * (500 * 1024 * 1024))
start = time.perf_counter()
with contextlib.suppress(importers.ImportFileError):
    importers.import_upload(filename="bomb.xlsx", content=bomb.getvalue(), by=controller)
print(
    f"metrics_excel_refuse_zip_bomb_{len(bomb.getvalue()) // 1024}_kB: "
    f"{(time.perf_counter() - start) * 1000:.0f} ms"
)
