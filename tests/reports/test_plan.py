"""Verksamhetsplan och budget: the demo plan 2025 (outline of the sources, generated sections from
the data, its memo and Handlingar, the decision), another municipality's layout as data, the
admin's check of generator keys, and what a plan report does differently from a follow-up.

The demo is loaded once for the module and rolled back after it; every test runs in its own
transaction on top of it."""

from __future__ import annotations

import datetime
import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from casework import documents
from casework import services as casework_services
from casework.models import AgendaItem, Case
from controls.models import ControlPlan, PlanState
from goals.models import Activity, Goal, Measure
from reports import adoption, assembly, services
from reports.generators.base import ReportPeriod, generate
from reports.models import OutlineSection, Report, ReportKind, ReportState
from solna_sn.errors import StateError
from solna_sn.models import Committee, User

pytestmark = pytest.mark.django_db

VP_DECISION = (
    "Socialnämnden fastställer förvaltningens förslag till verksamhetsplan och budget "
    "inklusive mål, ekonomiska ramar, konkurrensplan och internkontrollplan."
)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo, loaded once for the module and rolled back after it."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            out = io.StringIO()
            call_command("load_demo", stdout=out)
            yield out.getvalue()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def plan(demo):
    return Report.objects.select_related("kind", "memo", "case").get(
        kind__code="verksamhetsplan", year=2025
    )


def user(name):
    return User.objects.get(username=name)


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def headings(html: str) -> list[str]:
    """The section headings of a printed report, in order."""
    return [
        text_of(h).strip()
        for h in re.findall(
            r'<section class="report-section[^"]*" id="avsnitt-\d+">\s*<h[2-4]>(.*?)</h[2-4]>',
            html,
        )
    ]


def preview(report, username="granskare") -> str:
    client = Client()
    client.force_login(user(username))
    response = client.get(reverse("reports:report_preview", args=[report.pk]))
    assert response.status_code == 200
    return response.content.decode()


# --- The demo plan -------------------------------------------------------------------------


def test_the_demo_plan_is_sent_to_the_meeting_of_7_october_with_its_memo(plan):
    assert plan.title == "Verksamhetsplan och budget 2025"
    assert plan.is_frozen and plan.case.dnr == "SN/2024:1"
    assert plan.meeting.date == datetime.date(2024, 10, 7)
    memo = plan.memo
    assert memo.decision_proposal == VP_DECISION
    assert memo.dispatch_lines == ["Kommunstyrelsen"] and not memo.dispatch_bulleted
    view = documents.memo_view(memo)
    assert view.handlingar == [
        f"Tjänsteskrivelse daterad {memo.date:%Y-%m-%d}",
        "Verksamhetsplan och budget 2025",
    ]
    decision = plan.meeting.items.get(case=plan.case).decision
    assert decision.text == VP_DECISION


