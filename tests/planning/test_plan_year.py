"""Starting year N+1 beside year N, what changed, and bad input: a second start, a goal removed
in N+1 that N still follows up, budget rows that do not add up."""

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from controls.models import ControlPlan, Risk
from economy import queries as economy_queries
from economy import services as economy_services
from economy.models import BudgetValue, BudgetVersion, QualityDeclaration, Sheet, Tariff
from goals import reporting as goals_reporting
from goals import services as goal_services
from goals.models import Activity, Goal, GoalAssessment, Measure, PlanYear
from solna_sn import planning
from solna_sn.errors import StateError
from solna_sn.models import AuditEntry


def snapshot(committee, year: int) -> dict:
    """Everything of a year's plan that a copy or a change of the next year could touch."""
    return {
        "plan": list(PlanYear.objects.filter(committee=committee, year=year).values()),
        "goals": list(Goal.objects.filter(plan__year=year).order_by("pk").values()),
        "measures": list(Measure.objects.filter(goal__plan__year=year).order_by("pk").values()),
        "activities": list(Activity.objects.filter(plan__year=year).order_by("pk").values()),
        "assessments": list(
            GoalAssessment.objects.filter(goal__plan__year=year).order_by("pk").values()
        ),
        "versions": list(BudgetVersion.objects.filter(year=year).order_by("pk").values()),
        "budget": list(
            BudgetValue.objects.filter(budget_version__year=year).order_by("pk").values()
        ),
        "sheets": list(Sheet.objects.filter(year=year).order_by("pk").values()),
        "tariffs": list(Tariff.objects.filter(plan_year=year).order_by("pk").values()),
        "declarations": list(
            QualityDeclaration.objects.filter(plan_year=year).order_by("pk").values()
        ),
        "control_plans": list(ControlPlan.objects.filter(year=year).order_by("pk").values()),
        "risks": list(Risk.objects.filter(plan__year=year).order_by("pk").values()),
    }


def test_starting_next_year_copies_every_part_and_leaves_this_year_untouched(vp_demo, chief):
    committee = vp_demo
    before = snapshot(committee, 2026)
    assert planning.start_next_year(committee=committee, year=2026, by=chief) == 2027
    assert snapshot(committee, 2026) == before
    plan_2027 = PlanYear.objects.get(committee=committee, year=2027)
    assert set(plan_2027.goals.values_list("key", flat=True)) == {
        goal["key"] for goal in before["goals"]
    }
    assert Measure.objects.filter(goal__plan=plan_2027).count() == len(before["measures"])
    assert plan_2027.activities.count() == len(before["activities"])
    version = BudgetVersion.objects.get(committee=committee, year=2027)
    assert version.name == "Budget 2027"
    assert version.values.count() == len(before["budget"])
    assert Sheet.objects.filter(year=2027, period="plan").count() == 3
    assert ControlPlan.objects.get(year=2027).risks.count() == len(before["risks"])
    assert Tariff.objects.filter(plan_year=2027).count() == 5


def test_starting_a_year_that_is_already_started_is_refused_and_changes_nothing(vp_demo, chief):
    committee = vp_demo
    before = (snapshot(committee, 2025), snapshot(committee, 2026), AuditEntry.objects.count())
    with pytest.raises(StateError, match="Planeringen för 2026 är redan påbörjad"):
        planning.start_next_year(committee=committee, year=2025, by=chief)
    after = (snapshot(committee, 2025), snapshot(committee, 2026), AuditEntry.objects.count())
    assert after == before


def test_only_förvaltningsledning_starts_next_year(vp_demo, controller):
    with pytest.raises(PermissionDenied):
        planning.start_next_year(committee=vp_demo, year=2026, by=controller)
    assert not PlanYear.objects.filter(year=2027).exists()


def test_the_page_confirms_then_starts_next_year_and_refuses_a_second_time(client, vp_demo, chief):
    client.force_login(chief)
    url = reverse("goals:plan_next", args=[2026])
    page = client.get(url)
    assert page.status_code == 200
    assert "Börja planera 2027 som en kopia av 2026" in page.content.decode()
    response = client.post(url, {"year": 2027})
    assert response.status_code == 302 and response.url == reverse("goals:tree", args=[2027])
    assert PlanYear.objects.filter(year=2027).exists()
    again = client.post(reverse("goals:plan_next", args=[2025]), {"year": 2026})
    assert again.status_code == 400
    assert "Planeringen för 2026 är redan påbörjad" in again.content.decode()


def test_the_tree_page_links_to_the_changes_and_the_changes_page_lists_them(
    client, vp_demo, handlaggare
):
    client.force_login(handlaggare)
    tree = client.get(reverse("goals:tree", args=[2026])).content.decode()
    assert reverse("goals:plan_changes", args=[2026]) in tree
    page = client.get(reverse("goals:plan_changes", args=[2026]))
    text = page.content.decode()
    assert page.status_code == 200
    assert "Omformulerat" in text and "Nämndmål 1" in text and "självförsörjande" in text
    assert "Inga förändringar mot 2025." in text  # budget and internkontrollplan


