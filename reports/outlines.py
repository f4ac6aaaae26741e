"""The standard outlines of the follow-up reports, as in the sources (DESIGN.md §5,
domain/handlingar-2024-10-07.md §1.2), used to seed a nämnd's report kinds. Pure data; once
seeded the outlines are rows an administratör keeps in the admin.

Each entry: (title, level, mode, generator, in_toc, anvisning, default_text). A generated
entry without a title continues the section above it.
"""

from __future__ import annotations

from dataclasses import dataclass

W, G, H = "written", "generated", "heading"

STYRNING_TEXT = (
    "<p>Kommunfullmäktige beslutar om mål och budget för nämnderna. Nämnderna följer upp sin "
    "verksamhet per 30 april (budgetuppföljning per april), 31 augusti (delårsrapport) och "
    "31 december (årsredovisning).</p>"
)


@dataclass(frozen=True)
class Entry:
    title: str
    level: int
    mode: str
    generator: str = ""
    in_toc: bool = True
    anvisning: str = ""
    default_text: str = ""


FOLLOW_UP = [
    Entry("Förvaltningsberättelse", 1, H),
    Entry(
        "Sammanfattning",
        2,
        W,
        anvisning="Det viktigaste från perioden i punktform: verksamhet, mål, ekonomi. "
        "Infoga siffror från tabellerna som levande siffror.",
    ),
    Entry(
        "Händelser av väsentlig betydelse",
        2,
        W,
        anvisning="Ett stycke per händelse: nya insatser, lagar, samarbeten.",
    ),
    Entry(
        "Styrning och uppföljning av den kommunala verksamheten",
        2,
        W,
        anvisning="Stadens gemensamma text. Ändra bara om stadsledningskontoret har ändrat den.",
        default_text=STYRNING_TEXT,
    ),
    Entry("Socialnämndens ansvarsområden", 3, W, in_toc=False),
    Entry("Mål och uppdrag", 2, H),
    Entry("Nämndmål", 3, G, "goals.follow_up", in_toc=False),
    Entry("Uppdrag", 3, G, "goals.assignments", in_toc=False),
    Entry(
        "Tvärsektoriella frågor",
        2,
        W,
        anvisning="Underrubriker: Internationellt, Likabehandling, Miljö och klimat.",
    ),
    Entry("Ekonomisk analys", 2, H),
    Entry(
        "Driftredovisning",
        3,
        W,
        in_toc=False,
        anvisning="Kommentera nettokostnader, budgetavvikelse och prognos. Resultaträkningen "
        "skrivs ut efter texten.",
    ),
    Entry("", 3, G, "economy.resultatrakning", in_toc=False),
    Entry("Verksamheter", 3, G, "economy.verksamheter", in_toc=False),
    Entry("Investeringsredovisning", 3, G, "economy.investeringar", in_toc=False),
    Entry("Väsentliga personalförhållanden", 2, W),
    Entry("", 2, G, "economy.personal", in_toc=False),
    Entry("Förväntad utveckling", 2, W),
    Entry("Konkurrensutsättning", 2, H),
    Entry(
        "Uppföljning av genomförda upphandlingar",
        3,
        G,
        "contracts.konkurrensutsattning",
        in_toc=False,
    ),
    Entry("Intern kontroll", 2, W),
    Entry("Uppföljning av internkontrollplan", 3, G, "controls.follow_up", in_toc=False),
    Entry("Verksamhetsmått", 2, W),
    Entry("", 2, G, "metrics.verksamhetsmatt", in_toc=False),
    Entry("Återrapportering av vissa nämndbeslut", 2, W),
    Entry("", 2, G, "casework.aterrapportering", in_toc=False),
]

APRIL = [
    Entry("Sammanfattning", 1, W),
    Entry("Mål och uppdrag", 1, H),
    Entry("Nämndmål", 2, G, "goals.follow_up", in_toc=False),
    Entry("Uppdrag", 2, G, "goals.assignments", in_toc=False),
    Entry("Ekonomisk analys", 1, H),
    Entry("Driftredovisning", 2, W, in_toc=False),
    Entry("", 2, G, "economy.resultatrakning", in_toc=False),
    Entry("Verksamheter", 2, G, "economy.verksamheter", in_toc=False),
    Entry("Intern kontroll", 1, W),
    Entry("Uppföljning av internkontrollplan", 2, G, "controls.follow_up", in_toc=False),
]

