"""Risks linked to the nämndmål they threaten: same plan year only, locked with a fastställd
plan, added and removed on a page (role, CSRF, confirm), copied to next year by key."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from controls import services as control_services
from controls.models import ControlPlan
from goals.models import Goal
from reports import risk_links
from reports.models import RiskGoalLink
from solna_sn import planning
from solna_sn.errors import StateError


def nämndmål(year: int) -> list[Goal]:
    return list(
        Goal.objects.filter(plan__year=year, level__code="NAMNDMAL").order_by("sort_order", "pk")
    )


def risk(year: int, number: int):
    plan = ControlPlan.objects.filter(year=year).order_by("-revision").first()
    return plan.risks.get(number=number)


def test_a_risk_is_linked_to_a_goal_of_its_year_and_the_vp_reads_it(vp_demo, controller):
    link = risk_links.link_add(risk=risk(2026, 3), goal=nämndmål(2026)[2], by=controller)
    risk_links.link_add(risk=risk(2026, 3), goal=nämndmål(2026)[0], by=controller)
    links = risk_links.links_for_year(2026)
    assert list(links) == [link.risk_id]
    assert [goal.pk for goal in links[link.risk_id]] == [nämndmål(2026)[0].pk, nämndmål(2026)[2].pk]
    assert risk_links.links_for_year(2025) == {}


def test_a_goal_of_another_year_is_refused_and_nothing_is_saved(vp_demo, controller):
    with pytest.raises(ValidationError) as refused:
        risk_links.link_add(risk=risk(2026, 1), goal=nämndmål(2025)[0], by=controller)
    assert refused.value.message_dict["goal"] == [
        "Målet hör till målträdet 2025, men risken till internkontrollplanen 2026. Koppla "
        "risken till ett nämndmål för 2026."
    ]
    assert not RiskGoalLink.objects.exists()


def test_a_goal_that_is_not_a_nämndmål_and_a_second_link_are_refused(vp_demo, controller):
    vision = Goal.objects.get(plan__year=2026, level__code="VISION")
    with pytest.raises(ValidationError, match="Risker kopplas till nämndmål"):
        risk_links.link_add(risk=risk(2026, 1), goal=vision, by=controller)
    risk_links.link_add(risk=risk(2026, 1), goal=nämndmål(2026)[0], by=controller)
    with pytest.raises(ValidationError, match="redan kopplad"):
        risk_links.link_add(risk=risk(2026, 1), goal=nämndmål(2026)[0], by=controller)
    assert RiskGoalLink.objects.count() == 1


def test_links_of_a_fastställd_plan_are_locked(vp_demo, controller, handlaggare):
    with pytest.raises(StateError, match="fastställd och låst"):
        risk_links.link_add(risk=risk(2025, 1), goal=nämndmål(2025)[0], by=controller)
    with pytest.raises(PermissionDenied):
        risk_links.link_add(risk=risk(2026, 1), goal=nämndmål(2026)[0], by=handlaggare)
    assert not RiskGoalLink.objects.exists()


def test_the_page_adds_and_after_confirming_removes_a_link(vp_demo, controller, handlaggare):
    plan = ControlPlan.objects.get(year=2026)
    client = Client(enforce_csrf_checks=True)
    client.force_login(controller)
    page = client.get(reverse("risk_links:plan", args=[plan.pk]))
    assert page.status_code == 200 and "Koppla en risk till ett nämndmål" in page.content.decode()
    token = page.cookies["csrftoken"].value
    url = reverse("risk_links:add", args=[plan.pk])
    body = {"risk": risk(2026, 2).pk, "goal": nämndmål(2026)[1].pk}
    assert client.post(url, body).status_code == 403  # no CSRF token
    response = client.post(url, {**body, "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    link = RiskGoalLink.objects.get()

    bad = client.post(
        url, {"risk": risk(2026, 2).pk, "goal": nämndmål(2025)[1].pk, "csrfmiddlewaretoken": token}
    )
    assert bad.status_code == 400
    assert "Målet hör till målträdet 2025" in bad.content.decode()
    assert RiskGoalLink.objects.count() == 1

    remove = reverse("risk_links:remove", args=[link.pk])
    confirm = client.get(remove)
    assert confirm.status_code == 200 and "Ta bort kopplingen?" in confirm.content.decode()
    assert RiskGoalLink.objects.count() == 1

    reader = Client()
    reader.force_login(handlaggare)
    assert reader.get(reverse("risk_links:plan", args=[plan.pk])).status_code == 200
    assert reader.post(remove).status_code == 403
    assert client.post(remove, {"csrfmiddlewaretoken": token}).status_code == 302
    assert not RiskGoalLink.objects.exists()


def test_starting_next_year_carries_the_links_over_by_key(vp_demo, chief, controller):
    goal = nämndmål(2026)[3]
    risk_links.link_add(risk=risk(2026, 4), goal=goal, by=controller)
    planning.start_next_year(committee=vp_demo, year=2026, by=chief)
    links = risk_links.links_for_year(2027)
    (risk_id, goals) = next(iter(links.items()))
    assert risk(2027, 4).pk == risk_id
    assert [g.key for g in goals] == [goal.key] and goals[0].plan.year == 2027
    assert risk_links.links_for_year(2026)  # 2026 keeps its own


def test_a_new_revision_takes_the_links_of_the_adopted_one_on_request(vp_demo, chief, controller):
    adopted = ControlPlan.objects.get(year=2026)
    risk_links.link_add(risk=adopted.risks.get(number=1), goal=nämndmål(2026)[0], by=controller)
    control_services.plan_adopt(plan=adopted, by=chief)
    revision = control_services.plan_new_revision(plan=adopted, by=chief, reason="Ny risk")
    assert risk_links.links_for_plan(revision) == {}
    assert risk_links.links_copy_revision(plan=revision, by=controller) == 1
    links = risk_links.links_for_plan(revision)
    assert list(links) == [revision.risks.get(number=1).pk]
    # The adopted revision keeps its own link, unchanged.
    assert list(risk_links.links_for_plan(adopted)) == [adopted.risks.get(number=1).pk]
    with pytest.raises(StateError, match="fastställd och låst"):
        risk_links.links_copy_revision(plan=adopted, by=controller)
