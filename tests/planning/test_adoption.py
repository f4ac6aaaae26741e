"""Fastställa a year's plan: goal tree, budget version and internkontrollplan together with
the decision's date and §; refused without a recorded decision, when a part is missing or
already fastställd; an adopted plan is locked and changes need a new revision."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from casework.models import AgendaItem, Decision, Meeting
from controls import services as control_services
from controls.models import ControlPlan, PlanState
from economy import queries as economy_queries
from economy import services as economy_services
from economy.models import BudgetVersion, Sheet
from goals import services as goal_services
from goals.models import Goal, PlanRevision, PlanYear
from reports import adoption
from solna_sn.errors import StateError
from solna_sn.models import AuditEntry

DECIDED = datetime.date(2025, 10, 6)


def state(committee, year: int) -> tuple:
    plan = PlanYear.objects.get(committee=committee, year=year)
    version = BudgetVersion.objects.get(committee=committee, year=year, name=f"Budget {year}")
    control = ControlPlan.objects.filter(committee=committee, year=year).order_by("-revision")
    return (
        (plan.state, plan.adopted_on, plan.adopted_paragraph),
        (version.is_locked, version.decided_on, version.decision_paragraph),
        [(c.state, c.adopted_on, c.decision_reference) for c in control],
    )


def test_adopting_marks_goal_tree_budget_and_internkontrollplan_fastställda(vp_demo, chief):
    committee = vp_demo
    adoption.adopt_plan_year(year=2026, decided_on=DECIDED, paragraph="58", by=chief)
    plan = PlanYear.objects.get(year=2026)
    assert plan.is_adopted and plan.adopted_paragraph == "§ 58"
    assert plan.adoption_text == "Fastställd 2025-10-06, § 58"
    version = BudgetVersion.objects.get(year=2026)
    assert version.is_locked and version.decided_on == DECIDED
    assert version.decision_paragraph == "§ 58" and version.decided_by == committee.name
    control = ControlPlan.objects.get(year=2026)
    assert control.state == PlanState.ADOPTED and control.adopted_on == DECIDED
    assert "§ 58" in control.decision_reference
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {
        "goal_plan.adopted",
        "economy.budget_version_adopted",
        "control_plan.adopted",
    } <= actions
    assert [text for _, text in adoption.adoption_status(2026)] == [
        "Fastställd 2025-10-06, § 58",
        "Budget 2026 fastställd 2025-10-06, § 58",
        "Internkontrollplan 2026 fastställd 2025-10-06",
    ]


def test_adopting_without_a_recorded_decision_is_refused_and_nothing_changes(vp_demo, chief):
    committee = vp_demo
    before = state(committee, 2026)
    with pytest.raises(StateError, match="utan ett protokollfört beslut"):
        adoption.adopt_plan_year(year=2026, decided_on=None, paragraph="§ 58", by=chief)
    with pytest.raises(StateError, match="utan ett protokollfört beslut"):
        adoption.adopt_plan_year(year=2026, decided_on=DECIDED, paragraph="  ", by=chief)
    with pytest.raises(StateError, match="protokollförts"):
        adoption.adopt_plan_year_for_decision(decision=None, year=2026, by=chief)
    with pytest.raises(StateError, match="framtiden"):
        adoption.adopt_plan_year(
            year=2026, decided_on=datetime.date(2100, 1, 1), paragraph="§ 1", by=chief
        )
    assert state(committee, 2026) == before


def test_the_recorded_protokollsutdrag_gives_the_date_and_paragraph(vp_demo, chief):
    meeting = Meeting.objects.create(
        committee=vp_demo, date=DECIDED, time=datetime.time(17, 0), place="Stadshuset"
    )
    item = AgendaItem.objects.create(meeting=meeting, position=1, label="1", title="VP 2026")
    decision = Decision.objects.create(
        item=item, meeting=meeting, paragraph=58, text="Socialnämnden fastställer."
    )
    adoption.adopt_plan_year_for_decision(decision=decision, year=2026, by=chief)
    assert PlanYear.objects.get(year=2026).adoption_text == "Fastställd 2025-10-06, § 58"


def test_a_fastställd_year_is_refused_again_with_every_reason(vp_demo, chief):
    committee = vp_demo
    before = state(committee, 2025)
    with pytest.raises(StateError) as refused:
        adoption.adopt_plan_year(year=2025, decided_on=DECIDED, paragraph="§ 58", by=chief)
    message = str(refused.value)
    assert message.startswith("Verksamhetsplanen för 2025 kan inte fastställas:")
    assert "Målträdet 2025 är redan fastställt" in message
    assert "Budget 2025 är redan fastställd och låst." in message
    assert "Internkontrollplan 2025 är redan fastställd" in message
    assert state(committee, 2025) == before


def test_one_part_already_fastställd_refuses_all_and_changes_nothing(vp_demo, chief):
    committee = vp_demo
    control_services.plan_adopt(
        plan=ControlPlan.objects.get(year=2026), by=chief, adopted_on=DECIDED
    )
    before = state(committee, 2026)
    with pytest.raises(StateError, match="Internkontrollplan 2026 är redan fastställd"):
        adoption.adopt_plan_year(year=2026, decided_on=DECIDED, paragraph="§ 58", by=chief)
    assert state(committee, 2026) == before
    assert not PlanYear.objects.get(year=2026).is_adopted


def test_a_missing_part_is_named(vp_demo, chief):
    problems = adoption.adoption_problems(2030)
    assert problems == [
        "Det finns inget målträd för 2030.",
        "Det finns ingen budget för 2030 (verksamhetsplanens tabeller saknas).",
        "Det finns ingen internkontrollplan för 2030.",
    ]
    with pytest.raises(StateError, match="Det finns inget målträd för 2030"):
        adoption.adopt_plan_year(year=2030, decided_on=DECIDED, paragraph="§ 58", by=chief)


def test_only_the_roles_that_keep_the_protokoll_adopt(vp_demo, controller):
    with pytest.raises(PermissionDenied):
        adoption.adopt_plan_year(year=2026, decided_on=DECIDED, paragraph="§ 58", by=controller)
    assert not PlanYear.objects.get(year=2026).is_adopted


def test_editing_an_adopted_plan_is_refused_with_a_message(vp_demo, chief, controller):
    adoption.adopt_plan_year(year=2026, decided_on=DECIDED, paragraph="§ 58", by=chief)
    plan = PlanYear.objects.get(year=2026)
    goal = plan.goals.filter(level__code="NAMNDMAL").first()
    title = goal.title
    with pytest.raises(ValidationError) as refused:
        goal_services.goal_save(
            plan=plan,
            goal=goal,
            data={"level": goal.level, "parent": goal.parent, "title": "Ny text"},
            by=chief,
        )
    assert "Målträdet 2026 är fastställt (2025-10-06, § 58) och kan inte ändras" in str(
        refused.value.messages
    )
    with pytest.raises(goal_services.PlanAdopted, match="Starta en ny revision"):
        goal_services.activity_delete(activity=plan.activities.first(), by=chief)
    goal.refresh_from_db()
    assert goal.title == title

    sheet = Sheet.objects.get(year=2026, definition__code="VP_DRIFTBUDGET_NAMND")
    row = economy_queries.definition_rows(sheet.definition)[0]
    with pytest.raises(economy_services.EconomyError, match="Budget 2026 är låst"):
        economy_services.cell_save(
            sheet=sheet,
            row=row,
            column=sheet.definition.columns.get(code="BUDGET"),
            raw="1,0",
            expected_revision=None,
            by=controller,
        )
    control = ControlPlan.objects.get(year=2026)
    risk = control.risks.first()
    with pytest.raises(control_services.StateError, match="fastställd och låst"):
        control_services.risk_delete(risk=risk, by=controller)


def test_the_goal_page_refuses_an_edit_of_an_adopted_tree(client, vp_demo, chief):
    goal = Goal.objects.filter(plan__year=2025, level__code="NAMNDMAL").first()
    client.force_login(chief)
    response = client.post(
        reverse("goals:goal_edit", args=[goal.pk]),
        {"level": goal.level_id, "parent": goal.parent_id, "title": "Ny text", "version": 1},
    )
    assert response.status_code == 400
    assert "Målträdet 2025 är fastställt (2024-10-07, § 64)" in response.content.decode()
    tree = client.get(reverse("goals:tree", args=[2025])).content.decode()
    assert "Fastställd 2024-10-07, § 64" in tree
    assert reverse("goals:goal_create", args=[2025]) not in tree
    assert reverse("goals:plan_revise", args=[2025]) in tree


def test_a_new_revision_keeps_the_adopted_texts_and_opens_the_tree(client, vp_demo, chief):
    plan = PlanYear.objects.get(year=2025)
    client.force_login(chief)
    refused = client.post(reverse("goals:plan_revise", args=[2025]), {"reason": ""})
    assert refused.status_code == 400 and "Ange varför målträdet ändras." in (
        refused.content.decode()
    )
    response = client.post(
        reverse("goals:plan_revise", args=[2025]), {"reason": "Nytt uppdrag från KF"}
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert not plan.is_adopted and plan.revision == 2
    revision = PlanRevision.objects.get(plan=plan)
    assert revision.revision == 1 and revision.adopted_paragraph == "§ 64"
    assert len(revision.snapshot["goals"]) == plan.goals.count()
    goal = plan.goals.filter(level__code="NAMNDMAL").first()
    goal_services.goal_save(
        plan=plan,
        goal=goal,
        data={"level": goal.level, "parent": goal.parent, "title": "Omskrivet mål"},
        by=chief,
    )
    goal_services.plan_adopt(plan=plan, decided_on=DECIDED, paragraph="§ 70", by=chief)
    plan.refresh_from_db()
    assert plan.adoption_text == "Fastställd 2025-10-06, § 70 (revision 2)"
    with pytest.raises(StateError, match="Bara ett fastställt målträd"):
        goal_services.plan_new_revision(plan=PlanYear.objects.get(year=2026), reason="x", by=chief)