STYRNING_VP_TEXT = (
    "<p>Kommunfullmäktige beslutar i Solna stads verksamhetsplan och budget om inriktning, mål "
    "och ekonomiska ramar för nämnderna. Varje nämnd fastställer sin verksamhetsplan och budget "
    "inom de föreslagna ekonomiska ramarna, och med den sin internkontrollplan och "
    "konkurrensplan. Verksamheten följs upp per 30 april, 31 augusti och 31 december.</p>"
)

TAXOR_TEXT = "<p>Inför planåret föreslås inga nya beslut om nya eller förändrade taxor.</p>"

# Verksamhetsplan och budget as in the VP 2025 (domain/handlingar-2024-10-07.md §1.4).
VERKSAMHETSPLAN = [
    Entry("Förvaltningsberättelse", 1, H),
    Entry(
        "Sammanfattning",
        2,
        W,
        anvisning="Samma text som tjänsteskrivelsens sammanfattning: budgetbeslutet, nämndmålen, "
        "fokusområden och ramen. Infoga ramen som levande siffra.",
    ),
    Entry(
        "Styrning och uppföljning av den kommunala verksamheten",
        2,
        W,
        anvisning="Stadens gemensamma text. Ändra bara om stadsledningskontoret har ändrat den.",
        default_text=STYRNING_VP_TEXT,
    ),
    Entry("Socialnämndens ansvarsområden", 3, W, in_toc=False),
    Entry(
        "Nämndens kvalitetsdeklarationer",
        3,
        W,
        in_toc=False,
        anvisning="Vad kvalitetsdeklarationerna är och om de ska ses över. Tabellen skrivs ut "
        "efter texten.",
    ),
    Entry("", 3, G, "economy.kvalitetsdeklarationer", in_toc=False),
    Entry(
        "Organisation",
        3,
        W,
        in_toc=False,
        anvisning="Enheterna med sina grupper, upphandlad verksamhet och kommungemensam "
        "verksamhet med huvudman.",
    ),
    Entry("Mål och uppdrag", 2, H),
    Entry("Solna stads vision och övergripande mål", 3, G, "goals.vision", in_toc=False),
    Entry(
        "Nämndmål",
        3,
        W,
        in_toc=False,
        anvisning="Inledning till nämndmålen. Tabellen med mått och aktiviteter skrivs ut efter "
        "texten.",
    ),
    Entry("", 3, G, "goals.namndmal", in_toc=False),
    Entry("Löpande verksamhet enligt reglemente", 3, G, "goals.ongoing", in_toc=False),
    Entry("Ekonomi", 2, H),
    Entry("Driftbudget, nämnd", 3, W, in_toc=False),
    Entry("", 3, G, "economy.driftbudget_namnd", in_toc=False),
    Entry("Driftbudget, per verksamhet", 3, W, in_toc=False),
    Entry("", 3, G, "economy.driftbudget_verksamhet", in_toc=False),
    Entry("Investeringsbudget", 3, W, in_toc=False),
    Entry("", 3, G, "economy.investeringsbudget", in_toc=False),
    Entry("Taxor och avgifter", 3, W, in_toc=False, default_text=TAXOR_TEXT),
    Entry("Nämndens taxor och avgifter", 3, G, "economy.taxor", in_toc=False),
    Entry("Väsentliga personalförhållanden", 2, W),
    Entry(
        "Tvärsektoriella frågor",
        2,
        W,
        anvisning="Internationellt, Likabehandling, Miljö och klimat.",
    ),
    Entry("Förväntad utveckling", 2, W),
    Entry(
        "Konkurrensutsättning",
        2,
        W,
        anvisning="Vad nämnden köper via inköpscentral, entreprenad och kundval. "
        "Konkurrensplanens tabell skrivs ut under texten.",
    ),
    Entry("Avtal som ska upphandlas", 3, G, "contracts.konkurrensplan", in_toc=False),
    Entry("Större avrop på befintliga ramavtal", 3, W, in_toc=False),
    Entry(
        "Intern kontroll",
        2,
        W,
        anvisning="Metoden: risker, riskindex och kontrollmoment. Planen skrivs ut efter texten.",
    ),
    Entry("", 2, G, "controls.plan", in_toc=False),
]

