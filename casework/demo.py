"""Demo ärenden, tjänsteskrivelser and sammanträden of Socialnämnden i Solna stad: the meeting
of 7 October 2024 (shared/domain/handlingar-2024-10-07.md) with its ärenden, memos, signatories
and the Barnahus agreement as an uploaded enclosure, the meeting of 4 December 2023 where the
nämndinitiativ was raised (§ 78, återrapporterat 2024-10-07), and an upcoming meeting with a
memo still in draft.

Everything goes through casework.services, acting as the demo user whose role does each step:
handläggaren writes (in her own enhet; the granskare writes for the other enheter), the
granskare approves and builds the ärendelista, the förvaltningschef sends. The memo texts are
short demo summaries, not the original papers. Idempotent: nothing is done when the meeting of
2024-10-07 already exists.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from casework import services
from casework.models import Case, Meeting, Memo, RenderKind
from printing import services as printing
from printing.models import RenderedDocument, RenderStatus
from solna_sn import permissions
from solna_sn.demo import Story
from solna_sn.lib.pdf import render_html
from solna_sn.models import Committee, Unit, User

MEETING_DATE = datetime.date(2024, 10, 7)
EARLIER_MEETING_DATE = datetime.date(2023, 12, 4)
# When the kallelser went out (the story's dates; see solna_sn.demo.Story).
KALLELSE_DATE = datetime.date(2024, 9, 26)
EARLIER_KALLELSE_DATE = datetime.date(2023, 11, 20)
MEETING_TIME = datetime.time(18, 0)
PLACE = "Solna stadshus, sammanträdesrum Råsunda"
OSL_REFERENCE = "26 kap. 1 § offentlighets- och sekretesslagen"

CHIEF = ("Mikael Olofsson", "Förvaltningschef")
STABSCHEF = ("Elin Nordström", "Stabschef")
BOU_CHEF = ("Emma Ling", "Enhetschef")
EA_CHEF = ("Parvin Banisadr", "Enhetschef")
VUX_CHEF = ("Aida Samson", "Enhetschef")

INITIATIVE_TITLE = "Nämndinitiativ från (M), (L) och (KD) om ekonomiskt bistånd"
BARNAHUS_AGREEMENT = "Överenskommelse om finansiering av Barnahus Stockholm"
DECISION_78 = (
    "Socialnämnden beslutar att nämndinitiativet får lämnas och tar emot det för beredning."
)


@dataclass(frozen=True)
class MemoSpec:
    key: str
    unit: str
    date: datetime.date
    title: str
    decision_proposal: str
    summary: str
    second_signatory: tuple[str, str]
    dnr: str = ""  # empty: allocated automatically
    case_title: str = ""  # when the ärende's title differs from the memo's
    registered_on: datetime.date | None = None  # default: the memo date
    dispatch_to: tuple[str, ...] = ()
    dispatch_bulleted: bool = True
    sections: tuple[tuple[str, str], ...] = ()


MEMOS = [
    MemoSpec(
        key="delarsrapport",
        dnr="SN/2023:1",
        unit="STAB",
        date=datetime.date(2024, 9, 23),
        title="Delårsrapport per augusti 2024",
        decision_proposal="Socialnämnden tar del av delårsrapport per augusti 2024.",
        summary=(
            "Delårsrapporten redovisar nämndens verksamhet, mål och ekonomi för januari till "
            "och med augusti 2024. Under perioden har bland annat nya insatser för barn och "
            "unga och en avhopparverksamhet kommit i gång, och förvaltningen förbereder sig "
            "för den nya socialtjänstlagen. Alla fyra nämndmål bedöms gå enligt plan.\n"
            "- Nettokostnaderna uppgår till 138,2 mkr, 9,2 mkr (7,0 %) mer än samma period "
            "i fjol.\n"
            "- Budgetavvikelsen för perioden är 13,0 mkr (9,4 %).\n"
            "- Prognosen för helåret är 16,2 mkr lägre kostnad än budget.\n"
            "- Nämnden har inga investeringar."
        ),
        second_signatory=STABSCHEF,
    ),
    MemoSpec(
        key="vp",
        dnr="SN/2024:1",
        unit="STAB",
        date=datetime.date(2024, 9, 23),
        title="Verksamhetsplan och budget 2025",
        decision_proposal=(
            "Socialnämnden fastställer förvaltningens förslag till verksamhetsplan och budget "
            "inklusive mål, ekonomiska ramar, konkurrensplan och internkontrollplan."
        ),
        summary=(
            "Verksamhetsplanen bygger på kommunstyrelsens beslut i juni 2024 om budget 2025 "
            "med inriktning för 2026 och 2027. Nämndens fyra mål ligger fast och planen "
            "beskriver de områden förvaltningen särskilt ska arbeta med under året. Med en "
            "generell uppräkning på 2,0 procent blir nämndens ram 231,2 mkr, och "
            "investeringsbudgeten är 0,1 mkr."
        ),
        second_signatory=STABSCHEF,
        dispatch_to=("Kommunstyrelsen",),
        dispatch_bulleted=False,
    ),
    MemoSpec(
        key="icke_verkstallda",
        dnr="SN/2024:42",
        unit="STAB",
        date=datetime.date(2024, 8, 24),
        title=(
            "Rapportering av icke verkställda beslut enligt socialtjänstlagen (SoL) "
            "2:a kvartalet 2024"
        ),
        decision_proposal=(
            "Socialnämnden tar del av informationen och överlämnar rapporten till "
            "kommunfullmäktige och Solna stads revisorer för kännedom."
        ),
        summary=(
            "Nämnden ska varje kvartal rapportera gynnande beslut enligt 4 kap. 1 § SoL som "
            "inte har verkställts inom tre månader till IVO, kommunfullmäktige och revisorerna. "
            "Stabsenheten har frågat enheterna inför rapporten. För andra kvartalet 2024 finns "
            "inga sådana beslut att rapportera och inga tidigare rapporterade beslut att följa "
            "upp."
        ),
        second_signatory=STABSCHEF,
        dispatch_to=("Kommunfullmäktige", "Solna stads revisorer"),
        dispatch_bulleted=True,
    ),
    MemoSpec(
        key="barnahus",
        dnr="SN/2024:70",
        unit="BOU",
        date=datetime.date(2024, 8, 27),
        title=BARNAHUS_AGREEMENT,
        decision_proposal=(
            "Socialnämnden godkänner överenskommelse om finansiering av Barnahus Stockholm och "
            "uppdrar åt förvaltningschef att underteckna överenskommelsen."
        ),
        summary=(
            "Barnahus Stockholm tar emot barn som kan ha utsatts för våld eller övergrepp, och "
            "Solna har deltagit sedan september 2014. Stockholms stad, Lidingö, Ekerö, Solna och "
            "Sundbyberg har tagit fram en ny överenskommelse om hur kostnaderna fördelas. För "
            "Solna stad blir kostnaden 438 000 kr per år 2025–2029, vilket ryms inom budget."
        ),
        second_signatory=BOU_CHEF,
        dispatch_to=("Socialförvaltningen, Stockholm stad", "Ekonomicontroller"),
        dispatch_bulleted=True,
    ),
    MemoSpec(
        key="namndinitiativ",
        dnr="SN/2023:96",
        case_title=INITIATIVE_TITLE,
        registered_on=EARLIER_MEETING_DATE,
        unit="EA",
        date=datetime.date(2024, 9, 21),
        title="Svar på nämndinitiativ från (M), (L) och (KD) om ekonomiskt bistånd",
        decision_proposal="Socialnämnden förklarar nämndinitiativet besvarat.",
        summary=(
            "Nämndinitiativet lämnades den 4 december 2023 och gäller fritidspeng, flitpeng och "
            "julpeng till hushåll med ekonomiskt bistånd. Förvaltningen har gått igenom hur "
            "stöden fungerar i dag och föreslår inga ändringar. Skälen redovisas under "
            "Förvaltningens förslag nedan."
        ),
        second_signatory=EA_CHEF,
        sections=(
            (
                "Förvaltningens förslag",
                "- Fritidspengen behålls i nuvarande form: högst 8 % av prisbasbeloppet per "
                "barn och kalenderår, för hushåll med bistånd minst sex av de senaste tolv "
                "månaderna.\n"
                "- Flitpengen på 500 kr i månaden vid minst 80 % närvaro bedöms rimlig.\n"
                "- Jobbstimulansen följer av lag (4 kap. 1 b § SoL) och innebär att 25 % av "
                "nettoinkomsten inte räknas med.\n"
                "- Julpengen på 1 500 kr per barn, som nämnden beslutade om 2023-10-09, har "
                "fungerat väl.",
            ),
            (
                "Nämndinitiativ",
                "Ledamöterna för (M), (L) och (KD) ville att förvaltningen skulle se över om "
                "stöden till barnfamiljer med ekonomiskt bistånd kan utformas så att de ger "
                "barnen bättre möjligheter till fritid och uppmuntrar till studier och arbete. "
                "Initiativet togs emot för beredning vid sammanträdet den 4 december 2023 "
                "(§ 78).",
            ),
        ),
    ),
    MemoSpec(
        key="personligt_ombud",
        dnr="SN/2024:49",
        unit="VUX",
        date=datetime.date(2024, 9, 17),
        title="Initiering av upphandling avseende Personligt ombud",
        decision_proposal=(
            "Socialnämnden beslutar att initiera upphandling av verksamhet med personliga ombud "
            "för personer med psykisk funktionsnedsättning i samverkan med Danderyd, Sigtuna, "
            "Sollentuna, Sundbyberg, Upplands-Bro och Upplands Väsby enligt förvaltningens "
            "förslag."
        ),
        summary=(
            "Solna har erbjudit personligt ombud sedan 2002 och upphandlat tjänsten tillsammans "
            "med nordvästkommunerna; i dag utförs den av Stiftelsen Parasoll. Nuvarande avtal "
            "gäller till 2025-05-01 med möjlig förlängning 2+1+1 år, men Parasoll vill inte "
            "förlänga på nuvarande villkor. Solna samordnar den nya upphandlingen, och det nya "
            "avtalet kan gälla högst fyra år inklusive förlängningar."
        ),
        second_signatory=VUX_CHEF,
        dispatch_to=("Upphandlingsenheten", "Berörda kommuner"),
        dispatch_bulleted=False,
        sections=(
            (
                "Bakgrund",
                "Personligt ombud är ett stöd enligt 3 kap. 1 § SoL. Verksamheten har fått "
                "statsbidrag sedan 2000, och Socialstyrelsen samordnade när den byggdes upp i "
                "landet.",
            ),
            (
                "Syfte och målgrupp",
                "Ombuden hjälper den enskilde att få sina behov kartlagda och att få rätt stöd "
                "från olika myndigheter. Stödet riktar sig till personer från 18 år med psykisk "
                "funktionsnedsättning som har omfattande behov av samordnade insatser.",
            ),
            (
                "Nuvarande verksamhet",
                "Solna har två personliga ombud som delar lokal med Sundbybergs ombud. Avtalet "
                "löper ut 2025-05-01 och Solna är upphandlande enhet i den nya upphandlingen.",
            ),
        ),
    ),
    MemoSpec(
        key="sekretess_barn",
        unit="BOU",
        date=datetime.date(2024, 9, 20),
        title="Individärende enligt socialtjänstlagen, barn och unga",
        decision_proposal="Socialnämnden beslutar i enlighet med förvaltningens förslag.",
        summary=(
            "Ärendet gäller enskilda barn och innehåller uppgifter som omfattas av sekretess. "
            "Utredningen och förvaltningens förslag redovisas för nämnden vid sammanträdet."
        ),
        second_signatory=BOU_CHEF,
    ),
    MemoSpec(
        key="sekretess_vuxen",
        unit="VUX",
        date=datetime.date(2024, 9, 20),
        title="Individärende enligt socialtjänstlagen, vuxna",
        decision_proposal="Socialnämnden beslutar i enlighet med förvaltningens förslag.",
        summary=(
            "Ärendet gäller en enskild vuxen och innehåller uppgifter som omfattas av sekretess. "
            "Utredningen och förvaltningens förslag redovisas för nämnden vid sammanträdet."
        ),
        second_signatory=VUX_CHEF,
    ),
]

# (label, memo key or None, title for items without ärende or with another title, confidential,
# show_contact_text)
AGENDA = [
    ("1", "delarsrapport", "", False, True),
    ("2", "vp", "", False, True),
    ("3", "icke_verkstallda", "", False, True),
    ("4-5", "sekretess_barn", "", True, True),
    ("6", "barnahus", "", False, True),
    (
        "7",
        "namndinitiativ",
        "Svar på nämndinitiativ från (M), (L) och (KD) om ekonomiskt bistånd",
        False,
        True,
    ),
    ("8", "personligt_ombud", "", False, True),
    ("9", None, "Anmälan av delegationsbeslut", False, True),
    ("10", None, "Anmälningsärenden", False, True),
    ("11", None, "Förvaltningschefen informerar", False, True),
    ("12", None, "Övriga frågor", False, True),
    ("13", "sekretess_vuxen", "", True, False),
]


def _demo_users() -> dict[str, User]:
    names = ("handlaggare", "granskare", "forvaltningschef")
    return {user.username: user for user in User.objects.filter(username__in=names)}


def _writer(users: dict[str, User], unit: Unit) -> User:
    """Handläggaren writes in her own enhet; the granskare writes for the others."""
    if permissions.can_write_memo(users["handlaggare"], unit):
        return users["handlaggare"]
    return users["granskare"]


def barnahus_agreement_pdf() -> bytes:
    """A short two-page stand-in for the agreement (a demo summary, not the original)."""
    html = f"""<!DOCTYPE html>