def test_the_demo_plan_prints_the_outline_of_the_sources_with_the_data(plan):
    html = preview(plan)
    titles = headings(html)
    expected = [
        "Förvaltningsberättelse",
        "Sammanfattning",
        "Styrning och uppföljning av den kommunala verksamheten",
        "Socialnämndens ansvarsområden",
        "Nämndens kvalitetsdeklarationer",
        "Organisation",
        "Mål och uppdrag",
        "Solna stads vision och övergripande mål",
        "Nämndmål",
        "Löpande verksamhet enligt reglemente",
        "Ekonomi",
        "Driftbudget, nämnd",
        "Driftbudget, per verksamhet",
        "Investeringsbudget",
        "Taxor och avgifter",
        "Nämndens taxor och avgifter",
        "Väsentliga personalförhållanden",
        "Tvärsektoriella frågor",
        "Förväntad utveckling",
        "Konkurrensutsättning",
        "Avtal som ska upphandlas",
        "Större avrop på befintliga ramavtal",
        "Intern kontroll",
    ]
    assert titles == expected
    toc = re.findall(r'<span class="toc-title">(.*?)</span>', html)
    assert toc == [
        "Förvaltningsberättelse",
        "Sammanfattning",
        "Styrning och uppföljning av den kommunala verksamheten",
        "Mål och uppdrag",
        "Ekonomi",
        "Väsentliga personalförhållanden",
        "Tvärsektoriella frågor",
        "Förväntad utveckling",
        "Konkurrensutsättning",
        "Intern kontroll",
    ]
    assert "SN/2024:1, behandlas på socialnämndens sammanträde den 7 oktober 2024." in html
    assert "Solna stad</p>" not in html.split("report-toc")[0]  # no municipality line
    plain = text_of(html)
    assert '<th scope="col">Övergripande mål</th><th scope="col">Nämndmål</th>' in html
    assert "Socialnämnden ska säkerställa att barn och ungdomar inte far illa." in plain
    assert '<th scope="col">Aktiviteter</th><th scope="col">Beskrivning</th>' in html
    assert "-231,2" in plain and "-226,8" in plain and "Summa nettokostnader" in plain
    assert "Kapitalinventarier" in plain
    assert "Avrop av fordon till socialförvaltningen" in plain and "SN/2023:94" in plain
    assert "Serveringstillstånd" in plain and "KF 2014-12-15" in plain
    assert "Östervägens aktivitetshus" in plain
    assert (
        '<th scope="col">Process</th><th scope="col">Risk</th>'
        '<th scope="col" class="num">Riskindex</th>'
    ) in html
    assert "Hur ska kontrollen utföras och när" in plain


def test_the_meetings_bundle_prints_the_sent_plan_after_its_memo(plan):
    """The public bundle of 7 October 2024: the plan's sent PDF follows its memo (item 2),
    after the delårsrapport that follows item 1, and the memo's Handlingar name it."""
    html, inserts = documents.bundle_html(plan.meeting, internal=False)
    titles = [insert["title"] for insert in inserts]
    assert titles.index("Delårsrapport per augusti 2024") < titles.index(plan.title)
    memo_at = html.index(f"arende-{plan.meeting.items.get(case=plan.case).pk}")
    assert html.index(f"Bilaga: {plan.title}") > memo_at
    assert "<li>Verksamhetsplan och budget 2025</li>" in html[memo_at:]  # its Handlingar


def test_the_plan_memo_is_made_from_the_plan_with_one_action(plan):
    """A plan without a memo yet: one POST makes it, with the fixed decision text, the plan in
    Handlingar and Kommunstyrelsen as the only recipient."""
    committee = plan.committee
    chief = user("forvaltningschef")
    case = Case.objects.create(
        committee=committee,
        year=2025,
        number=900,
        title="Verksamhetsplan och budget 2026",
        registered_on=datetime.date(2025, 9, 1),
        unit=plan.case.unit,
    )
    draft = services.report_create(kind=plan.kind, year=2026, case=case, by=chief)
    client = Client()
    client.force_login(chief)
    response = client.post(reverse("reports:report_memo", args=[draft.pk]))
    draft.refresh_from_db()
    assert response.status_code == 302 and response["Location"] == reverse(
        "casework:memo_detail", args=[draft.memo.pk]
    )
    memo = draft.memo
    assert memo.title == "Verksamhetsplan och budget 2026"
    assert memo.decision_proposal == VP_DECISION
    assert memo.dispatch_to == "Kommunstyrelsen" and not memo.dispatch_bulleted
    page = client.get(response["Location"]).content.decode()
    assert 'Verksamhetsplan och budget 2026 <span class="muted">' in page
    assert documents.memo_view(memo).handlingar[1:] == ["Verksamhetsplan och budget 2026"]


def test_a_follow_up_memo_does_not_list_its_report_in_handlingar(demo):
    delar = Report.objects.get(kind__code="delarsrapport", year=2024)
    assert documents.memo_view(delar.memo).handlingar == [
        f"Tjänsteskrivelse daterad {delar.memo.date:%Y-%m-%d}"
    ]


