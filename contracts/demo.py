"""Demo avtal, upphandlingar and avtalsuppföljning for Socialnämnden i Solna stad.

From the papers of 7 October 2024 (shared/domain/handlingar-2024-10-07.md §7, §1.12, §8):
grupp- och träningsbostäder on entreprenad ending 2025-02-28 with the new procurement
SN/2024:23, personligt ombud with Stiftelsen Parasoll (SN/2020:101) and the new joint
procurement SN/2024:49, familjerådgivning with kundval, the Barnahus agreement (Stockholm as
huvudman, 438 000 kr per year 2025–2029) and the vehicle call-off SN/2023:94 in the
konkurrensplan. Then the 2024 tidsplan and one approved ordinarie follow-up of
familjerådgivning. Supplier names other than Parasoll and Stockholm are invented; ratings and
texts are demo summaries, not the original papers.

Everything goes through contracts.services, as the demo user whose role does the step.
Idempotent: nothing is done when the familjerådgivning contract already exists.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction

from casework.models import Meeting
from contracts import rules, services
from contracts.models import (
    AcquisitionForm,
    ActivityStatus,
    Contract,
    ContractFollowUp,
    FollowUpKind,
    FollowUpTemplate,
    Frequency,
    Outcome,
    ProcurementStatus,
    Rating,
    TemplateArea,
    TemplateItem,
)
from solna_sn.demo import Story
from solna_sn.models import Unit, User

# The follow-ups are planned on casework's demo meetings.
DEPENDS_ON = ("casework",)

D = datetime.date
MARKER = "Familjerådgivning med kundval"
PLAN_YEAR = 2024

TEMPLATES = {
    "Boende och stöd enligt SoL och LSS": [
        (
            "Verksamhetens innehåll",
            [
                "Insatserna ges enligt uppdraget och biståndsbeslutet",
                "Varje boende har en aktuell genomförandeplan",
                "Verksamheten använder kunskapsbaserade arbetssätt",
            ],
        ),
        (
            "Personal och kompetens",
            [
                "Personalen har den utbildning som avtalet kräver",
                "Nyanställda får en strukturerad introduktion",
                "Personalen får regelbunden handledning",
            ],
        ),
        (
            "Dokumentation och avvikelser",
            [
                "Dokumentationen förs löpande och beskriver insatsen",
                "Avvikelser rapporteras, utreds och leder till åtgärder",
            ],
        ),
        (
            "Delaktighet och inflytande",
            [
                "Den enskilde är med och planerar sin insats",
                "Den enskilde får ta del av det som dokumenteras om henne eller honom",
            ],
        ),
        (
            "Lokaler, säkerhet och kost",
            [
                "Lokalerna är ändamålsenliga och tillgängliga",
                "Brandskyddet är kontrollerat",
                "Måltiderna är varierade och näringsriktiga",
            ],
        ),
    ],
    "Familjerådgivning": [
        (
            "Verksamhetens innehåll",
            [
                "Första samtal erbjuds inom den tid avtalet anger",
                "Samtalen ges med sekretess och utan journalföring",
            ],
        ),
        ("Personal och kompetens", ["Familjerådgivarna har den kompetens avtalet kräver"]),
        (
            "Kvalitet och klagomål",
            [
                "Leverantören har ett ledningssystem för kvalitet",
                "Synpunkter och klagomål tas om hand och följs upp",
            ],
        ),
        (
            "Ekonomi och fakturering",
            [
                "Leverantörens ekonomiska ställning motsvarar avtalets krav",
                "Fakturorna följer avtalets priser och villkor",
            ],
        ),
        ("Lokaler, säkerhet och tillgänglighet", ["Lokalerna är tillgängliga och avskilda"]),
    ],
}


def _user(username: str, fallback):
    return User.objects.filter(username=username, is_active=True).first() or fallback


def _template(name: str) -> FollowUpTemplate:
    template, created = FollowUpTemplate.objects.get_or_create(
        name=name, defaults={"description": "Demomall med numrerade områden och punkter."}
    )
    if created:
        for number, (title, items) in enumerate(TEMPLATES[name], start=1):
            area = TemplateArea.objects.create(template=template, number=number, title=title)
            for n, text in enumerate(items, start=1):
                TemplateItem.objects.create(area=area, number=n, text=text)
    return template


def _extend(contract: Contract, by) -> None:
    """Use every option of the contract's pattern, one after the other."""

    contract = Contract.objects.prefetch_related("extensions").get(pk=contract.pk)
    while True:
        period = rules.next_option_period(
            contract.end_date, contract.pattern, contract.used_periods
        )
        if period is None:
            return
        services.contract_extension_add(
            contract=contract, start_date=period.start, end_date=period.end, by=by
        )
        contract = Contract.objects.prefetch_related("extensions").get(pk=contract.pk)


