"""Mål och uppdrag: SQL queries and mean request time for the tree, plan table, follow-up and
goal pages with the demo's four nämndmål and with 40; computing medelbistånd from the
verksamhetsmått; copying a 40-goal tree to the next year."""

import sys
import time

import _demo_db

_demo_db.setup()

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from goals import queries, services
from goals.models import Goal, Level, Measure, PlanYear
from solna_sn.lib.periods import PeriodKind, ReportPeriod
from solna_sn.models import User

client = Client()
leader = User.objects.get(username="forvaltningschef")
client.force_login(User.objects.get(username="granskare"))


def measure(url: str, label: str, repeats: int = 20) -> None:
    if client.get(url).status_code != 200:
        sys.exit(f"{url} did not answer 200")
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    query_count = len(captured.captured_queries)  # read now: the next request clears the log
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


def pages(year: int, label: str) -> None:
    plan = PlanYear.objects.get(year=year)
    goal = plan.goals.filter(level__code="NAMNDMAL").order_by("sort_order", "pk").first()
    measure(f"/mal/{year}/", f"goals_tree_page_{label}")
    measure(f"/mal/{year}/maltabell/", f"goals_plan_table_{label}")
    measure(f"/mal/{year}/uppfoljning/augusti/", f"goals_follow_up_{label}")
    measure(f"/mal/mal/{goal.pk}/", f"goals_goal_page_{label}")
    measure(f"/mal/mal/{goal.pk}/bedomning/augusti/", f"goals_assessment_page_{label}")


pages(2024, "4_goals")

computed = Measure.objects.get(goal__plan__year=2024, source="series")
figure = timed(
    "goals_medelbistand_jan_aug",
    lambda: queries.key_figure(computed, ReportPeriod(2024, PeriodKind.AUGUST)),
)
print(f"goals_medelbistand_2024: {figure.text.replace(' ', '')}")

# A bigger tree: 2024 copied to 2030 (as if every year in between were the same) with 36
# more nämndmål, each with two mått and three aktiviteter.
source = PlanYear.objects.get(year=2024)
big = services.plan_copy(source=source, year=2030, by=leader)
level = Level.objects.get(committee=big.committee, code="NAMNDMAL")
parent = big.goals.filter(level__code="OVERGRIPANDE").order_by("sort_order").first()
for n in range(36):
    goal = services.goal_save(
        plan=big,
        data={"level": level, "parent": parent, "title": f"Nämndmål {n}", "sort_order": 100 + n},
        by=leader,
    )
    for m in range(2):
        services.measure_save(
            goal=goal, data={"title": f"Mått {n}.{m}", "source": "manual"}, by=leader
        )
    for a in range(3):
        services.activity_save(
            plan=big, data={"goal": goal, "title": f"Aktivitet {n}.{a}"}, by=leader
        )
print(f"goals_big_tree_goals: {Goal.objects.filter(plan=big).count()} goals")
pages(2030, "40_goals")

start = time.perf_counter()
services.plan_copy(source=big, by=leader)
print(f"goals_copy_40_goals: {(time.perf_counter() - start) * 1000:.2f} ms")
