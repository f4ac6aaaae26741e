"""The demo's planning: 2025 fastställd on 7 October 2024, 2026 started as a copy of 2025 with
nämndmål 1 reworded, through the same services the pages use."""

from controls.models import ControlPlan, PlanState
from economy.models import BudgetValue, BudgetVersion, QualityDeclaration, Sheet, Tariff
from goals.models import Goal, PlanYear
from solna_sn import planning


def test_2025_is_fastställd_and_2026_is_a_copy_with_one_goal_reworded(vp_demo):
    committee = vp_demo
    plan_2025 = PlanYear.objects.get(committee=committee, year=2025)
    assert plan_2025.is_adopted
    assert plan_2025.adoption_text == "Fastställd 2024-10-07, § 64"
    budget_2025 = BudgetVersion.objects.get(committee=committee, year=2025, name="Budget 2025")
    assert budget_2025.is_locked and budget_2025.decision_paragraph == "§ 64"
    assert str(budget_2025.decided_on) == "2024-10-07"
    assert ControlPlan.objects.get(committee=committee, year=2025).state == PlanState.ADOPTED

    plan_2026 = PlanYear.objects.get(committee=committee, year=2026)
    assert not plan_2026.is_adopted and plan_2026.copied_from == plan_2025
    keys_2025 = set(Goal.objects.filter(plan=plan_2025).values_list("key", flat=True))
    assert set(Goal.objects.filter(plan=plan_2026).values_list("key", flat=True)) == keys_2025
    budget_2026 = BudgetVersion.objects.get(committee=committee, year=2026)
    assert budget_2026.name == "Budget 2026" and not budget_2026.is_locked

    def values(version):
        return dict(BudgetValue.objects.filter(budget_version=version).values_list("row", "value"))

    assert values(budget_2026) == values(budget_2025)
    sheets = Sheet.objects.filter(committee=committee, year=2026, period="plan")
    assert sheets.count() == 3
    assert {s.previous_budget_version_id for s in sheets} == {budget_2025.pk}
    assert Tariff.objects.filter(committee=committee, plan_year=2026).count() == 5
    assert QualityDeclaration.objects.filter(committee=committee, plan_year=2026).count() == 10
    control_2026 = ControlPlan.objects.get(committee=committee, year=2026)
    assert control_2026.state == PlanState.DRAFT
    assert set(control_2026.risks.values_list("key", flat=True)) == set(
        ControlPlan.objects.get(committee=committee, year=2025).risks.values_list("key", flat=True)
    )

    groups = {g.part.code: g for g in planning.changes_from_previous(committee, 2026)}
    goal_changes = groups["goals"].changes
    assert [(c.kind, c.label) for c in goal_changes] == [("Omformulerat", "Nämndmål 1")]
    assert "självförsörjande" in goal_changes[0].new
    assert groups["economy"].changes == [] and groups["economy"].warnings == []
    assert groups["controls"].changes == []