def load(*, by) -> str:
    if Contract.objects.filter(name=MARKER).exists():
        return "avtalen finns redan; inget nytt skapat."
    staff = _user("granskare", by)  # registers for every enhet
    planner = _user("controller", by)
    chief = _user("forvaltningschef", by)
    units = {unit.code: unit for unit in Unit.objects.all()}
    story = Story()  # the dates of the story, see solna_sn.demo.Story
    with transaction.atomic():
        housing = _template("Boende och stöd enligt SoL och LSS")
        counselling = _template("Familjerådgivning")

        group_homes = services.contract_create(
            by=staff,
            name="Sunnängens gruppboende och Västra vägens stöd- och träningsboende",
            area="Grupp- och träningsbostäder",
            acquisition=AcquisitionForm.ENTREPRENAD,
            start_date=D(2021, 3, 1),
            end_date=D(2023, 2, 28),
            term_pattern="2+1+1",
            price_model="Fast ersättning per plats och månad.",
            unit=units["VUX"],
            template=housing,
            suppliers=[services.SupplierInput("Exempelomsorg AB (demo)")],
        )
        _extend(group_homes, staff)
        ombud = services.contract_create(
            by=staff,
            name="Personligt ombud",
            area="Personligt ombud",
            dnr="SN/2020:101",
            acquisition=AcquisitionForm.OWN,
            purchasing_party="Upphandlad med nordvästkommunerna, Upplands-Bro samordnade",
            start_date=D(2021, 5, 2),
            end_date=D(2023, 5, 1),
            term_pattern="2+1+1",
            price_model="Årlig ersättning med indexuppräkning.",
            unit=units["VUX"],
            template=housing,
            suppliers=[services.SupplierInput("Stiftelsen Parasoll")],
        )
        _extend(ombud, staff)
        family = services.contract_create(
            by=staff,
            name=MARKER,
            area="Familjerådgivning",
            acquisition=AcquisitionForm.LOV,
            start_date=D(2019, 1, 1),
            price_model="Pris per samtal enligt kundvalssystemet.",
            unit=units["EA"],
            template=counselling,
            suppliers=[
                services.SupplierInput("Exempel Familjeterapi AB (demo)"),
                services.SupplierInput("Parsamtal i Solna (demo)"),
                services.SupplierInput("Relationsmottagningen Norr (demo)"),
            ],
        )
        services.contract_create(
            by=staff,
            name="Boendetjänster för ensamkommande barn och unga",
            area="Boenden för ensamkommande barn och unga",
            acquisition=AcquisitionForm.LOV,
            start_date=D(2018, 1, 1),
            unit=units["BOU"],
            template=housing,
            suppliers=[services.SupplierInput("Ungdomsboendet Exempel (demo)")],
        )
        barnahus = services.contract_create(
            by=staff,
            name="Överenskommelse om finansiering av Barnahus Stockholm",
            area="Barnahus",
            dnr="SN/2024:70",
            acquisition=AcquisitionForm.MUNICIPAL,
            purchasing_party="Stockholms stad (huvudman)",
            start_date=D(2025, 1, 1),
            end_date=D(2029, 12, 31),
            annual_value=Decimal("438000"),
            price_model="Kostnaden fördelas mellan kommunerna efter folkmängd.",
            documents="Överenskommelse om finansiering av Barnahus Stockholm",
            unit=units["BOU"],
            suppliers=[
                services.SupplierInput("Socialförvaltningen, Stockholms stad", "212000-0142")
            ],
        )
        story.happened(D(2024, 1, 15))  # the register is entered

        services.procurement_create(
            by=staff,
            designation="Grupp- och träningsbostäder",
            area="Socialpsykiatri",
            dnr="SN/2024:23",
            status=ProcurementStatus.ONGOING,
            coordinator="Solna",
            planned_start=D(2024, 2, 1),
            contract_start=D(2025, 3, 1),
            follow_up="Underlaget för upphandlingen tas fram med stadens upphandlingsenhet "
            "och ska upp i nämnden under hösten.",
            unit=units["VUX"],
            replaces=[group_homes],
        )
        services.procurement_create(
            by=staff,
            designation="Upphandling avseende personligt ombud",
            area="Socialpsykiatri",
            dnr="SN/2024:49",
            status=ProcurementStatus.ONGOING,
            partners="Danderyd\nSigtuna\nSollentuna\nSundbyberg\nUpplands-Bro\nUpplands Väsby",
            coordinator="Solna",
            planned_start=D(2024, 9, 17),
            contract_start=D(2025, 5, 2),
            follow_up="Leverantören vill inte förlänga på nuvarande villkor. Solna samordnar "
            "en ny upphandling med grannkommunerna och upphandlingsenheten.",
            unit=units["VUX"],
            replaces=[ombud],
        )
        services.procurement_create(
            by=staff,
            designation="Avrop av fordon till socialförvaltningen",
            dnr="SN/2023:94",
            status=ProcurementStatus.PLANNED,
            plan_year=2025,
            unit=units["STAB"],
        )
        story.happened(D(2024, 9, 17))  # the procurements, as the konkurrensplan is prepared

        plan = services.plan_generate(year=PLAN_YEAR, by=planner)
        october = _october_meeting()
        schedule = {
            family.pk: (FollowUpKind.ORDINARY, october, D(2024, 10, 7)),
            group_homes.pk: (FollowUpKind.SIMPLIFIED, None, D(2024, 11, 11)),
        }
        for followup in plan.followups.all():
            kind, meeting, day = schedule.get(
                followup.contract_id, (followup.kind, None, D(2024, 12, 9))
            )
            services.plan_followup_update(
                followup=followup,
                kind=kind,
                meeting=meeting,
                planned_date=None if meeting else day,
                by=planner,
            )
        story.happened(D(2024, 1, 29))
        services.plan_approve(plan=plan, by=chief)
        story.happened(D(2024, 2, 5))
        _family_followup(
            ContractFollowUp.objects.get(plan=plan, contract=family), staff, chief, story
        )
    planned = plan.followups.count()
    return (
        f"5 avtal, 3 upphandlingar, tidsplan {PLAN_YEAR} med {planned} uppföljningar, "
        f"en godkänd ordinarie uppföljning av familjerådgivning; Barnahus ({barnahus.dnr}) "
        "börjar 2025."
    )


