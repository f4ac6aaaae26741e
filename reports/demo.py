"""Demo reports: the Delårsrapport per augusti 2024, sent to the meeting of 7 October 2024
and frozen, and an Årsredovisning 2024 in progress with texts carried over, sections assigned
to the demo users, some klar, and a correction registered on the delårsrapport.

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
from printing import services as printing
from printing.models import RenderStatus
from reports import assembly, printed, services
from reports.models import Report, ReportKind, SectionMode
from solna_sn.demo import Story
from solna_sn.errors import StateError
from solna_sn.models import Committee, Unit, User

MEETING_DATE = datetime.date(2024, 10, 7)
# Sent to the nämnd with the kallelse of that meeting (see casework.demo).
SENT_DATE = datetime.date(2024, 9, 25)

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


def _users() -> dict[str, User]:
    return {u.username: u for u in User.objects.filter(username__in=USERNAMES)}


USERNAMES = ("handlaggare", "controller", "granskare", "forvaltningschef")


def _netto_reference(report: Report) -> str:
    """A live reference to the nettokostnader if a generator offers one, else the number."""
    figures, _ = assembly.live_figures(report, report.sections.all())
    for key, (label, text) in figures.items():
        if "nettokostnad" in label.lower() and text.startswith("-"):
            return f'<span data-figure="{key}">{text}</span>'
    return "-138,2"


def _write(report: Report, users: dict[str, User], *, done_titles=None, writers=None) -> None:
    writers = writers or {}
    netto = _netto_reference(report)
    for section in report.sections.filter(mode=SectionMode.WRITTEN).order_by("order"):
        writer = users[writers.get(section.title, "granskare")]
        services.section_assign(section=section, writer=writer, by=users["granskare"])
        text = TEXTS.get(section.title)
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
        parts = [_delarsrapport(committee, users, story), _arsredovisning(committee, users, story)]
    story.skip()
    rendered = render_sent(by=users["forvaltningschef"])
    story.happened(SENT_DATE, 12)  # printed when it was sent
    if rendered:
        parts.append(f"{rendered} PDF framställd")
    return "3 rapporttyper; " + "; ".join(parts) + "."
