"""The main navigation: each entry names the permission that shows it.

Apps add their entries to `NAV_ITEMS` as their pages are built; the context processor shows a
user only the entries their role may use.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse

from solna_sn import permissions


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    allowed: Callable[[object], bool]
    description: str = ""

    @property
    def url(self) -> str:
        return reverse(self.url_name)


NAV_ITEMS: list[NavItem] = [
    NavItem("Start", "start", permissions.can_read_committee_papers, "Din startsida."),
    NavItem(
        "Läsrum",
        "casework:reading_room",
        permissions.can_read_committee_papers,
        "Kallelser och handlingar som har skickats till nämnden, som PDF.",
    ),
    NavItem(
        "Ärenden",
        "casework:case_list",
        permissions.can_register_case,
        "Registrera ärenden och få diarienummer.",
    ),
    NavItem(
        "Tjänsteskrivelser",
        "casework:memo_list",
        permissions.can_view_drafts,
        "Skriv, granska, godkänn och skicka tjänsteskrivelser.",
    ),
    NavItem(
        "Sammanträden",
        "casework:meeting_list",
        permissions.can_view_drafts,
        "Ärendelistor, kallelser, protokollsutdrag och återrapportering.",
    ),
    NavItem(
        "Verksamhetsmått",
        "metrics:index",
        permissions.can_view_metrics,
        "Månadsrapportering, rapporteringsläge, tabeller, diagram och Excel.",
    ),
    NavItem(
        "Internkontroll",
        "controls:index",
        permissions.can_view_controls,
        "Internkontrollplan, riskmatris, kontrollkalender, resultat och uppföljning.",
    ),
    NavItem(
        "Avtal",
        "contracts:index",
        permissions.can_view_contracts,
        "Avtalsregister, upphandlingar, tidsplan och avtalsuppföljningar.",
    ),
    NavItem(
        "Ekonomi",
        "economy:index",
        permissions.can_view_economy,
        "Budget, utfall och prognos per tabell och period, personal, taxor och "
        "kvalitetsdeklarationer.",
    ),
    NavItem(
        "Mål",
        "goals:index",
        permissions.can_view_goals,
        "Målträd per år med mått, aktiviteter, uppdrag och bedömningar per period.",
    ),
    NavItem(
        "Rapporter",
        "reports:report_list",
        permissions.can_view_reports,
        "Budgetuppföljning, delårsrapport och årsredovisning: skriv, kontrollera och skicka.",
    ),
    NavItem(
        "Organisation",
        "organisation",
        permissions.can_view_organisation,
        "Kommun, nämnd, förvaltning och enheter med tidigare namn.",
    ),
    NavItem(
        "Systemstatus",
        "system_status",
        permissions.can_administer,
        "Kontrollera databasen och bakgrundsarbetaren.",
    ),
    NavItem(
        "Administration",
        "admin:index",
        permissions.can_administer,
        "Underhåll organisation, användare och granskningslogg.",
    ),
]


def items_for(user) -> list[NavItem]:
    return [item for item in NAV_ITEMS if item.allowed(user)]