def test_next_years_plan_carries_texts_from_this_years_plan_not_from_a_follow_up(plan):
    chief = user("forvaltningschef")
    case = Case.objects.create(
        committee=plan.committee,
        year=2025,
        number=901,
        title="Verksamhetsplan och budget 2026",
        registered_on=datetime.date(2025, 9, 1),
        unit=plan.case.unit,
    )
    draft = services.report_create(kind=plan.kind, year=2026, case=case, by=chief)
    assert draft.carried_from == plan
    organisation = draft.sections.get(title="Organisation")
    assert organisation.carried_over and "Kommungemensam verksamhet" in organisation.body
    assert (
        services.previous_report(
            ReportKind.objects.get(committee=plan.committee, code="arsredovisning"), 2025
        )
        != plan
    )


# --- Another municipality's layout ---------------------------------------------------------


def test_the_2020_layout_is_applied_in_the_admin_and_prints_its_own_order_and_titles(plan):
    client = Client()
    client.force_login(user("admin"))
    committee = plan.committee
    response = client.post(
        reverse("admin:reports_reportkind_add"),
        {
            "committee": committee.pk,
            "code": "vp-2020",
            "name": "Verksamhetsplan och budget (2020)",
            "period": "helar",
            "plan": "on",
            "layout": "verksamhetsplan-2020",
            "outline-TOTAL_FORMS": "0",
            "outline-INITIAL_FORMS": "0",
            "outline-MIN_NUM_FORMS": "0",
            "outline-MAX_NUM_FORMS": "1000",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    kind = ReportKind.objects.get(committee=committee, code="vp-2020")
    assert kind.outline.count() == 24
    report = services.report_create(
        kind=kind, year=2025, case=plan.case, by=user("granskare"), carry_over=False
    )
    html = preview(report)
    assert headings(html) == [
        "Sammanfattning",
        "Nämndens ansvarsområden",
        "Solna stads styrning",
        "Mål och uppdrag",
        "Solna stads vision och övergripande mål",
        "Nämndmål",
        "Löpande verksamhet enligt reglemente",
        "Framtida utmaningar och förutsättningar",
        "Organisation",
        "Budget",
        "Driftbudget, nämnd",
        "Driftbudget, per verksamhet",
        "Investeringsbudget",
        "Taxor och avgifter",
        "Nämndens taxor och avgifter",
        "Medarbetare",
        "Verksamhetsutveckling och kvalitetsarbete",
        "Nämndens kvalitetsdeklarationer",
        "Tvärsektoriella frågor",
        "Konkurrensutsättning",
        "Befintliga avtal som ska upphandlas på nytt",
        "Nya upphandlingsbehov samt större avrop på befintliga ramavtal",
        "Intern kontroll",
        "Internkontrollplan",
    ]
    # The headings are level 1 here (h2), under the Förvaltningsberättelse in the 2025 layout.
    assert "<h2>Budget</h2>" in html and "<h3>Driftbudget, nämnd</h3>" in html
    assert "Avrop av fordon till socialförvaltningen" in text_of(html)


def _outline_post(kind, rows):
    data = {
        "committee": kind.committee_id,
        "code": kind.code,
        "name": kind.name,
        "period": kind.period,
        "outline-TOTAL_FORMS": str(len(rows)),
        "outline-INITIAL_FORMS": "0",
        "outline-MIN_NUM_FORMS": "0",
        "outline-MAX_NUM_FORMS": "1000",
    }
    if kind.plan:
        data["plan"] = "on"
    for index, row in enumerate(rows):
        for name, value in row.items():
            data[f"outline-{index}-{name}"] = value
        data[f"outline-{index}-kind"] = kind.pk
    return data


def test_the_admin_refuses_a_generated_section_whose_generator_does_not_exist(demo):
    committee = Committee.objects.get(code="SN")
    kind = ReportKind.objects.create(
        committee=committee, code="egen", name="Egen plan", period="helar", plan=True
    )
    client = Client()
    client.force_login(user("admin"))
    url = reverse("admin:reports_reportkind_change", args=[kind.pk])
    row = {"order": "10", "title": "Budget", "level": "1", "mode": "generated", "in_toc": "on"}
    response = client.post(url, _outline_post(kind, [{**row, "generator": "economy.finns_inte"}]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Generatorn ”economy.finns_inte” finns inte." in page
    assert not OutlineSection.objects.filter(kind=kind).exists()
    response = client.post(
        url, _outline_post(kind, [{**row, "generator": "economy.driftbudget_namnd"}])
    )
    assert response.status_code == 302
    assert kind.outline.get().generator == "economy.driftbudget_namnd"


def test_applying_a_layout_to_a_kind_that_has_an_outline_is_refused(plan):
    with pytest.raises(ValidationError) as error:
        services.outline_apply(kind=plan.kind, layout="verksamhetsplan-2020")
    assert "har redan en disposition" in str(error.value)
    assert plan.kind.outline.count() == 29


# --- Adoption ------------------------------------------------------------------------------


def test_the_demo_plan_is_behandlad_by_its_recorded_decision_and_the_year_fastställd(plan):
    """The demo's modules fastställde the parts of 2025 with § 64 of 7 October 2024; the
    plan's recorded protokollsutdrag is that §, and the plan is behandlad by it."""
    assert plan.state == ReportState.HANDLED
    decision = services.plan_decision(plan)
    assert decision.paragraph == 64 and decision.meeting.date == datetime.date(2024, 10, 7)
    status = dict(adoption.adoption_status(2025, plan.committee))
    assert status and all(status.values()), status
    assert "§ 64" in status["Målträd"]
    page = Client()
    page.force_login(user("forvaltningschef"))
    html = page.get(reverse("reports:report_detail", args=[plan.pk])).content.decode()
    assert "Fastställd av nämnden 2024-10-07, § 64" in html


def test_the_recorded_decision_on_next_years_plan_fastställer_its_parts_together(plan):
    """The planning version 2026 (a copy of 2025): its plan is sent, the decision recorded on
    the meeting, and one action makes the goal tree, the budget and the internkontrollplan
    2026 fastställda with the decision's date and §."""
    report = _sent_plan(plan, 2026)
    assert adoption.adoption_problems(2026, plan.committee) == []
    item = plan.meeting.items.get(case=report.case)
    casework_services.decision_record(
        item=item,
        paragraph=97,
        text=VP_DECISION,
        report_back_required=False,
        by=user("granskare"),
        today=plan.meeting.date,
    )
    client = Client()
    client.force_login(user("forvaltningschef"))
    url = reverse("reports:report_transition", args=[report.pk, "faststall"])
    page = client.post(url, follow=True).content.decode()
    assert "Verksamhetsplanen är fastställd" in page
    report.refresh_from_db()
    assert report.state == ReportState.HANDLED
    status = dict(adoption.adoption_status(2026, plan.committee))
    assert all(status.values()), status
    assert status["Målträd"] == "Fastställd 2024-10-07, § 97"
    control_plan = ControlPlan.objects.get(
        committee=plan.committee, year=2026, state=PlanState.ADOPTED
    )
    assert (
        str(control_plan.adopted_on) == "2024-10-07" and "§ 97" in control_plan.decision_reference
    )


def test_the_plan_prints_the_goals_its_risks_threaten(plan):
    """The demo links risks of the draft internkontrollplan 2026 to nämndmål; the plan's
    Intern kontroll prints them beside the risk."""
    generated = generate(
        "controls.plan", ReportPeriod(plan.committee_id, 2026, "helar", "verksamhetsplan", True)
    )
    assert (
        "Hotar nämndmål: Socialnämnden ska säkerställa att barn och ungdomar inte far illa."
        in text_of(generated.html).replace(" .", ".")
    )
    assert generated.warnings == []  # a draft plan is no warning in the plan that adopts it


def _sent_plan(plan, year):
    """A plan of `year` sent to the meeting, with its ärende on the agenda and no decision."""
    chief, granskare = user("forvaltningschef"), user("granskare")
    case = Case.objects.create(
        committee=plan.committee,
        year=year - 1,
        number=950 + year - 2025,
        title=f"Verksamhetsplan och budget {year}",
        registered_on=datetime.date(year - 1, 9, 1),
        unit=plan.case.unit,
    )
    report = services.report_create(
        kind=plan.kind, year=year, case=case, meeting=plan.meeting, by=granskare
    )
    Report.objects.filter(pk=report.pk).update(
        state=ReportState.SENT, sent_at=timezone.now(), sent_by=chief
    )
    AgendaItem.objects.create(
        meeting=plan.meeting, position=99, label="99", title=case.title, case=case
    )
    report.refresh_from_db()
    return report


def test_adopting_without_a_recorded_decision_is_refused_and_changes_nothing(plan):
    report = _sent_plan(plan, 2026)
    client = Client()
    client.force_login(user("forvaltningschef"))
    url = reverse("reports:report_transition", args=[report.pk, "faststall"])
    response = client.post(url, follow=True)
    page = response.content.decode()
    assert "Nämndens beslut om verksamhetsplan och budget 2026 är inte protokollfört." in page
    report.refresh_from_db()
    assert report.state == ReportState.SENT
    with pytest.raises(StateError):
        services.report_adopt(report=report, by=user("forvaltningschef"))


def test_a_plan_is_not_marked_handled_without_adoption_and_a_follow_up_is_not_adopted(plan):
    report = _sent_plan(plan, 2027)
    with pytest.raises(StateError, match="fastställs enligt nämndens protokollförda beslut"):
        services.report_mark_handled(report=report, by=user("forvaltningschef"))
    delar = Report.objects.get(kind__code="delarsrapport", year=2024)
    with pytest.raises(StateError, match="Bara en verksamhetsplan fastställs"):
        services.report_adopt(report=delar, by=user("forvaltningschef"))


def test_an_adopted_plan_cannot_be_edited_or_adopted_again(plan):
    section = plan.sections.get(title="Sammanfattning")
    with pytest.raises(StateError, match="låst"):
        services.section_save(
            section=section, version=section.version, body="<p>Ny</p>", by=user("granskare")
        )
    with pytest.raises(StateError, match="redan fastställd"):
        services.report_adopt(report=plan, by=user("forvaltningschef"))


# --- Cost ----------------------------------------------------------------------------------


def test_the_plan_query_count_does_not_grow_with_goals_activities_and_measures(plan):
    """A draft plan is assembled from live data: the same number of queries with three more
    nämndmål, each with mått and aktiviteter (and a risk link more)."""
    kind = ReportKind.objects.create(
        committee=plan.committee, code="vp-matt", name="Plan för mätning", period="helar", plan=True
    )
    services.outline_apply(kind=kind, layout="verksamhetsplan")
    draft = services.report_create(
        kind=kind, year=2025, case=plan.case, by=user("granskare"), carry_over=False
    )
    sections = list(draft.sections.order_by("order"))
    with CaptureQueriesContext(connection) as before:
        first = assembly.assemble(draft, sections)
    template = Goal.objects.filter(plan__year=2025, level__code="NAMNDMAL").first()
    for n in range(3):
        goal = Goal.objects.create(
            plan=template.plan,
            level=template.level,
            parent=template.parent,
            title=f"Extra nämndmål {n}",
            sort_order=50 + n,
        )
        goal.agenda2030.set(template.agenda2030.all())
        for m in range(2):
            Measure.objects.create(goal=goal, title=f"Mått {n}.{m}", unit="st", sort_order=m)
            Activity.objects.create(
                plan=template.plan, goal=goal, title=f"Aktivitet {n}.{m}", sort_order=m
            )
    with CaptureQueriesContext(connection) as after:
        second = assembly.assemble(draft, sections)
    html = "".join(p.html for p in second.sections)
    assert "Extra nämndmål 2" in html and "Aktivitet 2.1" in html and "Mått 2.1" in html
    assert "Extra nämndmål" not in "".join(p.html for p in first.sections)
    assert len(after) == len(before)
