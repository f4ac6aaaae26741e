"""The generated sections on the demo data (delårsrapport per augusti 2024): each generator
prints the figures of its source as the sources print them, with th scope and captions, and
warns where the consistency check needs it. Pure tests for the reporting helpers, and a query
count that stays the same as the data grow.

The demo is loaded once for the module (a few seconds) and rolled back after it; every test
runs in its own transaction on top of it, so tests may change data."""

from __future__ import annotations

import datetime
import io
import re
import uuid
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

import reports.generators.all  # noqa: F401  (fills the registry)
from casework.models import Decision
from controls.models import Occasion, Result, ResultState, Risk
from goals.models import Activity, Goal
from metrics import reporting as metrics_reporting
from metrics.models import Metric, MetricValue, MonthState, MonthStatus
from reports.generators import economy as economy_generators
from reports.generators import goals as goal_generators
from reports.generators.base import REGISTRY, ReportPeriod, generate
from solna_sn.models import Committee

pytestmark = pytest.mark.django_db

KEYS = {
    "goals.follow_up",
    "goals.assignments",
    "goals.plan",
    "economy.resultatrakning",
    "economy.verksamheter",
    "economy.investeringar",
    "economy.personal",
    "contracts.konkurrensutsattning",
    "controls.follow_up",
    "metrics.verksamhetsmatt",
    "casework.aterrapportering",
}


