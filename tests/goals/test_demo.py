"""The demo goals: Solna's tree for 2024 and 2025 with the assessments per augusti 2024, as
`load_demo` leaves them, and the published key figures coming out of the reading interface."""

from goals import demo, reporting
from goals.models import Goal, GoalAssessment, Measure, MeasureValue, PlanYear
from metrics import demo as metrics_demo
from solna_sn import demo as solna_demo
from solna_sn.models import AuditEntry, User


def _counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (PlanYear, Goal, Measure, MeasureValue, GoalAssessment, AuditEntry)
    }


def test_demo_trees_assessments_and_key_figures(db):
    committee = solna_demo.load_organisation()
    solna_demo.load_users(committee)
    controller = User.objects.get(username="controller")
    # Goals first, metrics afterwards: the computed mått reads its series when shown.
    summary = demo.load(by=controller)
    assert summary == (
        "nya målträd 2024, 2025 och 2026 (planering, kopia av 2025); 4 nya bedömningar per "
        "augusti 2024; 2025 fastställt 2024-10-07."
    )
    metrics_demo.load(by=controller)

    report = reporting.follow_up(committee=committee, year=2024, period="augusti")
    assert [g.number for g in report.goals] == [1, 2, 3, 4]
    assert {g.step.text for g in report.goals} == {"● Målet uppfylls i år"}
    assert report.not_done == ()
    nm1 = report.goals[0]
    assert nm1.agenda2030 == ("Mål 10 Minskad ojämlikhet",)
    figures = {f.title: (f.text, f.comparison_text) for f in nm1.figures}
    assert figures["Medelbistånd per månad"] == ("10 210 kr", "9 415 kr")
    assert figures["Antal hushåll som får ekonomiskt bistånd under perioden"] == (
        "221 hushåll",
        "185 hushåll",
    )
    medel = next(f for f in nm1.figures if f.computed)
    assert medel.source == (
        "Medelvärde av ”Ekonomiskt bistånd: Snittbidrag per månad, kr” jan–aug 2024 "
        "ur verksamhetsmåtten"
    )
    nm3 = report.goals[2]
    assert (
        "Antal orosanmälningar till socialtjänsten avseende barn och unga",
        "1 503",
        "1 623",
    ) in [(f.title, f.text, f.comparison_text) for f in nm3.figures]
    assert nm3.writer.startswith("Hanna")
    assert report.goals[3].figures == ()  # NM4 had no nyckeltal in 2024
    [uppdrag] = report.assignments
    assert uppdrag.lead_committee == "Kompetensnämnden"
    assert uppdrag.step.text == "► Uppdraget pågår enligt plan"

    plan_2024 = reporting.plan(committee=committee, year=2024)
    assert [len(level.goals) for level in plan_2024.upper_levels] == [1, 4]
    [group] = plan_2024.groups  # all four nämndmål under övergripande mål 2
    assert group.parent.title.startswith("Solna ska växa ihop")
    assert len(plan_2024.ongoing) == 2

    plan_2025 = reporting.plan(committee=committee, year=2025)
    rows = plan_2025.groups[0].goals
    assert [len(goal.measures) for goal in rows] == [4, 2, 2, 2]  # as listed in the VP 2025
    assert [len(goal.activities) for goal in rows] == [4, 5, 4, 4]
    assert rows[0].measures[0].title == (
        "Antal hushåll som får ekonomiskt bistånd under senaste 12 månadersperioden"
    )
    # 2025 is a copy: the same keys, so the goals can be followed from 2024.
    assert {g.key for g in plan_2024.groups[0].goals} == {g.key for g in rows}
    assert not GoalAssessment.objects.filter(goal__plan__year=2025).exists()

    before = _counts()
    assert demo.load(by=controller) == (
        "målträden fanns redan; 0 nya bedömningar per augusti 2024."
    )
    assert _counts() == before
