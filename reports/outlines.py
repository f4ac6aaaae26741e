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

# code, name, period, outline
KINDS = [
    ("budgetuppfoljning", "Budgetuppföljning per april", "april", APRIL),
    ("delarsrapport", "Delårsrapport per augusti", "augusti", FOLLOW_UP),
    ("arsredovisning", "Årsredovisning", "helar", FOLLOW_UP),
]
