"""Demo goals for Socialnämnden: the vision, the four övergripande mål, the four nämndmål with
Agenda 2030, mått, aktiviteter and the KF uppdrag for 2024 and 2025 (2025 starts as a copy of
2024, so keys follow), and the assessments per augusti 2024 with their key figures. The tree
2025 is fastställd with the VP on 7 October 2024, and the planning of 2026 is started as a
copy of the whole plan 2025 (solna_sn.planning: goals, budget, internkontrollplan) with
nämndmål 1 reworded.

Goal, mått and activity titles and all figures are those of the Delårsrapport 2024 and the
VP 2025; descriptions, commentaries and activity bullets are short summaries written for the
demo. *Medelbistånd* is computed from the monthly Snittbidrag in the verksamhetsmått (it
does not need them loaded first: the figure is read when shown). Idempotent.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from goals import services
from goals.models import (
    Agenda2030Goal,
    AggregationChoice,
    Assignment,
    GoalAssessment,
    Level,
    Measure,
    MeasureSource,
    PlanYear,
    ScaleStep,
)
from solna_sn import demo as solna_demo
from solna_sn import planning
from solna_sn.demo import Story
from solna_sn.models import Committee, Role, Unit, User

# The planning of 2026 starts after the budget and the internkontrollplan exist, so that it
# copies them too.
DEPENDS_ON = ("economy", "controls")

# The 2026 draft, started as a copy of 2025: nämndmål 1 reworded (our own wording).
REWORDED_2026 = {
    "NM1": "Socialnämnden ska ge ett gott stöd så att solnaborna kan ta tillvara sina egna "
    "resurser och bli självförsörjande, med målet att motverka långvarigt behov av ekonomiskt "
    "bistånd.",
}

VISION = (
    "Solna ska vara en sammanhållen och levande stad, som växer och utvecklas hållbart för "
    "alla solnabor. Staden kännetecknas av trygghet och öppenhet, där allas potential tas "
    "tillvara. Vi erbjuder kunskap, kreativitet och upplevelser som ökar regionens "
    "attraktionskraft."
)
OVERARCHING = [
    (
        "Solna stads verksamheter ska hålla god kvalitet och hushålla med stadens resurser.",
        "Det staden finansierar ska ge god kvalitet för pengarna: kärnverksamheten går först, "
        "kvaliteten följs upp och budgeten hålls.",
    ),
    (
        "Solna ska växa ihop och utvecklas på ett ekonomiskt, socialt och miljömässigt "
        "hållbart sätt.",
        "Bostäder, arbetsplatser och service växer så att stadsdelarna knyts ihop, med trygga "
        "finanser, naturvärden och jämlika levnadsvillkor.",
    ),
    (
        "Solna ska vara en attraktiv och trygg stad att leva och verka i.",
        "En trygg och tillgänglig stad med bra boende, arbete och utbildning, där invånarna "
        "kan försörja sig själva och får stöd genom livet.",
    ),
    (
        "Solna stad ska vara en stad som kännetecknas av mångfald, kreativitet och upplevelser.",
        "En internationell mötesplats, rik på upplevelser, där allas potential tas tillvara.",
    ),
]

M_STANDARD = (
    "Arbetet med målet pågår enligt plan. Måluppfyllelsen mäts dels genom ett antal "
    "nyckeltal, dels genom skriftliga beskrivningar av genomförda aktiviteter."
)
M_TEXT_ONLY = "Måluppfyllelsen mäts genom skriftliga beskrivningar av genomförda aktiviteter."

# Per nämndmål: text, Agenda 2030, unit, mått 2024 (title, unit, aug 2024, aug 2023 or a
# computed series), activities (VP 2025 titles, summarised descriptions), the assessment.
GOALS = [
    {
        "key": "NM1",
        "title": "Socialnämnden ska tillhandahålla ett gott stöd så att solnaborna kan ta "
        "tillvara egna resurser med målet att motverka långvarigt behov av ekonomiskt bistånd.",
        "sdg": 10,
        "unit": "EA",
        "measures": [
            ("Antal hushåll som får ekonomiskt bistånd under perioden", "hushåll", 221, 185),
            ("Medelbistånd per månad", "kr", "EB-SNITTBIDRAG", None),
            (
                "Antal hushåll som haft utbetalning varje månad de senaste 12 månaderna",
                "hushåll",
                15,
                22,
            ),
            (
                "Antal personer inskrivna i insatser hos arbetsmarknadsgruppen under perioden",
                "personer",
                67,
                None,
            ),
            (
                "Antal personer utskrivna från arbetsmarknadsgruppen till självförsörjning",
                "personer",
                8,
                None,
            ),
        ],
        "activities": [
            (
                "Erbjud tidiga individanpassade insatser i syfte att minska behovet av "
                "långvarigt försörjningsstöd",
                "Tidiga insatser så att ingen går sysslös länge, information om insatserna "
                "redan i början, budget- och skuldrådgivning och fler samordnade individuella "
                "planer (SIP).",
            ),
            (
                "Arbeta för ökad klientkontakt och delaktighet",
                "Täta möten och hembesök för att förstå klientens situation, och en "
                "handlingsplan med tydliga förväntningar i varje ärende.",
            ),
            (
                "Öka genomströmningen på offentligt skyddat arbete (OSA) och utöka "
                "arbetsmarknadsgruppens verksamhet",
                "Stöd till dem med OSA att gå vidare till annat arbete, så att fler kan ta del "
                "av insatsen; den som kan arbeta bidrar med det den kan.",
            ),
            (
                "Erbjuda extra stöd till klienter med komplex problematik",
                "Grundutredningen förnyas årligen, och läkare, psykolog och "
                "arbetsmarknadsgruppen hjälper till att utreda arbetsförmågan.",
            ),
        ],
        "writer": "controller",
        "method": M_STANDARD,
        "commentary": "Fler hushåll har fått ekonomiskt bistånd än under samma period "
        "förra året, och medelbiståndet per månad har ökat. Färre hushåll har haft "
        "utbetalning varje månad det senaste året. Arbetsmarknadsgruppen har haft 67 "
        "personer inskrivna, och 8 har gått vidare till självförsörjning.",
        "key_activities": [
            "Arbetsmarknadsinsatserna omfattar nu även bosättnings- och etableringsärenden.",
            "En handlingsplan upprättas redan vid det första besöket.",
            "Försörjningsstöd, resursgruppen och arbetsmarknadsgruppen går igenom ärenden "
            "tillsammans.",
            "Samverkan med förvaltningen för arbetsmarknad, kultur och fritid, med fokus på "
            "långvariga ärenden.",
        ],
    },
    {
        "key": "NM2",
        "title": "Socialnämnden ska utveckla arbetet med hållbara lösningar på hemmaplan för "
        "personer med missbruk och/eller psykisk funktionsnedsättning med individen i fokus.",
        "sdg": 3,
        "unit": "VUX",
        "measures": [
            (
                "Antal i biståndsbedömd sysselsättning bland personer med missbruk och/eller "
                "psykisk funktionsnedsättning",
                "personer",
                61,
                55,
            ),
            (
                "Antal i öppenvårdsinsatser bland personer med missbruk och/eller psykisk "
                "funktionsnedsättning",
                "personer",
                204,
                210,
            ),
        ],
        "activities": [
            (
                "Utveckla och individanpassa vuxenhetens insatser, uppsökande och förebyggande "
                "arbete",
                "Flexibla utförarverksamheter och strukturerade bedömningsinstrument, så att "
                "insatserna kan planeras mot tydliga mål och effekterna mätas.",
            ),
            (
                "Arbeta för ett ökat brukarinflytande och delaktighet i verksamhetens utformning",
                "Brukare och deras nätverk är med och planerar insatserna; samverkan med "
                "brukarföreningar.",
            ),
            (
                "Erbjud möjlighet för brukare att höja sin digitala kompetens för en mer "
                "självständig vardag",
                "Digitalt stöd som komplement till fysiska besök och mer kunskap om digitala "
                "hjälpmedel.",
            ),
            (
                "Anordna gruppaktiviteter för brukare",
                "Gruppaktiviteter tillsammans med andra aktörer som bryter isolering och "
                "främjar rehabilitering och hälsa.",
            ),
            (
                "Genomföra en översyn av sysselsättningsverksamheterna",
                "Se till att sysselsättningen motsvarar behoven och den nya socialtjänstlagen, "
                "som ett steg mot egen försörjning.",
            ),
        ],
        "writer": "controller",
        "method": M_STANDARD,
        "commentary": "Fler brukare har biståndsbedömd sysselsättning än under samma period "
        "förra året, medan deltagandet i öppenvårdsinsatser är något lägre.",
        "key_activities": [
            "Gruppaktiviteter, bland annat en bokcirkel på Östervägens aktivitetshus och på "
            "Trampolinen.",
            "Workshoppar om god och nära vård och omsorg tillsammans med omvårdnadsnämnden och "
            "skolnämnden.",
            "Appcafé på Väsentorp för att stärka brukarnas digitala kompetens.",
        ],
    },
    {
        "key": "NM3",
        "title": "Socialnämnden ska säkerställa att barn och ungdomar inte far illa.",
        "sdg": 3,
        "unit": "BOU",
        "measures": [
            (
                "Antal orosanmälningar till socialtjänsten avseende barn och unga",
                "",
                1503,
                1623,
            ),
            ("Antal orosanmälningar avseende unika barn och ungdomar", "", 772, 768),
            (
                "Antal barn och ungdomar som är aktuella för insats inom socialtjänsten",
                "",
                244,
                257,
            ),
        ],
        "activities": [
            (
                "Skapa arbetssätt som främjar barn och ungas delaktighet",
                "Rutiner som gör barn och unga delaktiga genom hela processen och tillgodoser "
                "deras rättigheter.",
            ),
            (
                "Med stöd av Signs of safety vidareutveckla arbetet kring barns säkerhet",
                "Signs of safety som gemensamt arbetssätt på hela barn- och ungdomsenheten, med "
                "fokus på säkerheten kring barnet.",
            ),
            (
                "Arbeta kunskapsbaserat, uppsökande och förebyggande",
                "Tidigt stöd till barn och familjer, och arbetssätt som gör att fler barn som "
                "far illa upptäcks tidigt.",
            ),
            (
                "Samverkan med fokus på att barnet ska få rätt stöd i ett så tidigt skede som "
                "möjligt",
                "Proaktiv samverkan med andra aktörer, mer föräldrastöd och det skolsociala "
                "teamet.",
            ),
        ],
        "writer": "handlaggare",
        "method": M_STANDARD,
        "commentary": "Orosanmälningarna har minskat jämfört med samma period förra året, "
        "medan antalet unika barn och unga som anmälningarna gäller är ungefär detsamma. Färre "
        "barn och unga är aktuella för insats.",
        "key_activities": [
            "Intensivutredningsprojektet, som avslutades den 31 augusti 2024.",
            "Fältassistenter arbetar sedan mars 2024.",
            "Nätverksteamet.",
            "Fler gruppledare för föräldrautbildningen Komet.",
            "Samverkan inom SSPF.",
            "Det skolsociala teamet sedan den 1 juni.",
        ],
    },
    {
        "key": "NM4",
        "title": "Socialnämnden ska säkerställa att insatser ges utifrån individernas behov "
        "med fokus på ett helhetsperspektiv, i bred samverkan med andra nämnder, myndigheter "
        "och frivilliga krafter.",
        "sdg": 3,
        "unit": "STAB",
        "measures": [],
        "activities": [
            (
                "Arbeta utifrån ett familjeorienterat arbetssätt i syfte att skapa ett "
                "helhetsperspektiv runt klienten",
                "Familjeorienterat arbete inom nämnden och ett nätverksarbete som tar tillvara "
                "resurserna runt klienten.",
            ),
            (
                "Arbeta för en sammanhållen rehabilitering för personer med "
                "samsjuklighetsproblematik",
                "Samordnat stöd från regionen och socialtjänsten, anpassat efter individen.",
            ),
            (
                "Genom samverkan utveckla arbetet kring individer som vill lämna en kriminell "
                "livsstil",
                "Individanpassade och samordnade insatser inom nämnden och med externa aktörer, "
                "och stöd till anhöriga.",
            ),
            (
                "Utveckla nämndens stöd för anhöriga och närstående",
                "Omvärldsbevakning och samverkan för att minska anhörigas belastning och risk "
                "för ohälsa.",
            ),
        ],
        "writer": "granskare",
        "method": M_TEXT_ONLY,
        "commentary": "Samverkan inom förvaltningen och med polisen och regionen har "
        "utvecklats under perioden.",
        "key_activities": [
            "En samverkansgrupp mellan vuxenenheten och ekonomi- och arbetsmarknadsenheten.",
            "Den nya avhopparverksamheten, med en skriftlig överenskommelse med "
            "lokalpolisområde Solna.",
            "Ett hembesöksprogram tillsammans med BVC från den 1 juli.",
        ],
    },
]

ONGOING = [
    (
        "Förbereda nämnden för omställningen till en ny socialtjänstlag",
        "Förslag på förebyggande insatser och bättre tillgänglighet, information och stöd till "
        "medarbetarna, och en plan för uppföljning.",
    ),
    (
        "Se över möjligheter för utökad digitalisering",
        "Mer digitalisering för nya arbetssätt och högre service och tillgänglighet.",
    ),
]

ASSIGNMENT = (
    "Kompetensnämnden får i uppdrag att i samverkan med socialnämnden utveckla samverkan i "
    "Solnamodellen kring gemensamma målgrupper inom socialtjänst och arbetsmarknadsinsatser "
    "för att hjälpa fler som står utanför arbetsmarknaden in i arbete."
)
ASSIGNMENT_COMMENTARY = (
    "De berörda nämnderna har under perioden utvecklat samverkan, både internt och externt. "
    "Uppdraget återrapporteras till nämnderna och kommunstyrelsen under hösten."
)

# VP 2025: renamed and new mått (the unchanged keys follow from 2024).
RENAMED_2025 = {
    "Antal hushåll som får ekonomiskt bistånd under perioden": (
        "Antal hushåll som får ekonomiskt bistånd under senaste 12 månadersperioden"
    ),
    "Antal hushåll som haft utbetalning varje månad de senaste 12 månaderna": (
        "Antal hushåll som får ekonomiskt bistånd varje månad under senaste 12 månadersperioden"
    ),
}
DROPPED_2025 = {"Medelbistånd per månad", "Antal orosanmälningar avseende unika barn och ungdomar"}
NEW_2025 = {
    "NM4": [
        ("Antal remisser till nätverksteamet", ""),
        ("Antal deltagare inom ramen för nämndens anhörigstöd", ""),
    ]
}


def _leader() -> User:
    return (
        User.objects.filter(username="forvaltningschef").first()
        or User.objects.filter(role=Role.FORVALTNINGSCHEF, is_active=True).first()
    )


def _measure_data(title, unit, source_or_value, sort_order):
    computed = isinstance(source_or_value, str)
    return {
        "title": title,
        "unit": unit,
        "decimals": 0,
        "target": None,
        "direction": "",
        "source": MeasureSource.SERIES if computed else MeasureSource.MANUAL,
        "series_code": source_or_value if computed else "",
        "aggregation": AggregationChoice.MEAN if computed else "",
        "sort_order": sort_order,
    }


def _plan_2024(committee, leader) -> PlanYear:
    plan = services.plan_create(committee=committee, year=2024, by=leader)
    levels = {level.code: level for level in Level.objects.filter(committee=committee)}
    units = {unit.code: unit for unit in Unit.objects.all()}
    sdgs = {sdg.number: sdg for sdg in Agenda2030Goal.objects.all()}

    def goal(level, title, parent=None, description="", sdg=None, unit=None, order=0):
        return services.goal_save(
            plan=plan,
            data={
                "level": levels[level],
                "parent": parent,
                "title": title,
                "description": description,
                "agenda2030": [sdgs[sdg]] if sdg else [],
                "responsible_unit": units.get(unit),
                "sort_order": order,
            },
            by=leader,
        )

    vision = goal("VISION", VISION, order=1)
    overarching = [
        goal("OVERGRIPANDE", title, vision, description, order=n * 10)
        for n, (title, description) in enumerate(OVERARCHING, start=1)
    ]
    for n, spec in enumerate(GOALS, start=1):
        nm = goal(
            "NAMNDMAL",
            spec["title"],
            overarching[1],
            sdg=spec["sdg"],
            unit=spec["unit"],
            order=n * 10,
        )
        for m, (title, unit, value, _comparison) in enumerate(spec["measures"], start=1):
            try:
                services.measure_save(
                    goal=nm, data=_measure_data(title, unit, value, m * 10), by=leader
                )
            except ValidationError:
                continue  # no verksamhetsmått in this installation: leave the computed mått out
        for m, (title, description) in enumerate(spec["activities"], start=1):
            services.activity_save(
                plan=plan,
                data={"goal": nm, "title": title, "description": description, "sort_order": m},
                by=leader,
            )
    for m, (title, description) in enumerate(ONGOING, start=1):
        services.activity_save(
            plan=plan,
            data={"goal": None, "title": title, "description": description, "sort_order": m},
            by=leader,
        )
    lead, _ = Committee.objects.get_or_create(
        code="KN",
        defaults={
            "municipality": committee.municipality,
            "name": "Kompetensnämnden",
            "dnr_prefix": "KN",
        },
    )
    services.assignment_save(
        plan=plan,
        data={
            "text": ASSIGNMENT,
            "decided_by": "Kommunfullmäktige",
            "lead_committee": lead,
            "participating_committees": [committee],
            "sort_order": 1,
        },
        by=leader,
    )
    return plan


def _assess_august_2024(plan, committee, leader) -> int:
    """The Delårsrapport's assessments and key figures; returns how many were added."""
    goal_scale = Level.objects.get(committee=committee, code="NAMNDMAL").scale
    met = ScaleStep.objects.get(scale=goal_scale, rank=1)
    added = 0
    goals = list(plan.goals.filter(level__code="NAMNDMAL").order_by("sort_order", "pk"))
    for goal, spec in zip(goals, GOALS, strict=True):
        if GoalAssessment.objects.filter(goal=goal, period="augusti").exists():
            continue
        writer = User.objects.filter(username=spec["writer"]).first()
        services.assessment_assign(goal=goal, period="augusti", writer=writer, by=leader)
        figures = {title: (value, comparison) for title, _u, value, comparison in spec["measures"]}
        for measure in goal.measures.filter(source=MeasureSource.MANUAL):
            value, comparison = figures[measure.title]
            services.measure_value_save(
                measure=measure,
                period="augusti",
                value=Decimal(value),
                comparison_value=Decimal(comparison) if comparison is not None else None,
                by=leader,
            )
        services.assessment_save(
            goal=goal,
            period="augusti",
            data={
                "step": met,
                "method": spec["method"],
                "commentary": spec["commentary"],
                "key_activities": "\n".join(spec["key_activities"]),
                "state": "klar",
            },
            by=writer or leader,
            version=1,
        )
        added += 1
    config = services.settings_for(committee)
    on_track = ScaleStep.objects.get(scale=config.assignment_scale, rank=2)
    for assignment in Assignment.objects.filter(plan=plan):
        if assignment.assessments.filter(period="augusti").exists():
            continue
        services.assignment_assessment_save(
            assignment=assignment,
            period="augusti",
            data={"step": on_track, "commentary": ASSIGNMENT_COMMENTARY, "state": "klar"},
            by=leader,
            version=0,
        )
    return added


