"""Internkontroll services on PostgreSQL: plan copy, adoption and freezing, revisions,
results with figures and åtgärder, approval and locking, follow-up rows, audit."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from controls import services
from controls.models import (
    Action,
    ControlFollowUp,
    Occasion,
    PlanState,
    Result,
    ResultState,
)
from solna_sn.audit import entries_for
from solna_sn.models import AuditEntry
from tests.controls.conftest import level, risk_data


def record(occasion, by, rank=0, **kwargs):
    return services.result_save(
        occasion=occasion, by=by, level=level(occasion.risk.plan.committee, rank), **kwargs
    )


def test_default_scale_has_four_levels_the_fourth_unused(committee):
    levels = services.active_levels(committee)
    assert [(lv.symbol, lv.label) for lv in levels] == [
        ("●", "Ingen eller försumbar avvikelse"),
        ("◆", "Lindrig avvikelse"),
        ("▲", "Kännbar avvikelse"),
    ]
    assert committee.deviation_levels.count() == 4
    assert services.settings_for(committee).scale_max == 5


def test_adopting_freezes_the_plan_and_creates_the_occasions(plan, chief, controller, unit):
    services.risk_save(
        plan=plan,
        data=risk_data(unit, title="Utredningstider", risk_index=9, control_months=[1, 4, 7, 10]),
        by=controller,
    )
    services.plan_adopt(plan=plan, by=chief, decision_reference="SN 2024-10-07 § 64")
    plan.refresh_from_db()
    assert plan.state == PlanState.ADOPTED and plan.adopted_by == chief
    assert sorted(Occasion.objects.filter(risk__plan=plan).values_list("month", flat=True)) == [
        1,
        4,
        4,
        7,
        10,
        10,
    ]
    risk = plan.risks.first()
    with pytest.raises(services.StateError, match="fastställd och låst"):
        services.risk_save(plan=plan, risk=risk, data=risk_data(unit, risk_index=4), by=controller)
    with pytest.raises(services.StateError):
        services.risk_delete(risk=risk, by=controller)
    with pytest.raises(services.StateError):
        services.risk_save(plan=plan, data=risk_data(unit), by=controller)
    risk.refresh_from_db()
    assert risk.risk_index == 12
    assert entries_for(plan).filter(action="control_plan.adopted").get().actor_id == chief.pk


def test_only_leadership_adopts_and_an_empty_plan_cannot_be(committee, controller, chief):
    empty = services.plan_create(committee=committee, year=2026, by=controller)
    with pytest.raises(PermissionDenied):
        services.plan_adopt(plan=empty, by=controller)
    with pytest.raises(services.StateError, match="inga risker"):
        services.plan_adopt(plan=empty, by=chief)


def test_copying_last_years_plan_keeps_risks_not_results(adopted, occasion, handlaggare, chief):
    record(occasion, handlaggare, finding="Alla i tid.")
    copy = services.plan_create(committee=adopted.committee, year=2026, copy_from=adopted, by=chief)
    old, new = adopted.risks.get(), copy.risks.get()
    assert copy.state == PlanState.DRAFT
    assert (new.key, new.title, new.risk_index, new.control_months, new.process.name) == (
        old.key,
        old.title,
        12,
        [4, 10],
        "Myndighetsbeslut",
    )
    assert not Occasion.objects.filter(risk__plan=copy).exists()
    assert entries_for(copy).get().changes["kopierad från"] == [None, "Internkontrollplan 2025"]
    with pytest.raises(ValidationError) as caught:
        services.plan_create(committee=adopted.committee, year=2026, by=chief)
    assert "finns redan en internkontrollplan för 2026" in caught.value.message_dict["year"][0]


def test_a_new_revision_carries_results_over_when_adopted(
    adopted, occasion, handlaggare, controller, chief, unit
):
    result = record(occasion, handlaggare, finding="Inga avvikelser.")
    with pytest.raises(ValidationError):
        services.plan_new_revision(plan=adopted, by=controller, reason=" ")
    revision = services.plan_new_revision(plan=adopted, by=controller, reason="Ny risk i juni")
    assert (revision.revision, revision.previous, revision.state) == (2, adopted, "draft")
    with pytest.raises(services.StateError, match="redan en ny revision"):
        services.plan_new_revision(plan=adopted, by=controller, reason="Igen")
    services.risk_save(
        plan=revision,
        data=risk_data(unit, title="Placering i jourhem", risk_index=9, control_months=[6]),
        by=controller,
    )
    services.plan_adopt(plan=revision, by=chief)
    adopted.refresh_from_db()
    assert adopted.state == PlanState.SUPERSEDED
    result.refresh_from_db()
    assert result.occasion.risk.plan == revision  # the April result follows the risk
    assert Occasion.objects.filter(risk__plan=revision).count() == 3
    with pytest.raises(services.StateError, match="ersatts av en nyare revision"):
        services.risk_save(plan=adopted, data=risk_data(unit), by=controller)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"risk_index": 30}, "risk_index", "mellan 1 och 25"),
        ({"likelihood": 3, "consequence": 3, "risk_index": 12}, "risk_index", "3 × 3 = 9"),
        ({"likelihood": 6, "consequence": 2, "risk_index": None}, "likelihood", "1 till 5"),
        ({"control_months": [4, 13]}, "control_months", "Kontrollmånaden 13 finns inte"),
        ({"control_months": []}, "control_months", "Välj minst en månad"),
        ({"title": "  "}, "title", "Beskriv risken"),
        ({"method": "stickprov", "sample_size": None}, "method", "Välj en metod"),
        ({"method": "sample", "sample_size": None}, "sample_size", "hur många ärenden"),
        ({"category": "okänd"}, "category", "Välj en kategori"),
    ],
)
def test_bad_risks_are_refused_and_nothing_changes(plan, controller, unit, changes, field, message):
    before = list(plan.risks.values_list("pk", "version"))
    with pytest.raises(ValidationError) as caught:
        services.risk_save(plan=plan, data=risk_data(unit, **changes), by=controller)
    assert message in " ".join(caught.value.message_dict[field])
    assert list(plan.risks.values_list("pk", "version")) == before


def test_a_unit_of_another_committee_is_refused(plan, controller):
    from tests.factories import AdministrationFactory, CommitteeFactory, UnitFactory

    other = CommitteeFactory(code="KFN", name="Kultur- och fritidsnämnden", dnr_prefix="KFN")
    foreign = UnitFactory(administration=AdministrationFactory(code="KFF", committee=other))
    with pytest.raises(ValidationError) as caught:
        services.risk_save(plan=plan, data=risk_data(foreign), by=controller)
    assert "hör inte till nämnden" in caught.value.message_dict["responsible_unit"][0]


def test_a_stale_risk_edit_is_refused(plan, controller, unit):
    risk = plan.risks.get()
    services.risk_save(
        plan=plan, risk=risk, version=1, data=risk_data(unit, risk_index=9), by=controller
    )
    with pytest.raises(services.StaleEditError):
        services.risk_save(
            plan=plan, risk=risk, version=1, data=risk_data(unit, risk_index=4), by=controller
        )
    risk.refresh_from_db()
    assert (risk.risk_index, risk.version) == (9, 2)


def test_a_deviation_needs_an_action_or_an_explanation(occasion, handlaggare):
    with pytest.raises(ValidationError) as caught:
        record(occasion, handlaggare, rank=1, finding="5 var över tid.")
    assert "”Lindrig avvikelse” kräver minst en åtgärd" in caught.value.message_dict["actions"][0]
    assert not Result.objects.exists()
    explained = record(
        occasion, handlaggare, rank=1, finding="1 av 200.", explanation="Engångsfel, rättat."
    )
    assert explained.level.label == "Lindrig avvikelse"


def test_a_result_without_level_or_with_impossible_figures_is_refused(occasion, handlaggare):
    with pytest.raises(ValidationError) as caught:
        services.result_save(occasion=occasion, by=handlaggare, level=None, finding="x")
    assert caught.value.message_dict["level"] == ["Välj avvikelsenivå."]
    with pytest.raises(ValidationError) as caught:
        record(
            occasion,
            handlaggare,
            finding="x",
            figures=[{"group": "Barn", "population": 10, "checked": None, "deviations": 11}],
        )
    assert (
        "Siffror rad 1: Antal avvikelser (11) kan inte vara fler"
        in (caught.value.message_dict["figures"][0])
    )
    with pytest.raises(ValidationError) as caught:
        record(
            occasion,
            handlaggare,
            rank=1,
            finding="x",
            actions=[{"description": "Återkoppling", "responsible": ""}],
        )
    assert "Åtgärd 1: ange vem som ansvarar." in caught.value.message_dict["actions"]
    assert not Result.objects.exists()


def test_another_units_control_is_refused(occasion, outsider, member):
    for user in (outsider, member):
        with pytest.raises(PermissionDenied):
            record(occasion, user, finding="x")
    assert not Result.objects.exists()


def test_review_approval_locks_the_result(occasion, handlaggare, granskare, chief):
    result = record(
        occasion,
        handlaggare,
        rank=1,
        finding="5 av 330 var över tid.",
        figures=[{"group": "", "population": 330, "checked": None, "deviations": 5}],
        actions=[{"description": "Återkoppling", "responsible": "Enhetschef", "due": None}],
    )
    with pytest.raises(services.StateError, match="skickat för granskning"):
        services.result_approve(result=result, by=granskare)
    services.result_submit(result=result, by=handlaggare)
    with pytest.raises(PermissionDenied):
        services.result_approve(result=result, by=chief)  # granskare approves results
    with pytest.raises(PermissionDenied):
        services.result_approve(result=result, by=handlaggare)
    with pytest.raises(ValidationError):
        services.result_return(result=result, by=granskare, comment="")
    services.result_return(result=result, by=granskare, comment="Ange åtgärdens datum.")
    result.refresh_from_db()
    assert (result.state, result.return_comment) == (ResultState.DRAFT, "Ange åtgärdens datum.")
    services.result_submit(result=result, by=handlaggare)
    services.result_approve(result=result, by=granskare)
    result.refresh_from_db()
    assert result.state == ResultState.APPROVED and result.approved_by == granskare
    with pytest.raises(services.StateError, match="godkänt och låst"):
        record(occasion, handlaggare, rank=0, finding="Ändrat i efterhand")
    result.refresh_from_db()
    assert result.finding == "5 av 330 var över tid." and result.level.rank == 1
    # Following through on the åtgärd is still possible, and audited.
    action = result.actions.get()
    services.action_mark_done(action=action, by=handlaggare, done_on=datetime.date(2024, 6, 15))
    with pytest.raises(ValidationError):
        services.action_mark_done(
            action=action, by=handlaggare, done_on=datetime.date.today() + datetime.timedelta(1)
        )
    assert Action.objects.get().done_on == datetime.date(2024, 6, 15)
    actions = list(AuditEntry.objects.order_by("pk").values_list("action", flat=True))
    assert actions[-6:] == [
        "control_result.recorded",
        "control_result.submitted",
        "control_result.returned",
        "control_result.submitted",
        "control_result.approved",
        "control_action.done",
    ]


def test_a_stale_result_edit_is_refused(occasion, handlaggare):
    result = record(occasion, handlaggare, finding="Första")
    record(occasion, handlaggare, finding="Andra", version=result.version)
    with pytest.raises(services.StaleEditError):
        record(occasion, handlaggare, finding="Tredje", version=result.version)
    assert Result.objects.get().finding == "Andra"


def test_follow_up_takes_the_latest_result_up_to_the_period(
    adopted, handlaggare, granskare, controller
):
    risk = adopted.risks.get()
    april, october = risk.occasions.get(month=4), risk.occasions.get(month=10)
    first = record(april, handlaggare, rank=1, finding="Våren", explanation="Enstaka fall.")
    record(october, handlaggare, rank=0, finding="Hösten")
    rows = services.follow_up_rows(adopted, "august")
    assert [(r.risk, r.result.finding) for r in rows] == [(risk, "Våren")]
    assert services.follow_up_rows(adopted, "year")[0].result.finding == "Hösten"
    assert services.follow_up_rows(adopted, "august", approved_only=True)[0].result is None
    services.result_submit(result=first, by=handlaggare)
    services.result_approve(result=first, by=granskare)
    assert services.follow_up_rows(adopted, "august", approved_only=True)[0].result == first
    follow_up = services.follow_up_save(
        plan=adopted, period="august", assessment="God intern kontroll.", by=controller
    )
    with pytest.raises(services.StaleEditError):
        services.follow_up_save(
            plan=adopted, period="august", assessment="Annat", version=0, by=controller
        )
    with pytest.raises(ValidationError):
        services.follow_up_save(
            plan=adopted, period="august", assessment=" ", version=1, by=controller
        )
    assert (
        ControlFollowUp.objects.get().assessment == "God intern kontroll." == follow_up.assessment
    )


def test_calendar_statuses(adopted, handlaggare):
    risk = adopted.risks.get()
    record(risk.occasions.get(month=4), handlaggare, finding="ok")
    may = services.calendar(adopted, today=datetime.date(2025, 10, 3))
    assert [(e.occasion.month, e.status) for e in may] == [(4, "draft"), (10, "due")]
    later = services.calendar(adopted, today=datetime.date(2025, 11, 3))
    assert later[1].status == "overdue"
    early = services.calendar(adopted, today=datetime.date(2025, 1, 3))
    assert early[1].status == "upcoming"


def test_the_granskare_who_recorded_a_result_may_not_approve_it(occasion, granskare, client):
    result = record(occasion, granskare, rank=0, finding="Inga avvikelser.")
    services.result_submit(result=result, by=granskare)
    with pytest.raises(services.StateError, match="fyraögonprincipen"):
        services.result_approve(result=result, by=granskare)
    result.refresh_from_db()
    assert result.state == ResultState.REVIEW and result.approved_by is None
    client.force_login(granskare)
    page = client.get(reverse("controls:occasion", args=[occasion.pk])).content.decode()
    assert "Du har själv senast ändrat resultatet" in page
    assert "Godkänn resultatet</button>" not in page
