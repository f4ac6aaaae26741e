"""Demo internkontroll of Socialnämnden i Solna stad (shared/domain/handlingar-2024-10-07.md §5):
the plan for 2024 with the results of its April controls and the samlad bedömning of the
delårsrapport per augusti, and the plan for 2025 adopted with the verksamhetsplan on
2024-10-07.

The plan for 2024 is not in the source; only its follow-up is. It is rebuilt here from the
follow-up table (§5.3, risk and kontrollmoment texts) and the plan for 2025 (§5.2, the "hur och
när" texts and the riskindex, assumed unchanged from 2024). The 2025 plan is a copy of 2024's,
updated to the texts of §5.2. The findings are short demo summaries, not the original text.

Every write goes through controls.services, acting as the demo user whose role does the step:
the controller drafts, the förvaltningschef adopts, a user of the responsible enhet (or the
granskare, who works across the förvaltning) records and submits results, the granskare
approves. Idempotent: nothing is done when a plan for 2025 already exists.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db import transaction

from controls import planning, rules, services
from controls.models import (
    ControlMethod,
    ControlPlan,
    FollowUpPeriod,
    Occasion,
    Result,
    Risk,
    RiskCategory,
)
from solna_sn import demo as solna_demo
from solna_sn import permissions
from solna_sn.demo import Story
from solna_sn.models import Committee, Unit, User

MYNDIGHETSBESLUT = "Myndighetsbeslut"
PLACERINGAR = "Placeringar"
TWICE = [4, 10]
QUARTERLY = [1, 4, 7, 10]
# When the April 2024 results were recorded and sent for review, and when they were approved.
RESULTS_RECORDED = datetime.date(2024, 5, 6)
RESULTS_APPROVED = datetime.date(2024, 5, 13)
RESULT_MONTH = 4  # the April controls reported in the delårsrapport 2024

NONE, MINOR = 0, 1  # ranks of "Ingen eller försumbar avvikelse" and "Lindrig avvikelse"

FEEDBACK_ACTION = {
    "description": (
        "Resultatet återkopplas till berörda enhetschefer, som går igenom avvikelserna med "
        "respektive arbetsgrupp."
    ),
    "responsible": "Enhetschefer",
    "due": datetime.date(2024, 6, 30),
}


@dataclass(frozen=True)
class DemoResult:
    level: int  # rank of the deviation level
    finding: str
    figures: list[dict] = field(default_factory=list)
    actions: list[dict] = field(default_factory=list)


@dataclass(frozen=True)
class DemoRisk:
    """One risk as in the plan for 2025 (§5.2), with what differs in 2024 and the result of
    the April 2024 control."""

    process: str
    unit: str  # code of the responsible enhet (demo assumption; the source names none)
    title: str
    control_activity: str
    how_when: str
    risk_index: int
    # Sannolikhet × konsekvens: demo assumptions. The source prints only the riskindex.
    factors: tuple[int, int]
    result: DemoResult
    months: list[int] = field(default_factory=lambda: list(TWICE))
    title_2024: str | None = None  # when the follow-up of 2024 words the risk differently


RISKS = [
    DemoRisk(
        MYNDIGHETSBESLUT,
        "STAB",  # the staff unit follows up rulings across the förvaltning (assumption)
        "Beslut av domstol som går nämnden emot följs inte upp och beaktas inte i verksamheten.",
        "Kontroll av att beslut från domstol som går nämnden emot efterföljs inom verksamheten.",
        "Uppföljning av samtliga domar som gått nämnden emot under perioden och kontrollera att "
        "nödvändiga åtgärder vidtagits. Kontrollen ska genomföras två gånger per år, i april "
        "och oktober.",
        4,
        (2, 2),
        DemoResult(
            NONE,
            "Alla domar mot nämnden under perioden har följts upp och omhändertagits i den "
            "verksamhet de gäller.",
        ),
    ),
    DemoRisk(
        MYNDIGHETSBESLUT,
        "BOU",
        "Förhandsbedömningar görs inte inom lagstadgad tidsfrist.",
        # Verbatim, although it speaks of utredningar (copied from risk 7 in the source).
        "Kontroll av samtliga utredningar att tidsfrist hålls samt att eventuella förlängningar "
        "har ett giltigt beslut.",
        "Kontroll av samtliga förhandsbedömningar som avslutats under perioden. Om "
        "förhandsbedömning gått över tid ska det finnas en anteckning och motivering till "
        "förlängd tidsfrist. Kontrollen ska genomföras två gånger per år, i april och oktober.",
        12,
        (4, 3),
        DemoResult(
            MINOR,
            "Av 330 förhandsbedömningar som avslutats under perioden hade 5 gått över tid utan "
            "någon anteckning om förlängd tidsfrist.",
            figures=[{"group": "", "population": 330, "deviations": 5}],
            actions=[{**FEEDBACK_ACTION, "done_on": datetime.date(2024, 6, 15)}],
        ),
    ),
    DemoRisk(
        MYNDIGHETSBESLUT,
        "VUX",
        "Förhandsbedömningar vid orosanmälningar gällande vuxna med missbruk eller psykisk "
        "funktionsnedsättning inklusive bedömning om eventuell LVM-utredning görs inte "
        "korrekt.",
        "Kontroll via stickprov av dokumentation att förhandsbedömningar gällande vuxna med "
        "missbruk görs korrekt.",
        "Stickprov om 5 förhandsbedömningar kontrolleras mot checklista för "
        "förhandsbedömningar. Kontrollen ska genomföras två gånger per år, i april och oktober.",
        6,
        (2, 3),
        DemoResult(NONE, "Inga brister mot checklistan i något av de granskade stickproven."),
        # The follow-up of 2024 has "orosmätningar" (a typo the 2025 plan corrects).
        title_2024="Förhandsbedömningar vid orosmätningar gällande vuxna med missbruk eller "
        "psykisk funktionsnedsättning inklusive bedömning om eventuell LVM-utredning görs inte "
        "korrekt.",
    ),
    DemoRisk(
        MYNDIGHETSBESLUT,
        "BOU",
        "Handläggning görs inte i enlighet med gällande lagstiftning, riktlinjer och rutiner i "
        "ärenden som avser tvångsinsatser enligt LVU.",
        "Kontroll genom stickprov att handläggning av ärenden gällande tvångsvård enligt LVU "
        "görs korrekt.",
        "Kontroll görs av ärenden enligt LVU under perioden. Är antalet ärenden över 5 stycken "
        "görs ett stickprov om 5 ärenden. Ärendets dokumentation kontrolleras mot checklista "
        "för handläggning av ärenden enligt LVU. Kontrollen ska genomföras två gånger per år, "
        "i april och oktober.",
        6,
        (2, 3),
        DemoResult(
            NONE,
            "Inga ärenden under mätperioden.",
            figures=[{"group": "", "population": 0, "deviations": 0}],
        ),
    ),
    DemoRisk(
        MYNDIGHETSBESLUT,
        "VUX",
        "Handläggning görs inte i enlighet med gällande lagstiftning, riktlinjer och rutiner, i "
        "ärenden som avser tvångsinsatser enligt LVM.",
        "Kontroll via stickprov att handläggning av ärenden som rör tvångsvård görs i enlighet "
        "med gällande lagstiftning, riktlinjer och rutiner.",
        "Kontroll av samtliga ärenden enligt LVM. Om antalet överstiger 5 görs ett stickprov om "
        "5 ärenden. Kontroll av dokumentation i ärendet mot checklista för handläggning av LVM. "
        "Kontrollen ska genomföras två gånger per år, i april och oktober.",
        6,
        (2, 3),
        DemoResult(
            NONE,
            "Inga ärenden under mätperioden.",
            figures=[{"group": "", "population": 0, "deviations": 0}],
        ),
    ),
    DemoRisk(
        MYNDIGHETSBESLUT,
        "VUX",
        "Utredningstider för vuxna med missbruk eller psykisk funktionsnedsättning överstiger "
        "tre månader.",
        "Kontroll via stickprov av att utredningstider inte överstiger tre månader.",
        "Kontroll av samtliga avslutade utredningar under perioden att de inte överskridit tre "
        "månaders handläggning. Kontrollen ska genomföras två gånger per år, i april och "
        "oktober.",
        6,
        (2, 3),
        DemoResult(NONE, "Ingen av de kontrollerade utredningarna tog längre tid än tre månader."),
    ),
    DemoRisk(
        MYNDIGHETSBESLUT,
        "BOU",
        "Utredningstider håller inte lagstadgade tidsfrister.",
        "Kontroll av samtliga utredningar att tidsfrist hålls samt att eventuella förlängningar "
        "har ett giltigt beslut.",
        "Kontroll av samtliga avslutade utredningar under perioden. Om utredningstiden "
        "överstigit 4 månader ska ett beslut om förlängd utredningstid finnas med motivering "
        "och nytt slutdatum. Kontrollen ska genomföras fyra gånger per år, i april, juli, "
        "oktober och januari.",
        9,
        (3, 3),
        DemoResult(
            MINOR,
            "Utredningar som pågått längre än 122 dagar saknade i några fall giltigt beslut om "
            "förlängning: 3 av 189 för barn och 2 av 127 för ungdomar. Flyktingbarnenheten "
            "hade inga avvikelser.",
            figures=[
                {
                    "group": "Barn",
                    "population": 189,
                    "deviations": 3,
                    "note": "Över 122 dagar: 79",
                },
                {
                    "group": "Ungdom",
                    "population": 127,
                    "deviations": 2,
                    "note": "Över 122 dagar: 8",
                },
                {
                    "group": "Flyktingbarnenheten",
                    "population": 14,
                    "deviations": 0,
                    "note": "Över 122 dagar: 0",
                },
            ],
            actions=[dict(FEEDBACK_ACTION)],
        ),
        months=list(QUARTERLY),
    ),
    DemoRisk(
        PLACERINGAR,
        "BOU",
        "Barn och ungdomar placeras i jourhem som inte är godkända av en socialnämnd.",
        "Kontroll av att placering av barn och unga sker i jourhem som är godkända av en nämnd.",
        "Kontroll görs genom genomgång av dokumentation i alla ärenden där barn och ungdomar "
        "placerats i jourhem. Det ska vara dokumenterat i ärendet att jourhemmet är godkänt av "
        "en nämnd. Kontrollen ska genomföras två gånger per år, i april och oktober.",
        9,
        (3, 3),
        DemoResult(NONE, "Varje jourhem som användes för placeringarna var godkänt av en nämnd."),
    ),
    DemoRisk(
        PLACERINGAR,
        "BOU",
        "Placering av barn- och ungdomar sker i verksamheter som inte har ett aktuellt "
        "tillstånd att bedriva sin verksamhet",
        "Kontroll via IVO av att placering av barn och unga sker i verksamhet som har tillstånd "
        "att bedriva sin verksamhet.",
        "Kontroll genom stickprov av placeringar i HVB, stödboende samt konsulentstödda "
        "familjehem. I dokumentationen ska framgå att nämnden kontrollerat aktuellt tillstånd. "
        "Kontrollen ska genomföras två gånger per år, i april och oktober.",
        8,
        (2, 4),
        DemoResult(
            NONE,
            "De kontrollerade placeringarna gjordes i verksamheter med gällande tillstånd från "
            "IVO.",
        ),
    ),
]

ASSESSMENT_2024 = (
    "De kontroller som gjorts hittills under året visar sammantaget att den interna kontrollen "
    "inom nämndens ansvarsområde är god. Lindriga avvikelser har noterats för tidsfristerna "
    "för förhandsbedömningar och utredningar; resultaten har återkopplats till berörda chefer."
)


def _method(how_when: str) -> tuple[str, int | None]:
    """The control method the "hur och när" text describes: a sample when it names its size,
    a total check when it says "samtliga", else a review of the documentation."""
    size = rules.sample_size_in_text(how_when)
    if size:
        return ControlMethod.SAMPLE, size
    if "samtliga" in how_when.lower():
        return ControlMethod.TOTAL, None
    return ControlMethod.DOCUMENT, None


def _risk_data(demo: DemoRisk, units: dict[str, Unit], *, year: int) -> dict:
    method, sample_size = _method(demo.how_when)
    data = {
        "process_name": demo.process,
        "title": demo.title_2024 if year == 2024 and demo.title_2024 else demo.title,
        "category": RiskCategory.VERKSAMHETSPROCESSER,
        # The riskindex of 2024 is assumed equal to 2025's (the 2024 plan is not in the source).
        "risk_index": demo.risk_index,
        "control_activity": demo.control_activity,
        "method": method,
        "sample_size": sample_size,
        "how_when": demo.how_when,
        "control_months": list(demo.months),
        "responsible_unit": units[demo.unit],
        "responsible_role": "Enhetschef",
    }
    # The same assumed factors both years, so the risk matrix of 2024 is not empty either.
    data["likelihood"], data["consequence"] = demo.factors
    return data


def _users() -> dict[str, User]:
    names = ["controller", "forvaltningschef", "granskare", "handlaggare"]
    return {user.username: user for user in User.objects.filter(username__in=names)}


def _recorder(users: dict[str, User], unit: Unit) -> User:
    """Someone of the enhet records its results: the handläggare when she works there, else
    the controller, else the förvaltningschef (for the stab). The granskare approves them all,
    so she records none herself (fyraögonprincipen)."""
    for username in ("handlaggare", "controller", "forvaltningschef"):
        user = users.get(username)
        if user is not None and permissions.can_record_control_result(user, unit):
            return user
    raise LookupError(f"Ingen demoanvändare får registrera resultat för {unit}.")


def _plan_2024(committee: Committee, users: dict[str, User], units, by) -> ControlPlan:
    plan = services.plan_create(committee=committee, year=2024, by=by)
    for demo in RISKS:
        services.risk_save(plan=plan, data=_risk_data(demo, units, year=2024), by=by)
    return services.plan_adopt(
        plan=plan,
        by=users["forvaltningschef"],
        adopted_on=datetime.date(2023, 10, 9),
        decision_reference="Socialnämnden, verksamhetsplan och budget 2024",
    )


def _results_2024(plan: ControlPlan, users: dict[str, User], story: Story) -> None:
    levels = {level.rank: level for level in services.active_levels(plan.committee)}
    occasions = Occasion.objects.filter(risk__plan=plan, month=RESULT_MONTH).select_related(
        "risk__responsible_unit"
    )
    by_number = {occasion.risk.number: occasion for occasion in occasions}
    for number, demo in enumerate(RISKS, start=1):
        occasion = by_number[number]
        recorder = _recorder(users, occasion.risk.responsible_unit)
        result = services.result_save(
            occasion=occasion,
            by=recorder,
            level=levels[demo.result.level],
            finding=demo.result.finding,
            figures=[dict(row) for row in demo.result.figures],
            actions=[dict(row) for row in demo.result.actions],
        )
        result = services.result_submit(result=result, by=recorder)
        story.happened(RESULTS_RECORDED, 10 + number % 6)
        services.result_approve(result=result, by=users["granskare"])
        story.happened(RESULTS_APPROVED, 9 + number % 6)


def _plan_2025(committee: Committee, previous: ControlPlan, users, units, by) -> ControlPlan:
    plan = services.plan_create(committee=committee, year=2025, by=by, copy_from=previous)
    risks = {risk.number: risk for risk in plan.risks.all()}
    for number, demo in enumerate(RISKS, start=1):
        risk = risks[number]
        services.risk_save(
            plan=plan,
            data=_risk_data(demo, units, year=2025),
            by=by,
            risk=risk,
            version=risk.version,
        )
    return services.plan_adopt(
        plan=plan,
        by=users["forvaltningschef"],
        adopted_on=solna_demo.VP_2025_DECIDED_ON,
        decision_reference=planning.decision_reference(
            committee, 2025, solna_demo.VP_2025_DECIDED_ON, solna_demo.VP_2025_PARAGRAPH
        ),
    )


def _summary(committee: Committee) -> str:
    def counts(year: int) -> tuple[int, int]:
        plan = services.current_plan(committee, year)
        if plan is None:
            return 0, 0
        risks = Risk.objects.filter(plan=plan).count()
        results = Result.objects.filter(occasion__risk__plan=plan).count()
        return risks, results

    risks_2024, results_2024 = counts(2024)
    risks_2025, results_2025 = counts(2025)
    tail = f", {results_2025} resultat" if results_2025 else ""
    return (
        f"Internkontrollplan 2024 ({risks_2024} risker, {results_2024} resultat) "
        f"och 2025 ({risks_2025} risker{tail})."
    )


def load(*, by) -> str:
    """`by` is the user load_demo passes (the controller); it drafts the plans, and each other
    step is done by the demo user whose role it belongs to."""
    committee = Committee.objects.get(code="SN")
    if ControlPlan.objects.filter(committee=committee, year=2025).exists():
        return _summary(committee)[:-1] + "; fanns redan, inget nytt skapat."
    users = _users()
    units = {unit.code: unit for unit in Unit.objects.filter(administration__committee=committee)}
    story = Story()
    with transaction.atomic():
        # The story's dates: each plan drafted in September and adopted with the
        # verksamhetsplan in October the year before, the April results recorded in May.
        plan_2024 = _plan_2024(committee, users, units, by)
        story.happened(datetime.date(2023, 10, 9), 19)
        _results_2024(plan_2024, users, story)
        services.follow_up_save(
            plan=plan_2024, period=FollowUpPeriod.AUGUST, assessment=ASSESSMENT_2024, by=by
        )
        story.happened(datetime.date(2024, 9, 10))
        _plan_2025(committee, plan_2024, users, units, by)
        story.happened(datetime.date(2024, 10, 7), 19)
    return _summary(committee)
