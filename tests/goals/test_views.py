"""Goal pages through the test client: access per role, the tree, copying a year, stale saves
(409 with both texts), another enhet's assessment, refused deletes, htmx fragments, bad
input, and constant query counts as the tree grows."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from goals import services
from goals.models import AssessmentState, Goal, GoalAssessment, MeasureValue, PlanYear, ScaleStep
from tests.goals.conftest import computed_measure_data, goal_data, measure_data

pytestmark = pytest.mark.django_db


def step(committee, rank, code="NAMNDMAL"):
    return ScaleStep.objects.get(scale__committee=committee, scale__code=code, rank=rank)


def content(response) -> str:
    return response.content.decode()


def assess_url(goal, period="augusti"):
    return reverse("goals:assessment", args=[goal.pk, period])


def assessment_post(committee, version, **changes):
    return {
        "step": step(committee, 2).pk,
        "method": "Måluppfyllelsen mäts dels genom ett antal nyckeltal.",
        "commentary": "Fler familjer får tidigt stöd.",
        "key_activities": "Nätverksteamet\nSkolsociala teamet",
        "state": AssessmentState.DRAFT,
        "version": version,
        **changes,
    }


# --- Access and the tree ----------------------------------------------------------------------


def test_the_tree_shows_levels_goals_agenda_2030_and_measures(client, plan, hanna):
    client.force_login(hanna)
    response = client.get(reverse("goals:tree", args=[2024]))
    assert response.status_code == 200
    html = content(response)
    assert "Målträd 2024" in html
    assert (
        "Vision (beslutas av kommunfullmäktige) → Övergripande mål (beslutas av "
        "kommunfullmäktige) → Nämndmål (beslutas av kommunfullmäktige)" in html
    )
    assert "Socialnämnden ska säkerställa att barn och ungdomar inte far illa." in html
    assert "Mål 3 God hälsa och välbefinnande" in html
    assert "Antal orosanmälningar till socialtjänsten avseende barn och unga" in html
    assert "Kopiera till 2025" not in html  # a handläggare does not edit the tree


@pytest.mark.parametrize("name", ["goals:index", "goals:tree"])
def test_nämndledamöter_and_anonymous_users_do_not_see_goal_pages(client, plan, member, name):
    url = reverse(name, args=[2024] if name == "goals:tree" else [])
    response = client.get(url)
    assert response.status_code == 302 and "/logga-in/" in response["Location"]
    client.force_login(member)
    assert client.get(url).status_code == 403


def test_a_year_without_a_tree_answers_404_with_the_reason(client, plan, greta):
    client.force_login(greta)
    response = client.get(reverse("goals:tree", args=[2026]))
    assert response.status_code == 404
    assert "Det finns inget målträd för 2026." in content(response)
    response = client.get(reverse("goals:follow_up", args=[2026, "augusti"]))
    assert response.status_code == 404
    assert "Målträd 2026 saknas" in content(response)
    response = client.get(reverse("goals:tree", args=[2025]))
    assert "Kopiera målträdet 2024 till 2025" in content(response)


def test_an_unknown_period_is_not_found(client, goal, greta):
    client.force_login(greta)
    assert client.get(assess_url(goal, "juni")).status_code == 404


def test_the_navigation_has_the_goal_pages_for_staff(client, plan, hanna):
    client.force_login(hanna)
    assert 'href="/mal/"' in content(client.get("/"))


# --- Copy to next year ------------------------------------------------------------------------


def test_copy_to_next_year_asks_first_then_copies(client, plan, greta):
    client.force_login(greta)
    url = reverse("goals:copy", args=[2024])
    confirm = client.get(url)
    assert confirm.status_code == 200
    html = content(confirm)
    assert "Kopiera målträdet 2024 till 2025" in html and "Bedömningar och siffror" in html
    assert not PlanYear.objects.filter(year=2025).exists()  # GET changes nothing
    response = client.post(url, {"year": 2025}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("goals:tree", args=[2025])
    assert "är kopierat till 2025" in content(response)
    copy = PlanYear.objects.get(year=2025)
    assert {g.key for g in copy.goals.all()} == {g.key for g in plan.goals.all()}
    # A second (repeated) POST does not copy again.
    again = client.post(url, {"year": 2025})
    assert again.status_code == 400 and "Det finns redan ett målträd för 2025" in content(again)
    assert PlanYear.objects.filter(year=2025).count() == 1


def test_copy_refuses_a_stale_confirm_step_and_other_roles(client, plan, greta, hanna):
    client.force_login(greta)
    response = client.post(reverse("goals:copy", args=[2024]), {"year": 2030})
    assert response.status_code == 400
    assert "Året stämmer inte med sidan" in content(response)
    client.force_login(hanna)
    assert client.post(reverse("goals:copy", args=[2024]), {"year": 2025}).status_code == 403
    assert not PlanYear.objects.filter(year__gt=2024).exists()


# --- Goals ------------------------------------------------------------------------------------


def test_deleting_a_goal_that_is_referred_to_is_refused_with_a_message(client, goal, greta):
    client.force_login(greta)
    response = client.post(reverse("goals:goal_delete", args=[goal.pk]), follow=True)
    html = content(response)
    assert "Målet kan inte tas bort: 1 mått och 1 aktivitet hänvisar till det." in html
    assert Goal.objects.filter(pk=goal.pk).exists()


def test_creating_a_goal_with_bad_input_saves_nothing(client, plan, committee, greta):
    client.force_login(greta)
    before = Goal.objects.count()
    vision = plan.goals.get(level__code="VISION")
    level = goal_data(committee)["level"]
    response = client.post(
        reverse("goals:goal_create", args=[2024]),
        {"level": level.pk, "parent": vision.pk, "title": "  ", "sort_order": "tio"},
    )
    assert response.status_code == 400
    html = content(response)
    assert "Skriv måltexten." in html and "Ange ett heltal." in html
    response = client.post(
        reverse("goals:goal_create", args=[2024]),
        {"level": level.pk, "parent": vision.pk, "title": "Nytt nämndmål"},
    )
    assert response.status_code == 400
    assert "hör till ett mål på nivån närmast ovanför" in content(response)
    assert 'aria-invalid="true"' in content(response)
    assert Goal.objects.count() == before


def test_a_stale_goal_edit_answers_409_with_both_texts(client, goal, committee, greta, chief):
    services.goal_save(
        plan=goal.plan,
        goal=goal,
        data=goal_data(committee, parent=goal.parent, title="Gretas nya måltext"),
        version=1,
        by=greta,
    )
    client.force_login(chief)
    response = client.post(
        reverse("goals:goal_edit", args=[goal.pk]),
        {
            "level": goal.level_id,
            "parent": goal.parent_id,
            "title": "Mikaels måltext",
            "version": 1,
        },
    )
    assert response.status_code == 409
    html = content(response)
    assert "Gretas nya måltext" in html and "Mikaels måltext" in html
    assert "någon annan har sparat en nyare version" in html
    goal.refresh_from_db()
    assert goal.title == "Gretas nya måltext"
    # The form now carries the stored version: saving again replaces it knowingly.
    assert 'name="version" value="2"' in html


# --- Assessments ------------------------------------------------------------------------------


def test_the_assigned_writer_assesses_a_goal(client, goal, committee, hanna, greta):
    services.assessment_assign(goal=goal, period="augusti", writer=hanna, by=greta)
    client.force_login(hanna)
    page = client.get(assess_url(goal))
    assert page.status_code == 200
    html = content(page)
    assert "Bedömning av nämndmål 1: delårsrapport per augusti 2024" in html
    assert "◕ Målet uppfylls till stor del i år" in html
    response = client.post(assess_url(goal), assessment_post(committee, 1, state="klar"))
    assert response.status_code == 302
    assessment = GoalAssessment.objects.get(goal=goal, period="augusti")
    assert (assessment.step.rank, assessment.state, assessment.version) == (2, "klar", 2)
    assert assessment.activity_lines == ["Nätverksteamet", "Skolsociala teamet"]


def test_another_enhets_assessment_can_be_read_but_not_changed(
    client, goal, committee, hanna, otto, greta
):
    services.assessment_assign(goal=goal, period="augusti", writer=hanna, by=greta)
    client.force_login(otto)
    page = client.get(assess_url(goal))
    assert page.status_code == 200
    html = content(page)
    assert "Du kan läsa bedömningen men inte ändra den" in html
    assert "Spara bedömningen" not in html and "disabled" in html
    response = client.post(assess_url(goal), assessment_post(committee, 1))
    assert response.status_code == 403
    assert GoalAssessment.objects.get(goal=goal).version == 1
    # Nor may they assign writers or enter its figures.
    assert (
        client.post(
            reverse("goals:assessment_assign", args=[goal.pk, "augusti"]), {"writer": otto.pk}
        ).status_code
        == 403
    )
    measure = goal.measures.get()
    assert (
        client.post(
            reverse("goals:measure_value", args=[measure.pk, "augusti"]),
            {f"matt-{measure.pk}-value": "1"},
        ).status_code
        == 403
    )


def test_a_stale_assessment_answers_409_with_both_texts(client, goal, committee, hanna, greta):
    services.assessment_assign(goal=goal, period="augusti", writer=hanna, by=greta)
    services.assessment_save(
        goal=goal,
        period="augusti",
        data={"step": step(committee, 1), "commentary": "Gretas kommentar", "state": "utkast"},
        by=greta,
        version=1,
    )
    client.force_login(hanna)
    response = client.post(
        assess_url(goal), assessment_post(committee, 1, commentary="Hannas kommentar")
    )
    assert response.status_code == 409
    html = content(response)
    assert "Gretas kommentar" in html and "Hannas kommentar" in html
    assert "● Målet uppfylls i år" in html and "◕ Målet uppfylls till stor del i år" in html
    assert "Inte sparat: någon annan har sparat en nyare version" in html
    assert GoalAssessment.objects.get(goal=goal).commentary == "Gretas kommentar"
    # Saving again with the version the 409 page carries replaces it.
    assert 'name="version" value="2"' in html
    again = client.post(
        assess_url(goal), assessment_post(committee, 2, commentary="Hannas kommentar")
    )
    assert again.status_code == 302
    assert GoalAssessment.objects.get(goal=goal).commentary == "Hannas kommentar"


def test_a_finished_assessment_without_a_level_is_refused(client, goal, committee, greta):
    client.force_login(greta)
    response = client.post(assess_url(goal), assessment_post(committee, 0, step="", state="klar"))
    assert response.status_code == 400
    assert "En klar bedömning måste ha en nivå." in content(response)
    response = client.post(assess_url(goal), assessment_post(committee, 0, step="999999"))
    assert response.status_code == 400
    assert "Välj en nivå på skalan." in content(response)
    assert not GoalAssessment.objects.exists()


def test_hand_entered_figures_save_with_htmx_and_bad_numbers_are_refused(
    client, goal, hanna, greta
):
    services.assessment_assign(goal=goal, period="augusti", writer=hanna, by=greta)
    measure = goal.measures.get()
    url = reverse("goals:measure_value", args=[measure.pk, "augusti"])
    client.force_login(hanna)
    prefix = f"matt-{measure.pk}"
    bad = client.post(
        url, {f"{prefix}-value": "12,3,0", f"{prefix}-version": 0}, HTTP_HX_REQUEST="true"
    )
    assert bad.status_code == 400
    assert "”12,3,0” har mer än ett decimalkomma." in content(bad)
    assert not MeasureValue.objects.exists()
    response = client.post(
        url,
        {f"{prefix}-value": "1 503", f"{prefix}-comparison_value": "1623", f"{prefix}-version": 0},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    html = content(response)
    assert html.lstrip().startswith(f'<div class="goal-figure-row" id="measure-row-{measure.pk}"')
    assert "<html" not in html
    assert "Sparat: jan–aug 2024 1 503, jan–aug 2023 1 623." in html
    row = MeasureValue.objects.get()
    assert (row.value, row.comparison_value) == (Decimal(1503), Decimal(1623))
    stale = client.post(
        url, {f"{prefix}-value": "1 500", f"{prefix}-version": 0}, HTTP_HX_REQUEST="true"
    )
    assert stale.status_code == 409
    assert "sparat värde: 1 503" in content(stale)


def test_the_measure_form_previews_a_computed_figure_with_its_source(
    client, goal, greta, snittbidrag
):
    client.force_login(greta)
    response = client.get(
        reverse("goals:measure_preview", args=[goal.pk]),
        {"source": "series", "series_code": "EB-SNITTBIDRAG", "aggregation": "mean", "unit": "kr"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    html = content(response)
    assert html.lstrip().startswith('<div id="figure-preview"')
    assert "jan–aug 2024: 10 210 kr" in html
    assert "Medelvärde av ”Ekonomiskt bistånd: Snittbidrag per månad, kr” jan–aug 2024" in html
    assert "inte rapporterat för månaderna september–december 2024" in html


def test_the_goal_page_shows_computed_figures_with_their_source(
    client, goal, chief, hanna, snittbidrag
):
    services.measure_save(goal=goal, data=computed_measure_data(sort_order=20), by=chief)
    client.force_login(hanna)
    html = content(client.get(reverse("goals:goal_detail", args=[goal.pk])))
    assert "10 210 kr" in html and "9 415 kr" in html
    assert (
        "Källa: Medelvärde av ”Ekonomiskt bistånd: Snittbidrag per månad, kr” jan–aug 2024 "
        "ur verksamhetsmåtten." in html
    )


def test_the_follow_up_page_prints_what_the_report_prints(
    client, goal, committee, chief, hanna, snittbidrag
):
    services.measure_save(goal=goal, data=computed_measure_data(sort_order=20), by=chief)
    services.assessment_save(
        goal=goal,
        period="augusti",
        data={"step": step(committee, 1), "state": "klar", "key_activities": "Fältassistenter"},
        by=chief,
        version=0,
    )
    client.force_login(hanna)
    html = content(client.get(reverse("goals:follow_up", args=[2024, "augusti"])))
    assert "Målen bedöms enligt:" in html
    assert "Viktiga aktiviteter som bidrar till måluppfyllelse är:" in html
    assert "10 210 kr" in html and "9 415 kr" in html


def test_the_plan_table_groups_nämndmål_under_övergripande_mål(client, goal, hanna):
    client.force_login(hanna)
    html = content(client.get(reverse("goals:plan_table", args=[2024])))
    assert '<th scope="col">Övergripande mål</th><th scope="col">Nämndmål</th>' in html
    assert "Mål 3 God hälsa och välbefinnande" in html


# --- Query counts -----------------------------------------------------------------------------


def grow(plan, committee, chief, count):
    """Add `count` nämndmål with two mått, two aktiviteter and an assessment each."""
    parent = plan.goals.get(level__code="OVERGRIPANDE")
    for n in range(count):
        goal = services.goal_save(
            plan=plan, data=goal_data(committee, parent=parent, title=f"Mål {n}"), by=chief
        )
        services.measure_save(goal=goal, data=measure_data(title=f"Mått {n}a"), by=chief)
        services.measure_save(goal=goal, data=measure_data(title=f"Mått {n}b"), by=chief)
        for suffix in "ab":
            services.activity_save(
                plan=plan, data={"goal": goal, "title": f"Aktivitet {n}{suffix}"}, by=chief
            )
        services.assessment_save(
            goal=goal,
            period="april",
            data={"step": step(committee, 1), "state": "klar"},
            by=chief,
            version=0,
        )


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries.captured_queries)


@pytest.mark.parametrize("name", ["goals:tree", "goals:plan_table"])
def test_the_goal_tree_page_keeps_its_query_count_as_goals_and_mått_grow(
    client, plan, committee, chief, kompetensnamnden, name
):
    def add_assignment(text):
        services.assignment_save(
            plan=plan,
            data={
                "text": text,
                "lead_committee": kompetensnamnden,
                "participating_committees": [committee],
            },
            by=chief,
        )

    client.force_login(chief)
    url = reverse(name, args=[2024])
    grow(plan, committee, chief, 1)
    add_assignment("Ett uppdrag")
    one = count_queries(client, url)
    grow(plan, committee, chief, 3)
    add_assignment("Ett uppdrag till")
    assert plan.goals.count() == 7 and plan.assignments.count() == 2
    assert count_queries(client, url) == one


def test_the_follow_up_page_keeps_its_query_count_for_hand_entered_mått(
    client, plan, committee, chief
):
    client.force_login(chief)
    url = reverse("goals:follow_up", args=[2024, "april"])
    grow(plan, committee, chief, 1)
    one = count_queries(client, url)
    grow(plan, committee, chief, 3)
    assert count_queries(client, url) == one


def test_the_measure_form_refuses_bad_numbers_and_an_incomplete_computed_source(
    client, goal, greta, snittbidrag
):
    client.force_login(greta)
    url = reverse("goals:measure_create", args=[goal.pk])
    before = goal.measures.count()
    response = client.post(
        url,
        {
            "title": "Medelbistånd",
            "decimals": 0,
            "target": "12,3,0",
            "source": "series",
            "series_code": "",
            "aggregation": "",
        },
    )
    assert response.status_code == 400
    html = content(response)
    assert "”12,3,0” har mer än ett decimalkomma." in html
    response = client.post(
        url,
        {
            "title": "Medelbistånd",
            "decimals": 0,
            "source": "series",
            "series_code": "",
            "aggregation": "",
        },
    )
    assert response.status_code == 400
    html = content(response)
    assert "Välj det verksamhetsmått som siffran räknas fram ur." in html
    assert "Välj hur månadsvärdena räknas samman över perioden." in html
    assert goal.measures.count() == before
    response = client.post(
        url,
        {
            "title": "Medelbistånd per månad",
            "unit": "kr",
            "decimals": 0,
            "target": "10 000",
            "direction": "lower",
            "source": "series",
            "series_code": "EB-SNITTBIDRAG",
            "aggregation": "mean",
        },
    )
    assert response.status_code == 302
    measure = goal.measures.get(source="series")
    assert (measure.target, measure.series_code) == (Decimal(10000), "EB-SNITTBIDRAG")


def test_an_uppdrags_status_is_written_by_leadership_and_read_by_others(
    client, plan, committee, chief, hanna, kompetensnamnden
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
    url = reverse("goals:assignment_assessment", args=[assignment.pk, "augusti"])
    on_track = step(committee, 2, "UPPDRAG")
    client.force_login(hanna)
    assert "Du kan läsa bedömningen men inte ändra den" in content(client.get(url))
    post = {"step": on_track.pk, "commentary": "Pågår.", "state": "klar", "version": 0}
    assert client.post(url, post).status_code == 403
    client.force_login(chief)
    assert client.post(url, post).status_code == 302
    tree = content(client.get(reverse("goals:tree", args=[2024])))
    assert '<span aria-hidden="true">►</span> Uppdraget pågår enligt plan' in tree
    assert "Ansvarig nämnd: Kompetensnämnden. Deltagande: Socialnämnden." in tree