# The same document in the layout of the plan for 2020 (domain/oppna-jamforelser-och-vp-2020.md
# part B2): other headings, another order, one level less. Seeded only on request (the admin's
# "Disposition" when a kind is added); the point is that it needs no code.
VERKSAMHETSPLAN_2020 = [
    Entry("Sammanfattning", 1, W),
    Entry("Nämndens ansvarsområden", 1, W),
    Entry("Solna stads styrning", 1, W, default_text=STYRNING_VP_TEXT),
    Entry("Mål och uppdrag", 1, H),
    Entry("Solna stads vision och övergripande mål", 2, G, "goals.vision"),
    Entry("Nämndmål", 2, G, "goals.namndmal"),
    Entry("Löpande verksamhet enligt reglemente", 2, G, "goals.ongoing"),
    Entry("Framtida utmaningar och förutsättningar", 1, W),
    Entry("Organisation", 1, W),
    Entry("Budget", 1, H),
    Entry("Driftbudget, nämnd", 2, G, "economy.driftbudget_namnd"),
    Entry("Driftbudget, per verksamhet", 2, G, "economy.driftbudget_verksamhet"),
    Entry("Investeringsbudget", 2, G, "economy.investeringsbudget"),
    Entry("Taxor och avgifter", 2, W, default_text=TAXOR_TEXT),
    Entry("Nämndens taxor och avgifter", 3, G, "economy.taxor", in_toc=False),
    Entry("Medarbetare", 1, W),
    Entry("Verksamhetsutveckling och kvalitetsarbete", 1, W),
    Entry("Nämndens kvalitetsdeklarationer", 2, G, "economy.kvalitetsdeklarationer"),
    Entry("Tvärsektoriella frågor", 1, W),
    Entry("Konkurrensutsättning", 1, W),
    Entry(
        "Befintliga avtal som ska upphandlas på nytt",
        2,
        G,
        "contracts.konkurrensplan",
        in_toc=False,
    ),
    Entry("Nya upphandlingsbehov samt större avrop på befintliga ramavtal", 2, W, in_toc=False),
    Entry("Intern kontroll", 1, W),
    Entry("Internkontrollplan", 2, G, "controls.plan", in_toc=False),
]


@dataclass(frozen=True)
class Layout:
    code: str
    name: str  # the kind's name; the report is "<name> <year>"
    period: str
    entries: list
    plan: bool = False
    label: str = ""  # what the admin's choice shows

    @property
    def choice_label(self) -> str:
        return self.label or self.name


LAYOUTS = {
    layout.code: layout
    for layout in [
        Layout("budgetuppfoljning", "Budgetuppföljning per april", "april", APRIL),
        Layout("delarsrapport", "Delårsrapport per augusti", "augusti", FOLLOW_UP),
        Layout("arsredovisning", "Årsredovisning", "helar", FOLLOW_UP),
        Layout(
            "verksamhetsplan",
            "Verksamhetsplan och budget",
            "helar",
            VERKSAMHETSPLAN,
            plan=True,
            label="Verksamhetsplan och budget (som planen för 2025)",
        ),
        Layout(
            "verksamhetsplan-2020",
            "Verksamhetsplan och budget",
            "helar",
            VERKSAMHETSPLAN_2020,
            plan=True,
            label="Verksamhetsplan och budget (disposition som planen för 2020)",
        ),
    ]
}

# The kinds every nämnd gets (kinds_seed), in this order.
SEEDED = ["budgetuppfoljning", "delarsrapport", "arsredovisning", "verksamhetsplan"]