@pytest.fixture(scope="module")
def committee_id(django_db_setup, django_db_blocker):
    """The demo, loaded once for the module and rolled back after it."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            call_command("load_demo", stdout=io.StringIO())
            yield Committee.objects.get(code="SN").pk
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def august(committee_id, **kwargs) -> ReportPeriod:
    return ReportPeriod(committee_id, 2024, "augusti", "delarsrapport", **kwargs)


def figures_of(generated) -> dict[str, str]:
    return {figure.key: figure.text for figure in generated.figures}


def assert_accessible_tables(html: str) -> None:
    """Every table has a caption (or aria-label), its header row in thead and scoped th."""
    tables = re.findall(r"<table\b.*?</table>", html, flags=re.S)
    for table in tables:
        assert "<caption>" in table or "aria-label=" in table
        assert "<thead>" in table
        assert re.search(r"<th\b[^>]*\bscope=\"col\"", table)
        assert not re.search(r"<th\b(?![^>]*\bscope=)[^>]*>", table), "th without scope"


# --- Pure ----------------------------------------------------------------------------------------


def test_the_registry_has_every_agreed_key():
    assert set(REGISTRY) >= KEYS


def test_an_aggregate_is_the_unweighted_mean_or_the_sum_and_none_with_a_gap():
    assert metrics_reporting.aggregate([Decimal(9077), Decimal(8708)], "mean") == Decimal("8892.5")
    assert metrics_reporting.aggregate([Decimal(2), Decimal(3)], "sum") == Decimal(5)
    assert metrics_reporting.aggregate([Decimal(2), None], "mean") is None
    assert metrics_reporting.aggregate([], "sum") is None


def test_month_span_prints_swedish_abbreviations():
    assert metrics_reporting.month_span(8) == "jan–aug"
    assert metrics_reporting.month_span(1) == "jan"


def test_the_follow_up_tables_are_the_delarsrapport_s_for_april_and_august_and_ar_for_the_year():
    period = august(1)
    assert economy_generators.table_code("resultatrakning", period) == "DELAR_RESULTATRAKNING"
    year = ReportPeriod(1, 2024, "helar", "arsredovisning")
    assert economy_generators.table_code("verksamheter", year) == "AR_VERKSAMHETER"


def test_goal_groups_keep_the_order_of_the_goals():
    class Goal:
        def __init__(self, parent, title):
            self.parent_title, self.title = parent, title

    goals = [Goal("A", "1"), Goal("A", "2"), Goal("B", "3")]
    assert [(p, [g.title for g in gs]) for p, gs in goal_generators.goal_groups(goals)] == [
        ("A", ["1", "2"]),
        ("B", ["3"]),
    ]


def test_an_unknown_key_is_a_visible_message():
    generated = generate("nope.nothing", august(1))
    assert "okänd generator" in generated.html
    assert generated.warnings


# --- Economy -------------------------------------------------------------------------------------


def test_resultatrakning_prints_the_delarsrapport_table_with_its_figures(committee_id):
    generated = generate("economy.resultatrakning", august(committee_id))
    html = generated.html
    for header in ("2024", "2023", "% 24/23", "Budgetavvikelse", "Årsbudget", "Årsprognos"):
        assert f'<th scope="col" class="num">{header}</th>' in html
    assert "Prognosavvikelse" in html
    assert '<th scope="row">Verksamhetens nettokostnader</th>' in html
    assert "-138,2" in html
    figures = figures_of(generated)
    assert figures["economy.resultatrakning.NETTO.UTFALL"] == "-138,2"
    assert figures["economy.resultatrakning.NETTO.PROCENT"] == "7,1 %"
    assert figures["economy.resultatrakning.SUMMA_INTAKTER.PROCENT"] == "-29,7 %"
    assert figures["economy.resultatrakning.NETTO.PROGNOSAVVIKELSE"] == "16,3"
    # Lokalkostnader: budgetavvikelse 0,4 printed against 0,53 computed (a soft warning).
    assert any("Lokalkostnader" in warning for warning in generated.warnings)
    assert_accessible_tables(html)


def test_verksamheter_prints_each_row_s_commentary(committee_id):
    generated = generate("economy.verksamheter", august(committee_id))
    assert "Barn och ungdomsverksamheterna visar 0,4 mkr högre kostnad" in generated.html
    assert figures_of(generated)["economy.verksamheter.EA.PROGNOS"] == "-43,3"
    assert figures_of(generated)["economy.verksamheter.NETTO.PROCENT"] == "7,1"
    assert_accessible_tables(generated.html)


def test_investeringar_prints_the_investment_table(committee_id):
    generated = generate("economy.investeringar", august(committee_id))
    assert "Differens 24/23" in generated.html
    assert "Återstår av årsbudget" in generated.html
    assert_accessible_tables(generated.html)


def test_personal_prints_the_personnel_table_with_footnotes(committee_id):
    generated = generate("economy.personal", august(committee_id))
    html = generated.html
    assert '<th scope="row">- varav kvinnor</th>' in html
    assert "219,4" in html
    assert "Sjukfrånvaron avser perioden 1 december 2023 till 31 juli 2024." in html
    assert figures_of(generated)["economy.personal.ANSTALLDA.forandring"] == "-6"
    assert_accessible_tables(html)


def test_the_verksamhetsplan_budget_prints_the_vp_tables(committee_id):
    period = ReportPeriod(committee_id, 2025, "helar", "verksamhetsplan", plan=True)
    generated = generate("economy.budget", period)
    assert '<th scope="col" class="num">Budget 2025</th>' in generated.html
    figures = figures_of(generated)
    assert figures["economy.budget.VP_DRIFTBUDGET_NAMND.NETTO.FORANDRING"] == "4,4"
    assert_accessible_tables(generated.html)


def test_a_period_without_figures_says_so_and_warns(committee_id):
    generated = generate(
        "economy.resultatrakning", ReportPeriod(committee_id, 2023, "april", "budgetuppfoljning")
    )
    assert "har inga siffror för per april 2023" in generated.html
    assert generated.warnings and not generated.figures


# --- Goals ---------------------------------------------------------------------------------------


def test_goal_follow_up_prints_assessment_method_key_figures_and_activities(committee_id):
    generated = generate("goals.follow_up", august(committee_id))
    html = generated.html
    assert "Målet uppfylls i år" in html
    assert "Måluppfyllelsen mäts dels genom ett antal nyckeltal" in html
    assert "Viktiga aktiviteter som bidrar till måluppfyllelse är:" in html
    texts = set(figures_of(generated).values())
    assert "Målet uppfylls i år" in texts
    assert any(text.startswith("10 210") for text in texts)  # medelbiståndet jan–aug 2024
    assert any(text.startswith("221") for text in texts)
    assert_accessible_tables(html)


def test_goal_follow_up_query_count_does_not_grow_with_goals_and_activities(committee_id):
    period = august(committee_id)
    with CaptureQueriesContext(connection) as before:
        generate("goals.follow_up", period)
    template = Goal.objects.filter(plan__year=2024, assessments__isnull=False).first()
    for n in range(3):
        goal = Goal.objects.create(
            plan=template.plan,
            level=template.level,
            parent=template.parent,
            title=f"Extra nämndmål {n}",
            sort_order=100 + n,
        )
        goal.agenda2030.set(template.agenda2030.all())
        for m in range(2):
            Activity.objects.create(plan=template.plan, goal=goal, title=f"Extra aktivitet {n}.{m}")
    with CaptureQueriesContext(connection) as after:
        generated = generate("goals.follow_up", period)
    assert "Extra nämndmål 2" in generated.html
    assert len(after) == len(before)


def test_assignments_print_the_uppdrag_with_status(committee_id):
    generated = generate("goals.assignments", august(committee_id))
    assert "Kompetensnämnden får i uppdrag" in generated.html
    assert "Uppdraget pågår enligt plan" in generated.html


def test_the_plan_prints_the_goal_table_for_the_verksamhetsplan(committee_id):
    period = ReportPeriod(committee_id, 2025, "helar", "verksamhetsplan", plan=True)
    generated = generate("goals.plan", period)
    assert "Socialnämnden ska säkerställa att barn och ungdomar inte far illa." in generated.html
    assert '<th scope="col">Aktiviteter</th>' in generated.html
    assert_accessible_tables(generated.html)


def test_a_year_without_a_goal_tree_is_a_message_not_a_crash(committee_id):
    generated = generate("goals.follow_up", ReportPeriod(committee_id, 2031, "april", "x"))
    assert "inget målträd för 2031" in generated.html
    assert generated.warnings


# --- Contracts, controls, casework ------------------------------------------------------------


def test_konkurrensutsattning_prints_procurements_and_the_followup_paragraph(committee_id):
    generated = generate("contracts.konkurrensutsattning", august(committee_id))
    html = generated.html
    assert '<th scope="col">Verksamhetsområde / Avtal</th>' in html
    assert "familjerådgivning" in html
    assert "Under resten av året planeras" in html
    assert_accessible_tables(html)


def test_internal_control_prints_the_follow_up_with_symbols_labels_and_assessment(committee_id):
    generated = generate("controls.follow_up", august(committee_id))
    html = generated.html
    assert "● Ingen eller försumbar avvikelse" in re.sub(r"<[^>]+>", "", html)
    assert "Lindrig avvikelse" in html
    assert "Samlad bedömning" in html
    assert '<th scope="col">Resultat av kontrollmoment</th>' in html
    assert "Barn och ungdomar placeras i jourhem som inte är godkända av en socialnämnd." in html
    assert_accessible_tables(html)


def test_a_result_not_yet_approved_is_left_out_and_warned_about(committee_id):
    result = (
        Result.objects.filter(
            occasion__risk__plan__year=2024, state=ResultState.APPROVED, level__rank=1
        )
        .select_related("occasion__risk")
        .first()
    )
    Result.objects.filter(pk=result.pk).update(state=ResultState.REVIEW)
    generated = generate("controls.follow_up", august(committee_id))
    risk = result.occasion.risk
    assert any(f"Risk {risk.number}: resultatet är inte godkänt" in w for w in generated.warnings)
    assert f"controls.2024.augusti.{risk.key}" not in figures_of(generated)


def test_internal_control_query_count_does_not_grow_with_risks(committee_id):
    period = august(committee_id)
    with CaptureQueriesContext(connection) as before:
        generate("controls.follow_up", period)
    template = Risk.objects.filter(plan__year=2024).select_related("plan").first()
    result = Result.objects.filter(occasion__risk=template).first()
    for n in range(3):
        risk = Risk.objects.create(
            plan=template.plan,
            process=template.process,
            key=uuid.uuid4(),
            number=100 + n,
            title=f"Extra risk {n}",
            risk_index=4,
            control_activity="Kontroll.",
            how_when="I april.",
        )
        occasion = Occasion.objects.create(risk=risk, month=4)
        Result.objects.create(
            occasion=occasion,
            level=result.level,
            state=ResultState.APPROVED,
            recorded_by=result.recorded_by,
        )
    with CaptureQueriesContext(connection) as after:
        generated = generate("controls.follow_up", period)
    assert "Extra risk 2" in generated.html
    assert len(after) == len(before)


def test_aterrapportering_without_pending_decisions_says_there_are_none(committee_id):
    generated = generate("casework.aterrapportering", august(committee_id))
    assert generated.html == "<p>Inga beslut finns att återrapportera.</p>"


def test_aterrapportering_as_of_a_date_lists_the_decisions_pending_then(committee_id):
    decision = Decision.objects.filter(reported_back_on__isnull=False).first()
    day = decision.reported_back_on - datetime.timedelta(days=1)
    generated = generate("casework.aterrapportering", august(committee_id, as_of=day))
    assert f"§ {decision.paragraph}" in generated.html
    assert_accessible_tables(generated.html)


# --- Metrics -------------------------------------------------------------------------------------


def test_verksamhetsmatt_prints_three_years_as_stored(committee_id):
    generated = generate("metrics.verksamhetsmatt", august(committee_id))
    html = generated.html
    assert "Ekonomiskt bistånd" in html
    assert '<td class="num">10 629</td>' in html
    assert '<th scope="row">2022</th>' in html
    figures = figures_of(generated)
    assert figures["metrics.EB-SNITTBIDRAG.2024-01"] == "10 629"
    assert figures["metrics.EB-SNITTBIDRAG.2024.jan-aug"] == "10 210"  # medelbiståndet
    assert figures["metrics.EB-SNITTBIDRAG.2023.jan-aug"] == "9 415"
    assert generated.warnings == []  # the demo has locked jan–aug 2024
    assert_accessible_tables(html)


def test_a_metric_started_in_april_prints_only_its_year_with_dashes_before(committee_id):
    [category] = [
        c
        for c in metrics_reporting.verksamhetsmatt(year=2024)
        for m in c.metrics
        if m.title.startswith("Aktualiseringar") and c.title.startswith("Barn")
    ]
    metric = next(m for m in category.metrics if m.title.startswith("Aktualiseringar"))
    assert [row.year for row in metric.rows] == [2024]
    assert metric.rows[0].cells[:5] == ("-", "-", "-", "0", "2")
    assert metric.rows[0].cells[8:] == ("", "", "", "")


def test_a_month_of_the_period_not_locked_is_a_warning(committee_id):
    MonthStatus.objects.filter(month=datetime.date(2024, 8, 1), unit__code="EA").update(
        state=MonthState.REPORTED, locked_at=None, locked_by=None
    )
    generated = generate("metrics.verksamhetsmatt", august(committee_id))
    assert any("aug (inrapporterad)" in warning for warning in generated.warnings)


def test_the_chart_variant_has_one_svg_per_metric_with_unique_ids(committee_id):
    generated = generate("metrics.verksamhetsmatt_diagram", august(committee_id))
    ids = re.findall(r'\bid="([^"]+)"', generated.html)
    assert len(ids) == len(set(ids))
    assert generated.html.count("<svg") == Metric.objects.count()


def test_verksamhetsmatt_query_count_does_not_grow_with_metrics(committee_id):
    period = august(committee_id)
    with CaptureQueriesContext(connection) as before:
        generate("metrics.verksamhetsmatt", period)
    template = Metric.objects.first()
    for n in range(3):
        metric = Metric.objects.create(
            code=f"EXTRA-{n}",
            category=template.category,
            title=f"Extra mått {n}",
            measure_unit="antal",
            owner=template.owner,
            sort_order=900 + n,
        )
        MetricValue.objects.create(metric=metric, month=datetime.date(2024, 1, 1), value=n)
    with CaptureQueriesContext(connection) as after:
        generate("metrics.verksamhetsmatt", period)
    assert len(after) == len(before)


@pytest.mark.parametrize("key", sorted(KEYS - {"goals.plan"}))
def test_every_generator_runs_on_the_demo_with_scoped_headers(committee_id, key):
    generated = generate(key, august(committee_id))
    assert generated.html
    assert_accessible_tables(generated.html)
    assert all(figure.text for figure in generated.figures)
    assert len({figure.key for figure in generated.figures}) == len(generated.figures)
