"""Mål in the browser: a writer enters a key figure and assesses a nämndmål using only the
keyboard, and finds it in the follow-up; axe-core on the tree, goal, assessment, measure,
copy and follow-up pages."""

import pytest
from playwright.sync_api import expect

from goals import services
from goals.models import GoalAssessment, Level, MeasureSource, MeasureValue
from solna_sn.models import Committee
from tests.e2e.conftest import login_as, run_axe, serious

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def goal(unit, handlaggare, granskare):
    committee = Committee.objects.get(code="SN")
    services.setup_defaults(committee)
    levels = {level.code: level for level in Level.objects.filter(committee=committee)}
    plan = services.plan_create(committee=committee, year=2024, by=granskare)

    def add(code, title, parent=None, **extra):
        return services.goal_save(
            plan=plan,
            data={"level": levels[code], "parent": parent, "title": title, **extra},
            by=granskare,
        )

    vision = add("VISION", "Solna ska vara en sammanhållen och levande stad.")
    overarching = add(
        "OVERGRIPANDE",
        "Solna ska växa ihop och utvecklas på ett ekonomiskt, socialt och miljömässigt "
        "hållbart sätt.",
        vision,
    )
    goal = add(
        "NAMNDMAL",
        "Socialnämnden ska säkerställa att barn och ungdomar inte far illa.",
        overarching,
        responsible_unit=unit,
    )
    services.measure_save(
        goal=goal,
        data={
            "title": "Antal orosanmälningar till socialtjänsten avseende barn och unga",
            "source": MeasureSource.MANUAL,
            "decimals": 0,
        },
        by=granskare,
    )
    services.activity_save(
        plan=plan,
        data={"goal": goal, "title": "Arbeta kunskapsbaserat, uppsökande och förebyggande"},
        by=granskare,
    )
    services.assessment_assign(goal=goal, period="augusti", writer=handlaggare, by=granskare)
    return goal


def test_a_writer_assesses_a_goal_by_keyboard(page, goal, handlaggare):
    path = f"/mal/mal/{goal.pk}/bedomning/augusti/"
    login_as(page, handlaggare, path)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Bedömning av nämndmål 1: delårsrapport per augusti 2024"
    )
    assert serious(run_axe(page)) == []

    # A key figure first: typed the Swedish way, saved with htmx, only its row answers.
    title = "Antal orosanmälningar till socialtjänsten avseende barn och unga"
    page.get_by_label(f"Värde: {title}").focus()
    page.keyboard.type("1 503")
    page.keyboard.press("Tab")
    expect(page.get_by_label(f"Samma period föregående år: {title}")).to_be_focused()
    page.keyboard.type("1623")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.get_by_role("status").filter(has_text="Sparat:")).to_contain_text(
        "jan–aug 2024 1 503, jan–aug 2023 1 623"
    )
    assert MeasureValue.objects.get().value == 1503

    # The level: the radio group takes focus, an arrow key moves to the second step.
    page.get_by_label("● Målet uppfylls i år").focus()
    page.keyboard.press("ArrowDown")
    expect(page.get_by_label("◕ Målet uppfylls till stor del i år")).to_be_checked()
    page.keyboard.press("Tab")
    expect(page.get_by_label("Hur måluppfyllelsen mäts")).to_be_focused()
    page.keyboard.type("Måluppfyllelsen mäts dels genom nyckeltal, dels genom aktiviteter.")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Kommentar")).to_be_focused()
    page.keyboard.type("Orosanmälningarna har minskat jämfört med förra året.")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Viktiga aktiviteter")).to_be_focused()
    page.keyboard.type("Fältassistenter sedan mars")
    page.keyboard.press("Enter")
    page.keyboard.type("Nätverksteamet")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Utkast")).to_be_focused()
    page.keyboard.press("ArrowRight")
    expect(page.get_by_label("Klar", exact=True)).to_be_checked()
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Spara bedömningen")).to_be_focused()
    page.keyboard.press("Enter")

    expect(page.locator(".message--success")).to_contain_text("Bedömningen är sparad.")
    expect(page.locator(".status-box")).to_contain_text("Status: Klar")
    assessment = GoalAssessment.objects.get(goal=goal, period="augusti")
    assert (assessment.step.rank, assessment.state) == (2, "klar")
    assert assessment.activity_lines == ["Fältassistenter sedan mars", "Nätverksteamet"]
    assert serious(run_axe(page)) == []

    page.goto("/mal/2024/uppfoljning/augusti/")
    article = page.locator("article").filter(has_text="barn och ungdomar inte far illa")
    expect(article).to_contain_text("◕ Målet uppfylls till stor del i år")
    expect(article.get_by_role("row").filter(has_text=title)).to_contain_text("1 503")
    expect(article).to_contain_text("Nätverksteamet")
    assert serious(run_axe(page)) == []


def test_goal_pages_pass_axe(page, goal, granskare):
    login_as(page, granskare, "/mal/2024/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Målträd 2024")
    assert serious(run_axe(page)) == []
    for path in (
        f"/mal/mal/{goal.pk}/",
        f"/mal/mal/{goal.pk}/nytt-matt/",
        f"/mal/mal/{goal.pk}/andra/",
        "/mal/2024/kopiera/",
        "/mal/2024/maltabell/",
        "/mal/2026/",
    ):
        page.goto(path)
        assert serious(run_axe(page)) == [], path
    # Choosing a computed source updates the preview in place (htmx), focus stays put.
    page.goto(f"/mal/mal/{goal.pk}/nytt-matt/")
    page.get_by_label("Beräknas ur ett verksamhetsmått").focus()
    page.keyboard.press("Space")
    expect(page.locator("#figure-preview")).to_contain_text("Välj verksamhetsmått")
    expect(page.get_by_label("Beräknas ur ett verksamhetsmått")).to_be_focused()