def _october_meeting():

    return Meeting.objects.filter(date=D(2024, 10, 7)).first()


def _family_followup(followup: ContractFollowUp, staff, chief, story: Story) -> None:
    followup = services.followup_start(followup=followup, by=staff)
    ratings = {
        "1.1": (Rating.VERY_GOOD, "Alla leverantörer erbjuder första samtal inom avtalad tid."),
        "1.2": (Rating.VERY_GOOD, ""),
        "2.1": (Rating.GOOD, "Intyg om utbildning finns för samtliga rådgivare."),
        "3.1": (Rating.GOOD, ""),
        "3.2": (Rating.GOOD, "Få klagomål; de som kommit in har besvarats."),
        "4.1": (Rating.DEFICIENT, "En leverantör har lägre kreditvärdighet än avtalet kräver."),
        "4.2": (Rating.GOOD, "Mindre fel i fakturor hos tre leverantörer."),
        "5.1": (Rating.VERY_GOOD, ""),
    }
    services.followup_save(
        followup=followup,
        data={
            "method_documents": "Kvalitetsberättelser, kreditupplysningar, fakturor och "
            "statistik över väntetider.",
            "method_visits": "Besök hos två av leverantörerna.",
            "method_interviews": "Verksamhetsansvariga hos samtliga leverantörer.",
            "items": {item.pk: ratings[item.code] for item in followup.items.all()},
            "outcome": Outcome.DEVIATIONS,
            "verdict": "Leverantörerna bedriver en väl fungerande verksamhet och följer i "
            "huvudsak avtalet. Ekonomin hos en leverantör och faktureringen hos tre ska "
            "följas upp under hösten.",
            "completed_on": D(2024, 8, 30),
        },
        by=staff,
    )
    story.happened(D(2024, 8, 30))
    for frequency, text, status in [
        (Frequency.MONTHLY, "Rapporterar antal samtal och väntetider", ActivityStatus.ONGOING),
        (Frequency.QUARTERLY, "Går igenom avvikelser och klagomål", ActivityStatus.ONGOING),
        (Frequency.YEARLY, "Lämnar kvalitetsberättelse", ActivityStatus.ONGOING),
        (Frequency.YEARLY, "Lämnar årsredovisning", ActivityStatus.ONGOING),
    ]:
        activity = services.activity_add(
            followup=followup, frequency=frequency, text=text, status=status, by=staff
        )
        if text == "Lämnar årsredovisning":
            services.activity_update(
                activity=activity,
                status=status,
                places={"Parsamtal i Solna (demo)": ActivityStatus.DEVIATION},
                by=staff,
            )
    services.deficiency_add(
        followup=followup,
        description="En leverantör har lägre kreditvärdighet än avtalets krav.",
        action="Leverantören redovisar hur ekonomin ska stärkas.",
        deadline=D(2024, 11, 30),
        by=staff,
    )
    services.deficiency_add(
        followup=followup,
        description="Mindre fel i faktureringen hos tre leverantörer.",
        action="Leverantörerna rättar fakturorna och stämmer av mot avtalets priser.",
        deadline=D(2024, 10, 31),
        by=staff,
    )
    story.happened(D(2024, 9, 2))
    services.followup_approve(followup=followup, by=chief)
    story.happened(D(2024, 9, 9))
