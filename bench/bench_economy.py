"""Ekonomi: entry grid SQL queries as rows grow, grid request time, and import of a full-year
ekonomisystem export of a few thousand account rows (target ≤ 0.5 s for preview + apply)."""

import statistics
import time

import _demo_db

_demo_db.setup()

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from economy import importers, services
from economy.models import (
    AccountMapping,
    BudgetVersion,
    Sheet,
    TableDefinition,
    TableRow,
)
from solna_sn.models import Committee, User
from tests.economy import exports

controller = User.objects.get(username="controller")
committee = Committee.objects.get(code="SN")
client = Client()
client.force_login(controller)


def queries(url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


sheet = Sheet.objects.select_related("definition", "committee").get(
    definition__code="VP_DRIFTBUDGET_VERKSAMHET", year=2025
)
url = f"/ekonomi/tabell/{sheet.pk}/"
print(f"economy_grid_queries_5_rows: {queries(url)} queries")
rowset = sheet.definition.rowset
total = TableRow.objects.get(rowset=rowset, code="SUMMA")
budget = sheet.definition.columns.get(code="BUDGET")
for i in range(35):
    row = TableRow.objects.create(
        rowset=rowset, code=f"BENCH{i}", label=f"Bänkrad {i}", sort_order=45
    )
    total.covers.add(row)
    services.cell_save(
        sheet=sheet, row=row, column=budget, raw="-1,5", expected_revision=0, by=controller
    )
print(f"economy_grid_queries_40_rows: {queries(url)} queries")
timings = []
for _ in range(20):
    start = time.perf_counter()
    assert client.get(url).status_code == 200
    timings.append(time.perf_counter() - start)
print(f"economy_grid_40_rows_median: {statistics.median(timings) * 1000:.1f} ms")
start = time.perf_counter()
response = client.post(
    f"/ekonomi/tabell/{sheet.pk}/cell/BENCH0/BUDGET/",
    {"value": "-2,5", "revision": "1"},
    HTTP_HX_REQUEST="true",
)
assert response.status_code == 200 and "Sparat" in response.content.decode()
print(f"economy_cell_save_40_rows: {(time.perf_counter() - start) * 1000:.1f} ms")

# A full year's export: every result account × verksamhet split over many accounts.
version = BudgetVersion.objects.get(name="Justerad budget 2024")
for code in ("AR_RESULTATRAKNING", "AR_VERKSAMHETER", "AR_INVESTERINGAR"):
    services.sheet_create(
        committee=committee,
        definition=TableDefinition.objects.get(code=code),
        year=2024,
        period="helar",
        budget_version=version,
        by=controller,
    )
lines = exports.account_lines(split=75)
content = exports.workbook(lines)
print(f"economy_export_rows: {len(lines)} rows")
start = time.perf_counter()
economy_import = importers.import_create(
    committee=committee,
    mapping=AccountMapping.objects.get(),
    year=2024,
    period="helar",
    filename="helar.xlsx",
    content=content,
    by=controller,
)
upload_time = time.perf_counter() - start
print(f"economy_import_upload_read_{len(lines)}_rows: {upload_time * 1000:.0f} ms")
start = time.perf_counter()
preview = importers.build_preview(economy_import, user=controller)
preview_time = time.perf_counter() - start
assert preview.ok, preview.errors[:3]
print(f"economy_import_preview_{len(lines)}_rows: {preview_time * 1000:.0f} ms")
start = time.perf_counter()
written = importers.import_apply(
    economy_import=economy_import, fingerprint=preview.fingerprint, user=controller
)
apply_time = time.perf_counter() - start
print(f"economy_import_apply_{len(lines)}_rows_{written}_figures: {apply_time * 1000:.0f} ms")
total = upload_time + preview_time + apply_time
print(f"economy_import_total_{len(lines)}_rows: {total * 1000:.0f} ms")