def test_a_changed_budget_row_is_listed_with_its_förändring(vp_demo, controller):
    committee = vp_demo
    sheet = Sheet.objects.get(year=2026, definition__code="VP_DRIFTBUDGET_NAMND")
    definition_rows = {row.code: row for row in economy_queries.definition_rows(sheet.definition)}
    column = sheet.definition.columns.get(code="BUDGET")
    economy_services.cell_save(
        sheet=sheet,
        row=definition_rows["INTAKTER"],
        column=column,
        raw="38,0",
        expected_revision=None,
        by=controller,
    )
    groups = {g.part.code: g for g in planning.changes_from_previous(committee, 2026)}
    changes = [(c.kind, c.label, c.old, c.new) for c in groups["economy"].changes]
    assert ("Ändrat", "Driftbudget, nämnd: Intäkter", "36,7 mkr", "38,0 mkr (förändring -1,3)") in (
        changes
    )
    # The demo's net is the printed (given) figure: it is not recomputed, a warning shows.
    assert [c[1] for c in changes] == ["Driftbudget, nämnd: Intäkter"]
    assert groups["economy"].warnings == [
        "Driftbudget, nämnd: Nettokostnader, Budget 2026: angivet -231,2 men raderna summerar "
        "till -229,9 (skillnad 1,3; avrundning förklarar högst 0,2 för 2 rader)."
    ]


def test_budget_rows_that_do_not_add_up_show_a_warning_and_nothing_is_corrected(
    client, vp_demo, controller, handlaggare
):
    sheet = Sheet.objects.get(year=2026, definition__code="VP_DRIFTBUDGET_VERKSAMHET")
    rows = {row.code: row for row in economy_queries.definition_rows(sheet.definition)}
    column = sheet.definition.columns.get(code="BUDGET")
    version = sheet.budget_version
    before = dict(BudgetValue.objects.filter(budget_version=version).values_list("row", "value"))
    economy_services.cell_save(
        sheet=sheet,
        row=rows["SUMMA"],
        column=column,
        raw="-230,2",
        expected_revision=None,
        by=controller,
    )
    after = dict(BudgetValue.objects.filter(budget_version=version).values_list("row", "value"))
    assert str(after.pop(rows["SUMMA"].pk)) == "-230.200000"  # stored as given
    before.pop(rows["SUMMA"].pk, None)
    assert after == before  # no other row is adjusted to make the sum agree
    _, warnings = economy_queries.plan_budget_changes(vp_demo, 2026)
    assert warnings == [
        "Driftbudget, per verksamhet: Summa nettokostnader, Budget 2026: angivet -230,2 men "
        "raderna summerar till -231,2 (skillnad 1,0; avrundning förklarar högst 0,4 för 4 rader)."
    ]
    client.force_login(handlaggare)
    page = client.get(reverse("goals:plan_changes", args=[2026])).content.decode()
    assert "Varning:" in page and "raderna summerar till -231,2" in page
    assert "siffrorna sparas som de är angivna och rättas inte" in page


def test_a_goal_removed_next_year_is_still_followed_up_this_year(vp_demo, chief):
    committee = vp_demo
    nm4_2026 = (
        Goal.objects.filter(plan__year=2026, level__code="NAMNDMAL").order_by("sort_order").last()
    )
    nm4_2025 = Goal.objects.get(plan__year=2025, key=nm4_2026.key)
    # 2025 is followed up per april (fastställd trees take assessments).
    goal_services.assessment_save(
        goal=nm4_2025,
        period="april",
        data={"step": None, "commentary": "Arbetet pågår.", "state": "utkast"},
        by=chief,
        version=0,
    )
    before = snapshot(committee, 2025)
    for activity in nm4_2026.activities.all():
        goal_services.activity_delete(activity=activity, by=chief)
    for measure in nm4_2026.measures.all():
        goal_services.measure_delete(measure=measure, by=chief)
    goal_services.goal_delete(goal=nm4_2026, by=chief)

    assert snapshot(committee, 2025) == before
    follow_up = goals_reporting.follow_up(committee=committee, year=2025, period="april")
    assert nm4_2025.title in [goal.title for goal in follow_up.goals]
    groups = {g.part.code: g for g in planning.changes_from_previous(committee, 2026)}
    removed = [c for c in groups["goals"].changes if c.kind == "Borttaget"]
    assert removed[0].label == "Nämndmål 4"
    assert removed[0].old == nm4_2025.title


def test_the_tree_page_keeps_its_query_count_as_goals_and_activities_grow(client, vp_demo, chief):
    """The 2026 planning tree (status, changes link, buttons) with 3 more nämndmål with two
    aktiviteter each: the same number of queries."""
    client.force_login(chief)

    def count(url):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries.captured_queries)

    url = reverse("goals:tree", args=[2026])
    one = count(url)
    plan = PlanYear.objects.get(year=2026)
    first = plan.goals.filter(level__code="NAMNDMAL").select_related("level", "parent").first()
    parent, level = first.parent, first.level
    for n in range(3):
        goal = goal_services.goal_save(
            plan=plan,
            data={"level": level, "parent": parent, "title": f"Nytt mål {n}", "sort_order": 90},
            by=chief,
        )
        for suffix in "ab":
            goal_services.activity_save(
                plan=plan, data={"goal": goal, "title": f"Aktivitet {n}{suffix}"}, by=chief
            )
    assert count(url) == one
    changes = reverse("goals:plan_changes", args=[2026])
    assert count(changes) > 0
