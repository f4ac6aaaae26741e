"""Demo reports: the Delårsrapport per augusti 2024, sent to the meeting of 7 October 2024
and frozen, and an Årsredovisning 2024 in progress with texts carried over, sections assigned
to the demo users, some klar, and a correction registered on the delårsrapport; the
Verksamhetsplan och budget 2025 written, sent to the same meeting after its memo, its decision
recorded and the plan year adopted by it.

Idempotent. Independent of the order of INSTALLED_APPS: what it needs from other apps (the
ärende SN/2023:1 and the meeting of casework's demo, the 2024 goal tree of goals' demo) is
looked up, and a report whose prerequisites are missing is skipped with a message.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from casework import services as casework_services
from casework.models import Case, Meeting
from controls.models import ControlPlan, PlanState
from printing import services as printing
from printing.models import RenderStatus
from reports import assembly, printed, risk_links, services
from reports.models import Report, ReportKind, SectionMode
from solna_sn import demo as solna_demo
from solna_sn.demo import Story
from solna_sn.errors import StateError
from solna_sn.models import Committee, Unit, User

MEETING_DATE = datetime.date(2024, 10, 7)
# Sent to the nämnd with the kallelse of that meeting (see casework.demo).
SENT_DATE = datetime.date(2024, 9, 25)
# The source has no protokoll of 7 October 2024: the § of the decision on the plan is the demo's
# assumption, shared with the loaders that adopt the plan's parts (solna_sn.demo).
VP_PARAGRAPH = int(solna_demo.VP_2025_PARAGRAPH.removeprefix("§").strip())
VP_DECISION = (
    "Socialnämnden fastställer förvaltningens förslag till verksamhetsplan och budget "
    "inklusive mål, ekonomiska ramar, konkurrensplan och internkontrollplan."
)

# Own short summaries of the sources' texts, per canonical section title.
TEXTS = {
    "Sammanfattning": (
        "<ul><li>Nya insatser för barn och unga har kommit i gång, bland annat hembesök och "
        "ett skolsocialt team.</li><li>En avhopparverksamhet har startat.</li>"
        "<li>Förvaltningen förbereder sig för den nya socialtjänstlagen.</li></ul>"
        "<p>Alla fyra nämndmål bedöms gå enligt plan. Nettokostnaderna uppgår till "
        "{netto} mkr.</p>"
    ),
    "Händelser av väsentlig betydelse": (
        "<p>Fältverksamheten har utökats och ett gemensamt arbete med stadens "
        "trygghetsstrategi pågår. Nya lagar om barn i skyddat boende och utreseförbud för barn "
        "har börjat gälla.</p>"
    ),
    "Socialnämndens ansvarsområden": (
        "<p>Socialnämnden ansvarar för individ- och familjeomsorg: barn och unga, vuxna med "
        "missbruk, ekonomiskt bistånd och arbetsmarknadsinsatser.</p>"
    ),
    "Tvärsektoriella frågor": (
        "<h3>Internationellt</h3><p>Förvaltningen deltar i nätverk för verksamhets- och "
        "kvalitetsutveckling.</p><h3>Likabehandling</h3><p>Arbetet med tillgänglighet och "
        "bemötande fortsätter.</p><h3>Miljö och klimat</h3><p>Resor och inköp ses över för "
        "effektiv resursanvändning.</p>"
    ),
    "Driftredovisning": (
        "<p>Nämndens kostnader är lägre än budget för perioden, främst inom ekonomiskt "
        "bistånd och placeringar.</p>"
    ),
    "Väsentliga personalförhållanden": (
        "<p>Personalomsättningen har minskat och sjukfrånvaron ligger på samma nivå som i fjol.</p>"
    ),
    "Förväntad utveckling": (
        "<p>Den nya socialtjänstlagen ställer krav på mer förebyggande arbete. Förvaltningen "
        "planerar för det inom befintlig ram.</p>"
    ),
    "Intern kontroll": (
        "<p>Internkontrollplanen har följts upp per augusti. Resultaten redovisas i tabellen "
        "nedan.</p>"
    ),
    "Verksamhetsmått": (
        "<p>Verksamhetsmåtten redovisas per månad för innevarande och de två föregående åren.</p>"
    ),
    "Återrapportering av vissa nämndbeslut": (
        "<p>Här redovisas beslut som nämnden har begärt återrapportering av.</p>"
    ),
}


# Own short summaries of the VP 2025's texts (domain/handlingar-2024-10-07.md §1.4, §7.2, §8).
VP_TEXTS = {
    "Sammanfattning": (
        "<p>Kommunstyrelsen beslutade i juni 2024 om budget 2025 med inriktning för 2026 och "
        "2027. Nämndens fyra mål ligger fast:</p><ul><li>ett gott stöd så att solnaborna kan "
        "ta tillvara egna resurser</li><li>hållbara lösningar på hemmaplan</li><li>barn och "
        "ungdomar ska inte fara illa</li><li>insatser utifrån individens behov i bred "
        "samverkan</li></ul><p>Med en generell uppräkning på 2,0 procent och en något lägre "
        "volym blir nämndens nettokostnader {netto} mkr. Investeringsbudgeten är 0,1 mkr.</p>"
    ),
    "Socialnämndens ansvarsområden": (
        "<p>Socialnämnden ansvarar för individ- och familjeomsorgen: stöd till barn, unga och "
        "familjer, vuxna med missbruk eller psykisk funktionsnedsättning, ekonomiskt bistånd, "
        "arbetsmarknadsinsatser och tillstånd för servering och tobaksförsäljning.</p>"
    ),
    "Nämndens kvalitetsdeklarationer": (
        "<p>Kvalitetsdeklarationerna beskriver vilken service den enskilde kan räkna med, "
        "oavsett vem som utför den. När den nya socialtjänstlagen börjar gälla ses alla "
        "deklarationer över.</p>"
    ),
    "Organisation": (
        "<p>Socialförvaltningen har fyra enheter: stabsenheten, ekonomi- och "
        "arbetsmarknadsenheten, barn- och ungdomsenheten och vuxenenheten. En del av "
        "verksamheten drivs tillsammans med andra kommuner.</p>"
        "<h4>Upphandlad verksamhet</h4><ul><li>Sunnängårdens gruppboende och Västra vägens "
        "stöd- och träningsboende</li><li>Personliga ombud</li><li>Familjerådgivning med "
        "kundval</li></ul>"
        "<h4>Kommungemensam verksamhet</h4><ul><li>Socialjour (Sigtuna huvudman)</li>"
        "<li>Origo, resurscentrum mot hedersrelaterat förtryck och våld (Stockholm "
        "huvudman)</li><li>FoU Nordväst (Sollentuna huvudman)</li><li>Barnahus (Stockholm "
        "huvudman)</li><li>MiniMaria för Solna och Sundbyberg (Solna huvudman)</li></ul>"
    ),
    "Nämndmål": (
        "<p>Nämndmålen visar hur nämnden bidrar till stadens övergripande mål. Under varje "
        "nämndmål står måtten och de aktiviteter som förvaltningen särskilt ska arbeta med "
        "under året.</p>"
    ),
    "Driftbudget, nämnd": (
        "<p>Nämndens ram för 2025 är {netto} mkr. Ramen bygger på en generell uppräkning med "
        "2,0 procent och en något lägre volym. Förändring avser budget 2024 minus budget "
        "2025.</p>"
    ),
    "Driftbudget, per verksamhet": (
        "<p>Fördelningen mellan verksamheterna kan justeras när detaljbudgeten är klar.</p>"
    ),
    "Investeringsbudget": "<p>Investeringsbudgeten avser kapitalinventarier.</p>",
    "Taxor och avgifter": (
        "<p>Inför 2025 föreslås inga nya beslut om nya eller förändrade taxor.</p>"
    ),
    "Väsentliga personalförhållanden": (
        "<p>Förvaltningen arbetar vidare med att behålla och rekrytera medarbetare, med "
        "introduktion, kompetensutveckling och ett hållbart arbetsmiljöarbete.</p>"
    ),
    "Tvärsektoriella frågor": (
        "<p><strong>Internationellt.</strong> Förvaltningen deltar i nätverk för utveckling "
        "av verksamheten.</p><p><strong>Likabehandling.</strong> Alla ska bemötas lika och "
        "verksamheten ska vara tillgänglig.</p><p><strong>Miljö och klimat.</strong> Resor "
        "och inköp görs med hänsyn till miljön.</p>"
    ),
    "Förväntad utveckling": (
        "<p>Den nya socialtjänstlagen ger ett större förebyggande uppdrag. Förvaltningen "
        "ska under året:</p><ul><li>Att stärka det förebyggande arbetet för barn och "
        "unga.</li><li>Att utveckla samverkan med andra nämnder och myndigheter.</li>"
        "<li>Att använda resurserna effektivt inom given ram.</li></ul>"
    ),
    "Konkurrensutsättning": (
        "<p>Insatser för barn och unga och för vuxna köps främst via Adda inköpscentrals "
        "ramavtal. Grupp- och träningsbostäderna drivs på entreprenad; en ny upphandling "
        "pågår med planerad avtalsstart 1 mars 2025. Nya leverantörer kvalificerar sig "
        "löpande till avtalen om familjerådgivning och boenden för ensamkommande barn och "
        "unga.</p>"
    ),
    "Större avrop på befintliga ramavtal": (
        "<p>Löpande avrop görs under året på ramavtal för insatser för barn och unga, för "
        "vuxna med missbruk och inom socialpsykiatrin.</p>"
    ),
    "Intern kontroll": (
        "<p>Varje risk är kopplad till en process. Enheterna bedömer sannolikhet och "
        "konsekvens; riskindex är produkten. Kontrollmomenten visar hur nämnden följer att "
        "risken inte inträffar, och planen följs upp i delårsrapporten och "
        "årsredovisningen.</p>"
    ),
}

VP_WRITERS = {
    "Sammanfattning": "granskare",
    "Organisation": "handlaggare",
    "Driftbudget, nämnd": "controller",
    "Driftbudget, per verksamhet": "controller",
    "Investeringsbudget": "controller",
    "Taxor och avgifter": "controller",
    "Väsentliga personalförhållanden": "controller",
}


def _users() -> dict[str, User]:
    return {u.username: u for u in User.objects.filter(username__in=USERNAMES)}


USERNAMES = ("handlaggare", "controller", "granskare", "forvaltningschef")
# The reports are written from every module's demo data, and the meeting's from casework's.
DEPENDS_ON = ("casework", "metrics", "controls", "contracts", "goals", "economy")


def _netto_reference(report: Report) -> str:
    """A live reference to the nettokostnader if a generator offers one, else the number
    (the delårsrapport's for the period, the plan's budget for the plan year)."""
    figures, _ = assembly.live_figures(report, report.sections.all())
    for key, (label, text) in figures.items():
        if "nettokostnad" in label.lower() and text.startswith("-"):
            return f'<span data-figure="{key}">{text}</span>'
    return "-231,2" if report.kind.plan else "-138,2"


def _write(
    report: Report, users: dict[str, User], *, done_titles=None, writers=None, texts=None
) -> None:
    writers = writers or {}
    texts = TEXTS if texts is None else texts
    netto = _netto_reference(report)
    for section in report.sections.filter(mode=SectionMode.WRITTEN).order_by("order"):
        writer = users[writers.get(section.title, "granskare")]
        services.section_assign(section=section, writer=writer, by=users["granskare"])
        text = texts.get(section.title)
        if text:
            section.refresh_from_db()
            services.section_save(
                section=section,
                version=section.version,
                body=text.replace("{netto}", netto),
                by=writer,
            )
        if (done_titles is None or section.title in done_titles) and (text or section.body):
            services.section_mark(section=section, done=True, by=writer)


WRITERS = {
    "Sammanfattning": "granskare",
    "Händelser av väsentlig betydelse": "handlaggare",
    "Driftredovisning": "controller",
    "Väsentliga personalförhållanden": "controller",
}


REVIEW_COMMENT = "Nämn i sammanfattningen att placeringskostnaderna följs upp varje månad."
REVIEW_ADDITION = (
    "<p>Kostnaderna för placeringar följs upp månadsvis tillsammans med ekonomienheten.</p>"
)


def _review_round(report: Report, users) -> None:
    """The förvaltningschef returns the report once and the summary gets a sentence, so the
    redline between the version sent for review and the one sent to the nämnd shows it."""
    services.report_return(report=report, by=users["forvaltningschef"], comment=REVIEW_COMMENT)
    section = report.sections.get(title="Sammanfattning")
    writer = users[WRITERS["Sammanfattning"]]
    services.section_save(
        section=section, version=section.version, body=section.body + REVIEW_ADDITION, by=writer
    )
    services.report_submit(report=report, by=writer)


def _delarsrapport(committee, users, story: Story) -> str:
    kind = ReportKind.objects.get(committee=committee, code="delarsrapport")
    if Report.objects.filter(kind=kind, year=2024).exists():
        return "delårsrapporten 2024 finns redan"
    case = Case.objects.filter(dnr="SN/2023:1").first()
    meeting = Meeting.objects.filter(committee=committee, date=MEETING_DATE).first()
    if case is None or meeting is None:
        return "delårsrapporten hoppades över (ärendet SN/2023:1 eller sammanträdet saknas)"
    try:
        report = services.report_create(
            kind=kind, year=2024, case=case, meeting=meeting, by=users["granskare"]
        )
    except ValidationError as error:
        return f"delårsrapporten hoppades över ({' '.join(error.messages)})"
    story.happened(datetime.date(2024, 9, 2))
    _write(report, users, writers=WRITERS)
    story.happened(datetime.date(2024, 9, 12))
    chief = users["forvaltningschef"]
    services.report_submit(report=report, by=users["granskare"])
    story.happened(datetime.date(2024, 9, 13))
    _review_round(report, users)
    story.happened(datetime.date(2024, 9, 16))
    services.report_approve(report=report, by=chief)
    story.happened(datetime.date(2024, 9, 18))
    services.report_send(report=report, by=chief, confirm_warnings=True)
    if case.memos.exists():  # casework's demo wrote "Tjänsteskrivelse — Delårsrapport …"
        services.report_memo_create(report=report, by=chief)
    story.happened(SENT_DATE, 11)
    services.report_correction_add(
        report=report,
        by=chief,
        text="Verksamhetsmått: antalet hushåll med ekonomiskt bistånd i juli 2024 är rättat "
        "efter att rapporten skickades. Rapporten visar det värde som gällde då.",
    )
    story.happened(datetime.date(2024, 10, 21))
    return "delårsrapporten 2024 skickad och fryst, med en rättelse"


def _arsredovisning(committee, users, story: Story) -> str:
    kind = ReportKind.objects.get(committee=committee, code="arsredovisning")
    if Report.objects.filter(kind=kind, year=2024).exists():
        return "årsredovisningen 2024 finns redan"
    stab = Unit.objects.filter(code="STAB").first()
    try:
        case = casework_services.case_register(
            committee=committee,
            title="Årsredovisning 2024",
            unit=stab,
            by=users["granskare"],
            today=datetime.date(2024, 12, 2),
        )
        report = services.report_create(
            kind=kind, year=2024, case=case, by=users["granskare"], carry_over=True
        )
    except (ValidationError, StateError) as error:
        return f"årsredovisningen hoppades över ({error})"
    story.happened(datetime.date(2024, 12, 2))
    _write(
        report,
        users,
        writers=WRITERS,
        done_titles={"Styrning och uppföljning av den kommunala verksamheten", "Intern kontroll"},
    )
    story.happened(datetime.date(2025, 1, 20))
    done = report.sections.filter(mode=SectionMode.WRITTEN, status="klar").count()
    total = report.sections.filter(mode=SectionMode.WRITTEN).count()
    return f"årsredovisningen 2024 pågår ({done} av {total} avsnitt klara)"


def _verksamhetsplan(committee, users, story: Story) -> str:
    kind = ReportKind.objects.get(committee=committee, code="verksamhetsplan")
    if Report.objects.filter(kind=kind, year=2025).exists():
        return "verksamhetsplanen 2025 finns redan"
    case = Case.objects.filter(dnr="SN/2024:1").first()
    meeting = Meeting.objects.filter(committee=committee, date=MEETING_DATE).first()
    if case is None or meeting is None:
        return "verksamhetsplanen hoppades över (ärendet SN/2024:1 eller sammanträdet saknas)"
    granskare, chief = users["granskare"], users["forvaltningschef"]
    _risk_links(committee, users)
    report = services.report_create(
        kind=kind, year=2025, case=case, meeting=meeting, by=granskare, carry_over=False
    )
    story.happened(datetime.date(2024, 8, 26))
    _write(report, users, writers=VP_WRITERS, texts=VP_TEXTS)
    story.happened(datetime.date(2024, 9, 11))
    services.report_submit(report=report, by=granskare)
    story.happened(datetime.date(2024, 9, 16), 14)
    services.report_approve(report=report, by=chief)
    story.happened(datetime.date(2024, 9, 18), 14)
    services.report_send(report=report, by=chief, confirm_warnings=True)
    services.report_memo_create(report=report, by=chief)  # links casework's memo if it exists
    story.happened(SENT_DATE, 11)
    item = meeting.items.filter(case=case).first()
    if item is None:
        return "verksamhetsplanen 2025 skickad (ärendet saknas på sammanträdet)"
    casework_services.decision_record(
        item=item,
        paragraph=VP_PARAGRAPH,
        text=VP_DECISION,
        report_back_required=False,
        by=granskare,
        today=MEETING_DATE,
    )
    try:
        services.report_adopt(report=report, by=chief)
    except StateError as error:
        return f"verksamhetsplanen 2025 skickad men inte fastställd ({error})"
    finally:
        story.happened(MEETING_DATE, 19)
    return f"verksamhetsplanen 2025 skickad och fastställd (§ {VP_PARAGRAPH})"


# Risks of the internkontrollplan 2025 and the nämndmål they threaten (by words of their texts).
RISK_GOALS = [
    ("Förhandsbedömningar görs inte inom lagstadgad tidsfrist", "far illa"),
    ("Utredningstider håller inte lagstadgade tidsfrister", "far illa"),
    ("Utredningstider för vuxna med missbruk", "hemmaplan"),
]


def _risk_links(committee, users) -> int:
    """Link a few risks of the draft internkontrollplan (2025 while it is a draft, else the
    planning of 2026) to the nämndmål they threaten."""
    plan = (
        ControlPlan.objects.filter(
            committee=committee, year__in=(2025, 2026), state=PlanState.DRAFT
        )
        .order_by("year", "-revision")
        .first()
    )
    if plan is None:
        return 0
    goals = list(risk_links.goal_choices(plan))
    made = 0
    for words, goal_words in RISK_GOALS:
        risk = plan.risks.filter(title__icontains=words).order_by("number").first()
        goal = next((g for g in goals if goal_words in g.title), None)
        if risk is None or goal is None:
            continue
        try:
            risk_links.link_add(risk=risk, goal=goal, by=users["controller"])
        except ValidationError:
            continue
        made += 1
    return made


def render_sent(*, by) -> int:
    """Render the PDF of every sent report here and now (there may be no worker while loading
    demo data), as casework's demo does for the meetings; idempotent by content hash."""
    rendered = 0
    for report in Report.objects.filter(sent_at__isnull=False).select_related("kind"):
        sections = report.sections.select_related("writer", "unit", "last_writer").order_by("order")
        html = printed.report_html(assembly.assemble(report, sections))
        document = services.pdf_request(report=report, html=html, by=by)
        if document.status == RenderStatus.QUEUED:
            printing.run(document.pk)
            rendered += 1
    return rendered


def load(*, by) -> str:
    """`by` is the user load_demo passes; each step is done by the demo user whose role it
    belongs to."""
    committee = Committee.objects.filter(code="SN").first()
    users = _users()
    if committee is None or len(users) < len(USERNAMES):
        return "hoppades över: nämnden eller demoanvändarna saknas."
    story = Story()  # the dates of the story, see solna_sn.demo.Story
    with transaction.atomic():
        services.kinds_seed(committee=committee, by=by)
        story.happened(datetime.date(2024, 1, 8))
        parts = [
            _delarsrapport(committee, users, story),
            _arsredovisning(committee, users, story),
            _verksamhetsplan(committee, users, story),
        ]
    story.skip()
    rendered = render_sent(by=users["forvaltningschef"])
    story.happened(SENT_DATE, 12)  # printed when it was sent
    if rendered:
        parts.append(f"{rendered} PDF framställd")
    kinds = ReportKind.objects.filter(committee=committee).count()
    return f"{kinds} rapporttyper; " + "; ".join(parts) + "."
