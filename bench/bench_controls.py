"""Internkontroll: SQL queries and mean request time for the plan, matrix, calendar and
follow-up pages with the demo's 9 risks and with 40; Excel export and import parsing."""

import sys
import time

import _demo_db

_demo_db.setup()

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from controls import excel, services
from controls.models import ControlPlan
from solna_sn.models import User

client = Client()
controller = User.objects.get(username="controller")
client.force_login(User.objects.get(username="granskare"))


def measure(url: str, label: str, repeats: int = 20) -> None:
    if client.get(url).status_code != 200:
        sys.exit(f"{url} did not answer 200")
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    query_count = len(queries.captured_queries)
    start = time.perf_counter()
    for _ in range(repeats):
        client.get(url)
    elapsed = (time.perf_counter() - start) / repeats
    print(f"{label}_queries: {query_count} queries")
    print(f"{label}_time: {elapsed * 1000:.2f} ms")


def timed(label: str, function, repeats: int = 10):
    start = time.perf_counter()
    for _ in range(repeats):
        value = function()
    print(f"{label}: {(time.perf_counter() - start) / repeats * 1000:.2f} ms")
    return value


plan = ControlPlan.objects.get(year=2024)
for name, path in (
    ("plan", f"/internkontroll/plan/{plan.pk}/"),
    ("matrix", f"/internkontroll/plan/{plan.pk}/riskmatris/"),
    ("calendar", f"/internkontroll/plan/{plan.pk}/kalender/"),
    ("follow_up", f"/internkontroll/plan/{plan.pk}/uppfoljning/augusti/"),
):
    measure(path, f"controls_{name}_page_9_risks")

# A bigger draft plan: the 2024 plan copied to 2030 with 31 more risks.
big = services.plan_create(committee=plan.committee, year=2030, copy_from=plan, by=controller)
template = big.risks.first()
for n in range(31):
    services.risk_save(
        plan=big,
        data={
            "process_name": f"Process {n % 5}",
            "title": f"Risk {n}",
            "category": template.category,
            "likelihood": 1 + n % 5,
            "consequence": 1 + (n * 3) % 5,
            "risk_index": None,
            "control_activity": template.control_activity,
            "method": template.method,
            "sample_size": template.sample_size,
            "how_when": template.how_when,
            "control_months": [4, 10],
            "responsible_unit": template.responsible_unit,
            "responsible_role": "Enhetschef",
        },
        by=controller,
    )
measure(f"/internkontroll/plan/{big.pk}/", "controls_plan_page_40_risks")
measure(f"/internkontroll/plan/{big.pk}/riskmatris/", "controls_matrix_page_40_risks")
workbook = timed("controls_excel_export_40_risks", lambda: excel.export_plan_workbook(big))
sheet = timed(
    "controls_excel_parse_40_risks",
    lambda: excel.parse_plan_workbook(workbook, scale_max=big.scale_max),
)
if sheet.errors or len(sheet.rows) != 40:
    sys.exit(f"parse failed: {sheet.errors[:3]}")