<html lang="sv">
<head>
<meta charset="utf-8">
<title>{BARNAHUS_AGREEMENT}</title>
<style>
@font-face {{ font-family: "Source Sans 3"; font-weight: 400;
  src: url("fonts/source-sans-3-latin-400-normal.woff") format("woff"); }}
@font-face {{ font-family: "Source Sans 3"; font-weight: 700;
  src: url("fonts/source-sans-3-latin-700-normal.woff") format("woff"); }}
@page {{ size: A4; margin: 25mm; }}
html {{ font-family: "Source Sans 3", sans-serif; font-size: 11pt; line-height: 1.4; }}
.new-page {{ break-before: page; }}
td, th {{ padding: 2pt 12pt 2pt 0; text-align: left; }}
</style>
</head>
<body>
<h1>{BARNAHUS_AGREEMENT}</h1>
<p>Demoexemplar: en kort sammanfattning av överenskommelsen, inte originalhandlingen.</p>
<p>Socialförvaltningen i Stockholms stad, Polismyndigheten, åklagarkamrarna och Region
Stockholm driver Barnahus Stockholm enligt ett avtal som gäller från 2025-01-01 tills vidare.
Verksamheten tar också emot barn från Lidingö, Ekerö, Solna och Sundbyberg. Den här
överenskommelsen reglerar hur de kommunerna bidrar till kostnaderna.</p>
<h2>1. Parter</h2>
<ul>
<li>Socialförvaltningen i Stockholms stad</li>
<li>Lidingö stad</li>
<li>Ekerö kommun</li>
<li>Solna stad</li>
<li>Sundbybergs stad</li>
</ul>
<h2>2. Parternas åtaganden</h2>
<p>Stockholms stad ansvarar för att driva verksamheten och följa upp den. Länskommunerna
deltar i samråds- och samverkansmöten och bidrar till uppföljningen.</p>
<section class="new-page">
<h2>3. Finansiering</h2>
<p>Kostnaden fördelas efter befolkningens storlek. Överenskommelsen gäller från 2025-01-01
till och med 2029-12-31.</p>
<table>
<thead><tr><th scope="col">Kommun</th><th scope="col">Kostnad per år</th></tr></thead>
<tbody>
<tr><td>Solna stad</td><td>438 000 kr</td></tr>
<tr><td>Sundbybergs stad</td><td>287 000 kr</td></tr>
<tr><td>Lidingö stad</td><td>248 000 kr</td></tr>
<tr><td>Ekerö kommun</td><td>148 000 kr</td></tr>
</tbody>
</table>
<h2>4. Underskrifter</h2>
<p>Överenskommelsen upprättas i två likalydande exemplar, ett för varje part.</p>
<p>För Solna stad: Mikael Olofsson, Socialchef</p>
<p>För Socialförvaltningen i Stockholms stad: Veronica Carstorp Wolgast, Förvaltningschef</p>
</section>
</body>
</html>"""
    return render_html(html, base_dir=printing.static_dir()).pdf


def _write_memo(case: Case, spec: MemoSpec, *, by: User, date: datetime.date) -> Memo:
    """Create the memo with its texts, signatories, sections and enclosures (still a draft)."""
    memo = services.memo_create(case=case, by=by, unit=case.unit, date=date)
    for signatory in list(memo.signatories.all()):
        services.memo_signatory_remove(signatory=signatory, by=by)
    for name, title in (CHIEF, spec.second_signatory):
        services.memo_signatory_add(memo=memo, by=by, name=name, title=title)
    data = {
        "title": spec.title,
        "date": date,
        "decision_proposal": spec.decision_proposal,
        "summary": spec.summary,
        "dispatch_to": "\n".join(spec.dispatch_to),
        "dispatch_bulleted": spec.dispatch_bulleted,
    }
    for heading, body in spec.sections:
        section = services.memo_section_add(memo=memo, by=by, heading=heading)
        data[f"section-{section.pk}-heading"] = heading
        data[f"section-{section.pk}-body"] = body
    memo.refresh_from_db()
    memo = services.memo_save(memo=memo, version=memo.version, data=data, by=by)
    if spec.key == "barnahus":
        upload = SimpleUploadedFile(
            "overenskommelse-barnahus-stockholm.pdf",
            barnahus_agreement_pdf(),
            content_type="application/pdf",
        )
        services.memo_attachment_upload(memo=memo, title=BARNAHUS_AGREEMENT, upload=upload, by=by)
    return memo


def _earlier_meeting(committee: Committee, users: dict[str, User], story: Story) -> Meeting:
    """4 December 2023: the nämndinitiativ is raised (§ 78) and taken in for preparation."""
    granskare, chief = users["granskare"], users["forvaltningschef"]
    meeting = services.meeting_create(
        committee=committee,
        date=EARLIER_MEETING_DATE,
        time=MEETING_TIME,
        place=PLACE,
        by=granskare,
    )
    item = services.agenda_item_add(
        meeting=meeting, by=granskare, title=f"{INITIATIVE_TITLE} (SN/2023:96)", label="1"
    )
    story.happened(EARLIER_KALLELSE_DATE, 9)
    services.meeting_send(meeting=meeting, by=chief)
    story.happened(EARLIER_KALLELSE_DATE, 15)
    decision = services.decision_record(
        item=item,
        paragraph=78,
        text=DECISION_78,
        report_back_required=True,
        by=granskare,
        today=EARLIER_MEETING_DATE,
    )
    story.happened(EARLIER_MEETING_DATE + datetime.timedelta(days=1))
    services.decision_report_back(
        decision=decision,
        on=MEETING_DATE,
        note="Besvarat i ärende 7 den 7 oktober 2024 (SN/2023:96)",
        by=granskare,
    )
    story.happened(MEETING_DATE + datetime.timedelta(days=1))
    return meeting


def _october_meeting(committee: Committee, users: dict[str, User], story: Story) -> Meeting:
    """7 October 2024: the ärenden, their memos through review, the ärendelista, sent."""
    units = {unit.code: unit for unit in Unit.objects.all()}
    granskare, chief = users["granskare"], users["forvaltningschef"]
    cases: dict[str, Case] = {}
    # Hand-entered diarienummer first, so the automatic ones follow after SN/2024:70.
    for spec in sorted(MEMOS, key=lambda s: not s.dnr):
        unit = units[spec.unit]
        writer = _writer(users, unit)
        case = services.case_register(
            committee=committee,
            title=spec.case_title or spec.title,
            by=writer,
            unit=unit,
            dnr=spec.dnr,
            today=spec.registered_on or spec.date,
        )
        story.happened(spec.registered_on or spec.date, 9)
        memo = _write_memo(case, spec, by=writer, date=spec.date)
        memo = services.memo_submit(memo=memo, by=writer)
        story.happened(spec.date, 15)
        # Fyraögonprincipen: what the granskare wrote, the förvaltningschef approves.
        services.memo_approve(memo=memo, by=chief if writer == granskare else granskare)
        story.happened(spec.date + datetime.timedelta(days=1), 11)
        cases[spec.key] = case

    meeting = services.meeting_create(
        committee=committee, date=MEETING_DATE, time=MEETING_TIME, place=PLACE, by=granskare
    )
    for label, key, title, confidential, show_contact_text in AGENDA:
        services.agenda_item_add(
            meeting=meeting,
            by=granskare,
            case=cases[key] if key else None,
            title=title,
            label=label,
            confidential=confidential,
            osl_reference=OSL_REFERENCE if confidential else "",
            show_contact_text=show_contact_text,
        )
    story.happened(KALLELSE_DATE, 9)
    meeting = services.meeting_send(meeting=meeting, by=chief)
    story.happened(KALLELSE_DATE, 15)
    return meeting


def upcoming_meeting_date(today: datetime.date) -> datetime.date:
    """The first Monday at least 14 days after `today`."""
    day = today + datetime.timedelta(days=14)
    return day + datetime.timedelta(days=(7 - day.weekday()) % 7)


def _upcoming_meeting(committee: Committee, users: dict[str, User]) -> Meeting:
    """The next meeting, not sent yet: one ärende with its memo still a draft."""
    today = timezone.localdate()
    granskare = users["granskare"]
    quarter_year = today.year if today.month >= 10 else today.year - 1
    stab = Unit.objects.get(code="STAB")
    writer = _writer(users, stab)
    case = services.case_register(
        committee=committee,
        title=(f"Rapportering av icke verkställda beslut enligt SoL 3:e kvartalet {quarter_year}"),
        by=writer,
        unit=stab,
        today=today,
    )
    spec = MemoSpec(
        key="icke_verkstallda_q3",
        unit="STAB",
        date=today,
        title=case.title,
        decision_proposal=(
            "Socialnämnden tar del av informationen och överlämnar rapporten till "
            "kommunfullmäktige och Solna stads revisorer för kännedom."
        ),
        summary=(
            f"Kvartalsrapport för tredje kvartalet {quarter_year} om gynnande beslut enligt "
            "SoL som inte verkställts inom tre månader. Stabsenheten sammanställer svaren från "
            "enheterna; uppgifterna kompletteras innan tjänsteskrivelsen skickas till granskning."
        ),
        second_signatory=STABSCHEF,
        dispatch_to=("Kommunfullmäktige", "Solna stads revisorer"),
        dispatch_bulleted=True,
    )
    _write_memo(case, spec, by=writer, date=today)
    meeting = services.meeting_create(
        committee=committee,
        date=upcoming_meeting_date(today),
        time=MEETING_TIME,
        place=PLACE,
        by=granskare,
    )
    services.agenda_item_add(meeting=meeting, by=granskare, case=case)
    return meeting


def render_queued() -> int:
    """Render the sent papers here and now (there may be no worker while loading demo data).
    Requests are idempotent (content hash), so PDFs already queued by meeting_send are not
    duplicated; a worker that later picks up a queued task finds the document done."""
    for meeting in Meeting.objects.filter(sent_at__isnull=False):
        for item in meeting.items.filter(memo__isnull=False).select_related("memo__case"):
            services.render_request(kind=RenderKind.MEMO, memo=item.memo)
        services.render_request(kind=RenderKind.BUNDLE_PUBLIC, meeting=meeting)
        services.render_request(kind=RenderKind.BUNDLE_INTERNAL, meeting=meeting)
    ids = list(
        RenderedDocument.objects.filter(status=RenderStatus.QUEUED)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for document_id in ids:
        printing.run(document_id)
    return len(ids)


def load(*, by) -> str:
    """`by` is the user load_demo passes (the controller); each step here is done by the demo
    user whose role it belongs to instead."""
    committee = Committee.objects.get(code="SN")
    if Meeting.objects.filter(committee=committee, date=MEETING_DATE).exists():
        return f"sammanträdet {MEETING_DATE:%Y-%m-%d} finns redan; inget nytt skapat."
    users = _demo_users()
    story = Story()
    with transaction.atomic():
        _earlier_meeting(committee, users, story)
        october = _october_meeting(committee, users, story)
        story.skip()
        upcoming = _upcoming_meeting(committee, users)  # today's, in real time
    story.skip()
    # meeting_send queued its PDFs on commit, which has happened now.
    rendered = render_queued()
    story.happened(KALLELSE_DATE, 16)  # the papers were printed when they were sent
    failed = RenderedDocument.objects.filter(status=RenderStatus.FAILED).count()
    parts = [
        f"{Case.objects.filter(committee=committee).count()} ärenden",
        f"sammanträdena {EARLIER_MEETING_DATE:%Y-%m-%d} (§ 78) och "
        f"{october.date:%Y-%m-%d} ({october.items.count()} punkter) skickade",
        f"kommande sammanträde {upcoming.date:%Y-%m-%d} med en tjänsteskrivelse som utkast",
        f"{rendered} PDF:er framställda",
    ]
    if failed:
        parts.append(f"{failed} PDF:er misslyckades")
    return ", ".join(parts) + "."