def _plan_2025(source, leader) -> PlanYear:
    plan = services.plan_copy(source=source, by=leader)
    for measure in Measure.objects.filter(goal__plan=plan).select_related("goal__level"):
        if measure.title in DROPPED_2025:
            services.measure_delete(measure=measure, by=leader)
        elif measure.title in RENAMED_2025:
            data = {name: getattr(measure, name) for name in services.MEASURE_FIELDS}
            data["title"] = RENAMED_2025[measure.title]
            services.measure_save(
                goal=measure.goal, measure=measure, data=data, version=measure.version, by=leader
            )
    goals = list(plan.goals.filter(level__code="NAMNDMAL").order_by("sort_order", "pk"))
    for goal, spec in zip(goals, GOALS, strict=True):
        for m, (title, unit) in enumerate(NEW_2025.get(spec["key"], []), start=1):
            services.measure_save(goal=goal, data=_measure_data(title, unit, 0, m * 10), by=leader)
    return plan


@transaction.atomic
def load(*, by) -> str:
    committee = Committee.objects.get(code="SN")
    story = Story()  # the dates of the story, see solna_sn.demo.Story
    services.setup_defaults(committee)
    leader = _leader() or by
    plan_2024 = PlanYear.objects.filter(committee=committee, year=2024).first()
    created = []
    if plan_2024 is None:
        plan_2024 = _plan_2024(committee, leader)
        created.append("2024")
    story.happened(datetime.date(2023, 10, 9))  # with the verksamhetsplan 2024
    assessed = _assess_august_2024(plan_2024, committee, leader)
    story.happened(datetime.date(2024, 9, 6))  # for the delårsrapport per augusti
    if not PlanYear.objects.filter(committee=committee, year=2025).exists():
        _plan_2025(plan_2024, leader)
        created.append("2025")
    story.happened(datetime.date(2024, 9, 20))  # written for the verksamhetsplan 2025
    plan_2025 = PlanYear.objects.get(committee=committee, year=2025)
    adopted = ""
    if not plan_2025.is_adopted:
        services.plan_adopt(
            plan=plan_2025,
            decided_on=solna_demo.VP_2025_DECIDED_ON,
            paragraph=solna_demo.VP_2025_PARAGRAPH,
            by=leader,
        )
        adopted = f"; 2025 fastställt {solna_demo.VP_2025_DECIDED_ON.isoformat()}"
    story.happened(solna_demo.VP_2025_DECIDED_ON, 19)
    if not PlanYear.objects.filter(committee=committee, year=2026).exists():
        _plan_2026(committee, plan_2025, leader)
        created.append("2026 (planering, kopia av 2025)")
    story.happened(datetime.date(2025, 1, 27))  # next year's planning begins
    if created:
        listed = " och ".join([", ".join(created[:-1]), created[-1]] if created[1:] else created)
        made = f"nya målträd {listed}"
    else:
        made = "målträden fanns redan"
    return f"{made}; {assessed} nya bedömningar per augusti 2024{adopted}."


def _plan_2026(committee, plan_2025: PlanYear, leader) -> PlanYear:
    """Next year's plan beside this year's follow-up: every part of the verksamhetsplan 2025
    (goal tree, budget, taxor, kvalitetsdeklarationer, internkontrollplan) copied, then one
    nämndmål reworded."""
    planning.start_next_year(committee=committee, year=2025, by=leader)
    plan = PlanYear.objects.get(committee=committee, year=2026)
    titles = {spec["key"]: spec["title"] for spec in GOALS}
    for goal in plan.goals.select_related("level", "parent").prefetch_related("agenda2030"):
        key = next((k for k, title in titles.items() if title == goal.title), None)
        if key in REWORDED_2026:
            services.goal_save(
                plan=plan,
                goal=goal,
                version=goal.version,
                data={
                    "level": goal.level,
                    "parent": goal.parent,
                    "title": REWORDED_2026[key],
                    "description": goal.description,
                    "agenda2030": list(goal.agenda2030.all()),
                    "responsible_unit": goal.responsible_unit,
                    "sort_order": goal.sort_order,
                },
                by=leader,
            )
    return plan
