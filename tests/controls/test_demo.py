"""The demo internkontroll: the plan for 2024 with its April results and follow-up, and the
plan for 2025 copied from it, as `load_demo` leaves them."""

from collections import Counter
from decimal import Decimal

from controls import demo, rules, services
from controls.models import (
    Action,
    ControlFollowUp,
    ControlMethod,
    ControlPlan,
    Occasion,
    PlanState,
    Result,
    ResultFigure,
    ResultState,
    Risk,
)
from solna_sn import demo as solna_demo
from solna_sn.models import User


def _counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (ControlPlan, Risk, Occasion, Result, ResultFigure, Action, ControlFollowUp)
    }


def _percent(figure: ResultFigure) -> Decimal | None:
    figures = rules.Figures(figure.population, figure.checked, figure.deviations)
    return rules.rounded_percent(rules.deviation_percent(figures))


def test_demo_plans_results_and_follow_up(db):
    committee = solna_demo.load_organisation()
    solna_demo.load_users(committee)
    controller = User.objects.get(username="controller")

    summary = demo.load(by=controller)
    assert summary == "Internkontrollplan 2024 (9 risker, 9 resultat) och 2025 (9 risker)."

    plan_2024 = ControlPlan.objects.get(committee=committee, year=2024)
    assert plan_2024.state == PlanState.ADOPTED
    assert plan_2024.risks.count() == 9
    assert Counter(plan_2024.processes.values_list("name", flat=True)) == Counter(
        ["Myndighetsbeslut", "Placeringar"]
    )
    occasions = Occasion.objects.filter(risk__plan=plan_2024)
    assert occasions.count() == 20  # 8 risks twice a year, one four times
    assert sorted(Counter(occasions.values_list("risk_id", flat=True)).values()) == [2] * 8 + [4]

    results = Result.objects.filter(occasion__risk__plan=plan_2024)
    assert results.count() == 9
    assert set(results.values_list("state", flat=True)) == {ResultState.APPROVED}
    assert set(results.values_list("occasion__month", flat=True)) == {4}
    minor = results.filter(level__label="Lindrig avvikelse")
    assert minor.count() == 2
    assert all(result.actions.exists() for result in minor)

    assessments = ResultFigure.objects.get(result__occasion__risk__plan=plan_2024, population=330)
    assert assessments.deviations == 5
    assert _percent(assessments) == Decimal("1.5")
    barn = ResultFigure.objects.get(result__occasion__risk__plan=plan_2024, group="Barn")
    assert (barn.population, barn.deviations) == (189, 3)
    assert _percent(barn) == Decimal("1.6")
    assert barn.note == "Över 122 dagar: 79"

    rows = services.follow_up_rows(plan_2024, "august")
    assert len(rows) == 9
    assert all(row.result is not None for row in rows)
    assert services.follow_up_for(plan_2024, "august").assessment

    plan_2025 = ControlPlan.objects.get(committee=committee, year=2025)
    assert plan_2025.state == PlanState.ADOPTED
    assert str(plan_2025.adopted_on) == "2024-10-07"
    risks = list(plan_2025.risks.order_by("number"))
    assert [risk.number for risk in risks] == list(range(1, 10))
    assert sorted(risk.risk_index for risk in risks) == [4, 6, 6, 6, 6, 8, 9, 9, 12]
    assert all(risk.likelihood * risk.consequence == risk.risk_index for risk in risks)
    assert risks[1].title == "Förhandsbedömningar görs inte inom lagstadgad tidsfrist."
    assert "orosanmälningar" in risks[2].title
    assert (risks[2].method, risks[2].sample_size) == (ControlMethod.SAMPLE, 5)
    assert risks[6].control_months == [1, 4, 7, 10]
    # The copy keeps each risk's key, so results can be followed from year to year.
    assert {r.key for r in risks} == set(plan_2024.risks.values_list("key", flat=True))
    assert not Result.objects.filter(occasion__risk__plan=plan_2025).exists()

    before = _counts()
    again = demo.load(by=controller)
    assert _counts() == before
    assert "inget nytt skapat" in again
