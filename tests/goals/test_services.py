"""Goal tree writes on PostgreSQL: copying a year with stable keys, optimistic locking,
refusing deletes, who may assess, computed key figures and levels configured as data."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from goals import queries, reporting, services
from goals.models import (
    Activity,
    AssessmentState,
    Assignment,
    Goal,
    GoalAssessment,
    Level,
    Measure,
    PlanYear,
    Scale,
    ScaleStep,
)
from solna_sn.lib.periods import PeriodKind, ReportPeriod
from solna_sn.models import AuditEntry, Committee, Municipality
from tests.goals.conftest import computed_measure_data, goal_data, level, measure_data, sdg

pytestmark = pytest.mark.django_db


def step(committee, rank, code="NAMNDMAL"):
    return ScaleStep.objects.get(scale__committee=committee, scale__code=code, rank=rank)


def assessment_data(committee, **changes):
    return {
        "step": step(committee, 1),
        "method": "Måluppfyllelsen mäts genom skriftliga beskrivningar av genomförda aktiviteter.",
        "commentary": "Arbetet med målet pågår enligt plan.",
        "key_activities": "Fältassistenter sedan mars\nNätverksteamet",
        "state": AssessmentState.DRAFT,
        **changes,
    }


# --- Copy to next year ------------------------------------------------------------------------


def test_copying_a_year_keeps_keys_tree_links_and_texts(
    plan, goal, committee, chief, kompetensnamnden
):
    assignment = services.assignment_save(
        plan=plan,
        data={
            "text": "Utveckla samverkan i Solnamodellen.",
            "lead_committee": kompetensnamnden,
            "participating_committees": [committee],
        },
        by=chief,
    )
    services.activity_save(
        plan=plan,
        data={"goal": None, "title": "Se över möjligheter för utökad digitalisering"},
        by=chief,
    )
    services.assessment_save(
        goal=goal, period="augusti", data=assessment_data(committee), by=chief, version=0
    )

    copy = services.plan_copy(source=plan, by=chief)

    assert copy.year == 2025 and copy.copied_from == plan
    old = {g.key: g for g in plan.goals.all()}
    new = {g.key: g for g in copy.goals.select_related("parent")}
    assert set(old) == set(new) and len(new) == 3
    new_goal = new[goal.key]
    assert new_goal.pk != goal.pk and new_goal.title == goal.title
    assert new_goal.parent.key == goal.parent.key and new_goal.parent.plan == copy
    assert [s.number for s in new_goal.agenda2030.all()] == [3]
    assert [m.key for m in new_goal.measures.all()] == [m.key for m in goal.measures.all()]
    assert {a.key for a in copy.activities.all()} == {a.key for a in plan.activities.all()}
    assert copy.activities.filter(goal=None).count() == 1
    copied = copy.assignments.get()
    assert copied.key == assignment.key and copied.lead_committee == kompetensnamnden
    assert list(copied.participating_committees.all()) == [committee]
    # Figures and assessments belong to their year.
    assert not GoalAssessment.objects.filter(goal__plan=copy).exists()
    assert AuditEntry.objects.filter(action="goal_plan.copied", target_id=str(copy.pk)).exists()


def test_assessments_can_be_followed_across_years_by_key(plan, goal, committee, chief):
    services.assessment_save(
        goal=goal, period="augusti", data=assessment_data(committee), by=chief, version=0
    )
    copy = services.plan_copy(source=plan, by=chief)
    next_goal = copy.goals.get(key=goal.key)
    services.assessment_save(
        goal=next_goal,
        period="augusti",
        data=assessment_data(committee, step=step(committee, 3)),
        by=chief,
        version=0,
    )
    history = GoalAssessment.objects.filter(goal__key=goal.key, period="augusti").order_by(
        "goal__plan__year"
    )
    assert [(a.goal.plan.year, a.step.rank) for a in history] == [(2024, 1), (2025, 3)]


def test_copying_onto_an_existing_year_is_refused(plan, chief):
    services.plan_copy(source=plan, by=chief)
    with pytest.raises(ValidationError) as error:
        services.plan_copy(source=plan, by=chief)
    assert error.value.message_dict == {"year": ["Det finns redan ett målträd för 2025."]}
    assert PlanYear.objects.filter(year=2025).count() == 1


def test_only_leadership_and_administrator_edit_the_tree(plan, hanna, carl, admin_user):
    for user in (hanna, carl):
        with pytest.raises(PermissionDenied):
            services.plan_copy(source=plan, by=user)
    assert services.plan_copy(source=plan, by=admin_user).year == 2025


# --- Delete -----------------------------------------------------------------------------------


def test_deleting_a_goal_that_is_referred_to_is_refused_and_nothing_changes(goal, committee, chief):
    services.assessment_save(
        goal=goal, period="april", data=assessment_data(committee), by=chief, version=0
    )
    with pytest.raises(services.GoalInUse) as error:
        services.goal_delete(goal=goal, by=chief)
    assert str(error.value) == (
        "Målet kan inte tas bort: 1 mått, 1 aktivitet och 1 bedömning hänvisar till det. "
        "Ta bort eller flytta dem först."
    )
    assert Goal.objects.filter(pk=goal.pk).exists()
    assert goal.measures.count() == 1 and goal.activities.count() == 1


def test_deleting_a_goal_with_goals_under_it_is_refused(goal, chief):
    with pytest.raises(services.GoalInUse, match="1 mål under det"):
        services.goal_delete(goal=goal.parent, by=chief)


def test_a_goal_nothing_refers_to_is_deleted_and_audited(plan, committee, chief):
    lone = services.goal_save(
        plan=plan, data=goal_data(committee, title="Ett mål utan innehåll"), by=chief
    )
    services.goal_delete(goal=lone, by=chief)
    assert not Goal.objects.filter(pk=lone.pk).exists()
    entry = AuditEntry.objects.get(action="goal.deleted")
    assert entry.changes == {"måltext": ["Ett mål utan innehåll", None]}


def test_a_measure_with_entered_figures_is_not_deleted(goal, chief):
    measure = goal.measures.get()
    services.measure_value_save(
        measure=measure, period="augusti", value=Decimal(1503), comparison_value=None, by=chief
    )
    with pytest.raises(services.GoalInUse, match="har siffror för 1 period"):
        services.measure_delete(measure=measure, by=chief)


# --- Optimistic locking -----------------------------------------------------------------------


def test_a_stale_goal_save_is_refused(goal, committee, chief, greta):
    data = goal_data(committee, parent=goal.parent)
    services.goal_save(
        plan=goal.plan, goal=goal, data={**data, "title": "Ny text"}, version=1, by=greta
    )
    with pytest.raises(services.StaleEditError) as error:
        services.goal_save(
            plan=goal.plan, goal=goal, data={**data, "title": "Min text"}, version=1, by=chief
        )
    assert error.value.current.title == "Ny text"
    goal.refresh_from_db()
    assert goal.title == "Ny text" and goal.version == 2


def test_a_stale_assessment_save_keeps_the_stored_text(goal, committee, hanna, greta):
    services.assessment_assign(goal=goal, period="augusti", writer=hanna, by=greta)
    services.assessment_save(
        goal=goal,
        period="augusti",
        data=assessment_data(committee, commentary="Hannas text"),
        by=hanna,
        version=1,
    )
    with pytest.raises(services.StaleEditError) as error:
        services.assessment_save(
            goal=goal,
            period="augusti",
            data=assessment_data(committee, commentary="Gretas"),
            by=greta,
            version=1,
        )
    assert error.value.current.commentary == "Hannas text"
    assessment = GoalAssessment.objects.get(goal=goal, period="augusti")
    assert assessment.commentary == "Hannas text" and assessment.version == 2


def test_two_first_saves_of_the_same_assessment_do_not_both_win(goal, committee, greta, chief):
    services.assessment_save(
        goal=goal, period="helar", data=assessment_data(committee), by=greta, version=0
    )
    with pytest.raises(services.StaleEditError):
        services.assessment_save(
            goal=goal, period="helar", data=assessment_data(committee), by=chief, version=0
        )
    assert GoalAssessment.objects.filter(goal=goal, period="helar").count() == 1


# --- Who may assess ---------------------------------------------------------------------------


def test_only_the_assigned_writer_or_leadership_edits_an_assessment(
    goal, committee, hanna, otto, carl, greta, chief
):
    # No one but förvaltningsledning starts an assessment nobody is assigned to.
    with pytest.raises(PermissionDenied):
        services.assessment_save(
            goal=goal, period="augusti", data=assessment_data(committee), by=hanna, version=0
        )
    services.assessment_assign(goal=goal, period="augusti", writer=hanna, by=greta)
    # Another enhet's handläggare, and a colleague who is not the writer, are refused.
    for user in (otto, carl):
        with pytest.raises(PermissionDenied):
            services.assessment_save(
                goal=goal, period="augusti", data=assessment_data(committee), by=user, version=1
            )
    with pytest.raises(PermissionDenied):
        services.assessment_assign(goal=goal, period="augusti", writer=otto, by=hanna)
    saved = services.assessment_save(
        goal=goal, period="augusti", data=assessment_data(committee), by=hanna, version=1
    )
    saved = services.assessment_save(
        goal=goal,
        period="augusti",
        data=assessment_data(committee, state="klar"),
        by=chief,
        version=saved.version,
    )
    assert saved.state == "klar" and saved.version == 3
    assert AuditEntry.objects.filter(action="goal_assessment.saved").count() == 2


def test_a_finished_assessment_needs_a_level_from_the_goals_scale(goal, committee, greta):
    with pytest.raises(ValidationError) as error:
        services.assessment_save(
            goal=goal,
            period="augusti",
            data=assessment_data(committee, step=None, state="klar"),
            by=greta,
            version=0,
        )
    assert error.value.message_dict == {"step": ["En klar bedömning måste ha en nivå."]}
    wrong = step(committee, 1, code="UPPDRAG")
    with pytest.raises(ValidationError, match="Välj en nivå på skalan"):
        services.assessment_save(
            goal=goal,
            period="augusti",
            data=assessment_data(committee, step=wrong),
            by=greta,
            version=0,
        )
    assert not GoalAssessment.objects.exists()


def test_a_level_without_assessments_is_not_assessed(goal, greta, committee):
    with pytest.raises(services.StateError, match="Övergripande mål bedöms inte"):
        services.assessment_save(
            goal=goal.parent, period="augusti", data=assessment_data(committee), by=greta, version=0
        )


# --- Tree rules -------------------------------------------------------------------------------


def test_a_goal_hangs_under_the_level_just_above(plan, goal, committee, chief):
    vision = goal.parent.parent
    with pytest.raises(ValidationError) as error:
        services.goal_save(plan=plan, data=goal_data(committee, parent=vision), by=chief)
    assert error.value.message_dict["parent"] == [
        "Ett nämndmål hör till ett mål på nivån närmast ovanför, inte till ett vision."
    ]
    with pytest.raises(ValidationError, match="kopplas inte till Agenda 2030"):
        services.goal_save(
            plan=plan,
            data=goal_data(committee, level=level(committee, "VISION"), agenda2030=[sdg(1)]),
            by=chief,
        )


def test_measures_and_activities_only_on_levels_that_take_them(goal, chief):
    with pytest.raises(ValidationError, match="Övergripande mål har inga mått"):
        services.measure_save(goal=goal.parent, data=measure_data(), by=chief)
    with pytest.raises(ValidationError, match="Övergripande mål har inga aktiviteter"):
        services.activity_save(plan=goal.plan, data={"goal": goal.parent, "title": "X"}, by=chief)


def test_an_activity_cannot_end_before_it_starts(plan, goal, chief):
    with pytest.raises(ValidationError) as error:
        services.activity_save(
            plan=plan,
            data={
                "goal": goal,
                "title": "X",
                "starts_on": datetime.date(2025, 3, 1),
                "ends_on": datetime.date(2025, 2, 1),
            },
            by=chief,
        )
    assert error.value.message_dict == {"ends_on": ["Slutdatum kan inte ligga före startdatum."]}


# --- Computed key figures ---------------------------------------------------------------------


def test_medelbistand_is_computed_from_the_metrics_through_the_registry(
    plan, goal, chief, snittbidrag
):
    measure = services.measure_save(goal=goal, data=computed_measure_data(), by=chief)
    figure = queries.key_figure(measure, ReportPeriod(2024, PeriodKind.AUGUST))
    assert figure.value == Decimal("10210.375") and figure.text == "10 210 kr"
    assert figure.comparison_value == Decimal("9414.75") and figure.comparison_text == "9 415 kr"
    assert figure.computed and figure.problem == ""
    assert figure.source == (
        "Medelvärde av ”Ekonomiskt bistånd: Snittbidrag per månad, kr” jan–aug 2024 "
        "ur verksamhetsmåtten"
    )
    assert figure.period_label == "jan–aug 2024" and figure.comparison_label == "jan–aug 2023"


def test_a_series_that_does_not_cover_the_period_gives_a_message_and_no_number(
    plan, goal, chief, snittbidrag
):
    measure = services.measure_save(goal=goal, data=computed_measure_data(), by=chief)
    figure = queries.key_figure(measure, ReportPeriod(2024, PeriodKind.FULL_YEAR))
    assert figure.value is None and figure.text == ""
    assert figure.problem == (
        "Ingen siffra för jan–dec 2024: ”Ekonomiskt bistånd: Snittbidrag per månad, kr” är "
        "inte rapporterat för månaderna september–december 2024."
    )
    assert figure.comparison_text == "9 842 kr"  # 2023 is complete: 118 106 / 12
    # A year the series has no values for at all.
    early = queries.key_figure(measure, ReportPeriod(2021, PeriodKind.APRIL))
    assert early.value is None and "januari–april 2021" in early.problem


def test_not_applicable_and_cleared_months(plan, goal, chief, snittbidrag):
    from metrics.models import MetricValue

    MetricValue.objects.filter(metric=snittbidrag, month="2024-06-01").update(
        value=None, not_applicable=True
    )
    MetricValue.objects.filter(metric=snittbidrag, month="2024-02-01").update(value=None)
    measure = services.measure_save(goal=goal, data=computed_measure_data(), by=chief)
    figure = queries.key_figure(measure, ReportPeriod(2024, PeriodKind.AUGUST))
    assert figure.value is None
    assert "inte rapporterat för månaden februari 2024" in figure.problem
    MetricValue.objects.filter(metric=snittbidrag, month="2024-02-01").update(value=10314)
    figure = queries.key_figure(measure, ReportPeriod(2024, PeriodKind.AUGUST))
    # Juni ej tillämpligt: the mean of the seven other months.
    assert figure.value == (Decimal(81683) - 8756) / 7
    assert figure.source.endswith("(jun ej tillämpligt)")


def test_a_measure_on_an_unknown_series_is_refused(goal, chief, snittbidrag):
    with pytest.raises(ValidationError) as error:
        services.measure_save(
            goal=goal, data=computed_measure_data(series_code="FINNS-EJ"), by=chief
        )
    assert error.value.message_dict == {
        "series_code": ["Det finns inget verksamhetsmått med koden FINNS-EJ."]
    }


def test_a_measure_whose_series_disappeared_shows_why(goal, chief, snittbidrag):
    measure = services.measure_save(goal=goal, data=computed_measure_data(), by=chief)
    Measure.objects.filter(pk=measure.pk).update(series_code="BORTTAGEN")
    measure.refresh_from_db()
    figure = queries.key_figure(measure, ReportPeriod(2024, PeriodKind.AUGUST))
    assert figure.value is None
    assert figure.problem == (
        "Ingen siffra för jan–aug 2024: Det finns inget verksamhetsmått med koden BORTTAGEN."
    )


def test_hand_entered_figures_compare_with_last_years_measure_of_the_same_key(plan, goal, chief):
    measure = goal.measures.get()
    services.measure_value_save(
        measure=measure,
        period="augusti",
        value=Decimal(1503),
        comparison_value=Decimal(1623),
        by=chief,
    )
    copy = services.plan_copy(source=plan, by=chief)
    next_measure = Measure.objects.get(goal__plan=copy, key=measure.key)
    services.measure_value_save(
        measure=next_measure,
        period="augusti",
        value=Decimal(1400),
        comparison_value=None,
        by=chief,
    )
    figures = queries.key_figures(copy, ReportPeriod(2025, PeriodKind.AUGUST), [next_measure])
    figure = figures[next_measure.pk]
    assert (figure.text, figure.comparison_text) == ("1 400", "1 503")
    assert figure.source == "Angivet för hand"


def test_a_stale_measure_value_is_refused(goal, chief, greta):
    measure = goal.measures.get()
    services.measure_value_save(
        measure=measure,
        period="april",
        value=Decimal(1),
        comparison_value=None,
        by=chief,
        version=0,
    )
    with pytest.raises(services.StaleEditError):
        services.measure_value_save(
            measure=measure,
            period="april",
            value=Decimal(2),
            comparison_value=None,
            by=greta,
            version=0,
        )


# --- Reading interface ------------------------------------------------------------------------


def test_a_period_whose_plan_year_does_not_exist(plan, committee):
    with pytest.raises(reporting.PlanYearMissing) as error:
        reporting.follow_up(committee=committee, year=2026, period="augusti")
    assert str(error.value) == (
        "Det finns inget målträd för 2026. Skapa det genom att kopiera föregående år."
    )
    with pytest.raises(reporting.PlanYearMissing):
        reporting.plan(committee=committee, year=2026)


def test_follow_up_gives_assessed_goals_with_figures_and_uppdrag(
    plan, goal, committee, chief, kompetensnamnden, snittbidrag
):
    services.measure_save(goal=goal, data=computed_measure_data(sort_order=20), by=chief)
    services.measure_value_save(
        measure=goal.measures.get(source="manual"),
        period="augusti",
        value=Decimal(1503),
        comparison_value=Decimal(1623),
        by=chief,
    )
    services.assessment_save(
        goal=goal,
        period="augusti",
        data=assessment_data(committee, state="klar"),
        by=chief,
        version=0,
    )
    assignment = services.assignment_save(
        plan=plan,
        data={
            "text": "Utveckla samverkan i Solnamodellen.",
            "lead_committee": kompetensnamnden,
            "participating_committees": [committee],
        },
        by=chief,
    )
    services.assignment_assessment_save(
        assignment=assignment,
        period="augusti",
        data={"step": step(committee, 2, "UPPDRAG"), "commentary": "Pågår.", "state": "klar"},
        by=chief,
        version=0,
    )
    report = reporting.follow_up(committee=committee, year=2024, period="augusti")
    assert report.period_label == "Delårsrapport per augusti 2024"
    assert report.months_label == "jan–aug 2024"
    assert report.goal_scale.introduction == "Målen bedöms enligt:"
    assert [s.text for s in report.goal_scale.steps] == [
        "● Målet uppfylls i år",
        "◕ Målet uppfylls till stor del i år",
        "◑ Målet uppfylls delvis i år",
        "○ Målet uppfylls inte i år",
    ]
    [assessed] = report.goals
    assert assessed.title == goal.title and assessed.level == "Nämndmål" and assessed.number == 1
    assert assessed.agenda2030 == ("Mål 3 God hälsa och välbefinnande",)
    assert assessed.step.text == "● Målet uppfylls i år"
    assert assessed.key_activities == ("Fältassistenter sedan mars", "Nätverksteamet")
    assert [(f.title[:14], f.text, f.comparison_text) for f in assessed.figures] == [
        ("Antal orosanmä", "1 503", "1 623"),
        ("Medelbistånd p", "10 210 kr", "9 415 kr"),
    ]
    assert report.not_done == ()
    [uppdrag] = report.assignments
    assert uppdrag.lead_committee == "Kompetensnämnden"
    assert uppdrag.participating == ("Socialnämnden",)
    assert uppdrag.step.text == "► Uppdraget pågår enligt plan"


def test_plan_table_groups_goals_under_their_parent(plan, goal, committee):
    table = reporting.plan(committee=committee, year=2024)
    assert table.table_headings == ("Övergripande mål", "Nämndmål")
    assert [lvl.name for lvl in table.upper_levels] == ["Vision", "Övergripande mål"]
    [group] = table.groups
    assert group.parent.title.startswith("Solna ska växa ihop")
    [row] = group.goals
    assert row.agenda2030 == ("Mål 3 God hälsa och välbefinnande",)
    assert [m.title for m in row.measures] == [
        "Antal orosanmälningar till socialtjänsten avseende barn och unga"
    ]
    assert row.activities[0].title.startswith("Med stöd av Signs of safety")
    assert table.ongoing_heading == "Löpande verksamhet enligt reglemente"


# --- Levels are data --------------------------------------------------------------------------


def test_another_kommun_configures_other_levels_with_indicators_on_any_level(chief):
    """A 2020-style tree elsewhere: KF:s inriktningsmål → KF:s mål för verksamhetsområdet →
    nämndmål, with indicators and target values on the middle level, activities with start,
    end and status, and assessments on two levels."""
    other = Municipality.objects.create(code="ANNAN", name="Annan kommun")
    committee = Committee.objects.create(
        municipality=other, code="ASN", name="Socialnämnden i Annan kommun", dnr_prefix="ASN"
    )
    scale = Scale.objects.create(committee=committee, code="TRE", name="Tre nivåer")
    for rank, label, symbol in [(1, "Uppnått", "▲"), (2, "Delvis", "■"), (3, "Ej uppnått", "▼")]:
        ScaleStep.objects.create(scale=scale, rank=rank, label=label, symbol=symbol)
    specs = [
        ("INRIKTNING", 1, "KF:s inriktningsmål", False, False, False),
        ("VERKSAMHET", 2, "KF:s mål för verksamhetsområdet", True, False, True),
        ("NAMND", 3, "Nämndmål", True, True, True),
    ]
    levels = {
        code: Level.objects.create(
            committee=committee,
            code=code,
            order=order,
            name=name,
            takes_measures=m,
            takes_activities=a,
            takes_assessments=assessed,
            scale=scale if assessed else None,
        )
        for code, order, name, m, a, assessed in specs
    }
    plan = services.plan_create(committee=committee, year=2020, by=chief)

    def add(code, title, parent=None):
        return services.goal_save(
            plan=plan,
            data={"level": levels[code], "parent": parent, "title": title, "agenda2030": []},
            by=chief,
        )

    top = add("INRIKTNING", "En trygg kommun")
    middle = add("VERKSAMHET", "Fler blir självförsörjande", top)
    bottom = add("NAMND", "Minska långvarigt biståndsmottagande", middle)
    indicator = services.measure_save(
        goal=middle,
        data=measure_data(
            title="Andel hushåll med långvarigt bistånd",
            unit="%",
            decimals=1,
            target=Decimal("4.5"),
            direction="lower",
        ),
        by=chief,
    )
    services.activity_save(
        plan=plan,
        data={
            "goal": bottom,
            "title": "Erbjuda tidiga insatser",
            "status": "pagar",
            "starts_on": datetime.date(2020, 1, 1),
            "ends_on": datetime.date(2020, 12, 31),
        },
        by=chief,
    )
    services.assessment_save(
        goal=middle,
        period="helar",
        data={"step": ScaleStep.objects.get(scale=scale, rank=2), "state": "klar"},
        by=chief,
        version=0,
    )
    # Solna's levels and names are not involved at all.
    assert not Level.objects.filter(committee=committee, name="Vision").exists()

    report = reporting.follow_up(committee=committee, year=2020, period="helar")
    assert [(g.level, g.step.text if g.step else None) for g in report.goals] == [
        ("KF:s mål för verksamhetsområdet", "■ Delvis"),
        ("Nämndmål", None),
    ]
    assert report.not_done == ("Nämndmål 1",)
    table = reporting.plan(committee=committee, year=2020)
    assert table.table_headings == ("KF:s inriktningsmål", "KF:s mål för verksamhetsområdet")
    [group] = table.groups
    assert group.goals[0].measures[0].target_text == "4,5 %"
    assert group.goals[0].measures[0].direction == "Lägre är bättre"
    assert indicator.key != bottom.key
    assert Activity.objects.get(goal=bottom).get_status_display() == "Pågår"
    assert Assignment.objects.count() == 0
