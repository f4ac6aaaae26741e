"""Swedish words for the audit trail: what each recorded action means, what kind of object it
is about and who did it. The one mapping every page that shows audit entries uses (the
granskningslogg in the administration, a cell's history).

`audit.record()` takes a dotted code ("memo.skickad", "metric_value.imported"); people read
"Tjänsteskrivelse skickad till nämnden". tests/core/test_audit_labels.py finds every
`audit.record(` call in the code and fails for an action without a description here.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.apps import apps
from django.contrib.auth import get_user_model

from solna_sn.models import Role

# Workflow steps named after the state they lead to (memos and reports).
_STATE_STEPS = {
    "utkast": "återförd till utkast",
    "granskning": "skickad för granskning",
    "godkand": "godkänd",
    "skickad": "skickad till nämnden",
    "behandlad": "behandlad av nämnden",
}

ACTIONS: dict[str, str] = {
    # Organisation och användare
    "user.preferences_saved": "Inställningar för e-postaviseringar sparade",
    "unit.renamed": "Enhet bytte namn",
    # Ärenden, tjänsteskrivelser, sammanträden
    "case.registered": "Ärende registrerat",
    "case.corrected": "Ärendets rubrik eller enhet rättad",
    "memo.created": "Tjänsteskrivelse skapad",
    "memo.saved": "Tjänsteskrivelse sparad",
    "memo.revision_created": "Ny revision av tjänsteskrivelse",
    "memo.section_added": "Avsnitt tillagt i tjänsteskrivelse",
    "memo.section_removed": "Avsnitt borttaget ur tjänsteskrivelse",
    "memo.signatory_added": "Undertecknare tillagd",
    "memo.signatory_removed": "Undertecknare borttagen",
    "memo.attachment_added": "Handling tillagd i tjänsteskrivelse",
    "memo.attachment_removed": "Handling borttagen ur tjänsteskrivelse",
    **{f"memo.{state}": f"Tjänsteskrivelse {step}" for state, step in _STATE_STEPS.items()},
    "meeting.created": "Sammanträde skapat",
    "meeting.item_added": "Ärende tillagt på ärendelistan",
    "meeting.item_removed": "Ärende borttaget från ärendelistan",
    "meeting.sent": "Kallelse skickad till nämnden",
    "decision.recorded": "Beslut i protokollsutdrag sparat",
    "decision.reported_back": "Beslut återrapporterat",
    # PDF:er
    "render.retried": "PDF framställs på nytt",
    "render.requeued": "PDF lagd i kön igen efter avbrott",
    "render.abandoned": "PDF-framställning avbruten",
    # Verksamhetsmått
    "metric_value.changed": "Värde ändrat i månadsrapporteringen",
    "metric_value.imported": "Värde inläst från Excel",
    "metric_month.reported": "Månad inrapporterad",
    "metric_month.locked": "Månad låst",
    "metric_month.reopened": "Månad öppnad igen",
    "metric.earlier_title_added": "Tidigare titel på mått sparad (från en Excel-inläsning)",
    # Intern kontroll
    "control_plan.created": "Internkontrollplan skapad",
    "control_plan.imported": "Internkontrollplan inläst från Excel",
    "control_plan.adopted": "Internkontrollplan fastställd",
    "control_plan.revised": "Ny revision av internkontrollplan",
    "control_risk.created": "Risk tillagd",
    "control_risk.saved": "Risk ändrad",
    "control_risk.deleted": "Risk borttagen",
    "control_result.recorded": "Kontrollresultat registrerat",
    "control_result.saved": "Kontrollresultat ändrat",
    "control_result.submitted": "Kontrollresultat skickat för granskning",
    "control_result.returned": "Kontrollresultat återfört",
    "control_result.approved": "Kontrollresultat godkänt",
    "control_action.done": "Åtgärd genomförd",
    "control_action.reopened": "Åtgärd öppnad igen",
    "control_follow_up.saved": "Uppföljning av intern kontroll sparad",
    # Avtal
    "contract.created": "Avtal registrerat",
    "contract.updated": "Avtal ändrat",
    "contract.extension_added": "Förlängning av avtal tillagd",
    "contract.extension_removed": "Förlängning av avtal borttagen",
    "procurement.created": "Upphandling registrerad",
    "procurement.updated": "Upphandling ändrad",
    "followup_plan.generated": "Tidsplan för avtalsuppföljning föreslagen",
    "followup_plan.approved": "Tidsplan för avtalsuppföljning godkänd",
    "followup.planned": "Avtalsuppföljning planerad",
    "followup.replanned": "Avtalsuppföljning planerad om",
    "followup.unplanned": "Avtalsuppföljning struken ur tidsplanen",
    "followup.started": "Avtalsuppföljning påbörjad",
    "followup.saved": "Avtalsuppföljning sparad",
    "followup.approved": "Avtalsuppföljning godkänd",
    "followup.memo_created": "Tjänsteskrivelse skapad från avtalsuppföljning",
    "followup.activity_added": "Punkt i leverantörens checklista tillagd",
    "followup.activity_updated": "Punkt i leverantörens checklista ändrad",
    "followup.activity_removed": "Punkt i leverantörens checklista borttagen",
    "followup.deficiency_added": "Brist tillagd",
    "followup.deficiency_removed": "Brist borttagen",
    # Ekonomi
    "economy.budget_version_adopted": "Budgetversion fastställd med verksamhetsplanen",
    "economy.plan_year_copied": "Budget och planens tabeller kopierade till nästa planår",
    "economy.sheet_created": "Ekonomisk tabell skapad",
    "economy.sheet_locked": "Ekonomisk tabell låst",
    "economy.sheet_reopened": "Ekonomisk tabell öppnad igen",
    "economy.sheet_versions_changed": "Budgetversioner i tabell ändrade",
    "economy.figure_changed": "Belopp ändrat",
    "economy.budget_changed": "Budgetbelopp ändrat",
    "economy.figure_imported": "Belopp inläst från ekonomisystemet",
    "economy.import_uploaded": "Fil från ekonomisystemet uppladdad",
    "economy.import_applied": "Inläsning från ekonomisystemet genomförd",
    "economy.commentary_changed": "Kommentar till rad ändrad",
    "economy.footnotes_changed": "Fotnoter ändrade",
    "economy.budget_version_created": "Budgetversion skapad",
    "economy.budget_version_locked": "Budgetversion låst",
    "economy.budget_version_opened": "Budgetversion öppnad igen",
    "economy.personnel_sheet_created": "Personaltabell skapad",
    "economy.personnel_changed": "Personalnyckeltal ändrade",
    # Mål och uppdrag
    "goal_plan.adopted": "Målträd fastställt av nämnden",
    "goal_plan.revised": "Ny revision av ett fastställt målträd",
    "goal_settings.created": "Inställningar för mål skapade",
    "goal_plan.created": "Målträd skapat",
    "goal_plan.copied": "Målträd kopierat från förra året",
    "goal.created": "Mål skapat",
    "goal.changed": "Mål ändrat",
    "goal.deleted": "Mål borttaget",
    "measure.created": "Mått för mål skapat",
    "measure.changed": "Mått för mål ändrat",
    "measure.deleted": "Mått för mål borttaget",
    "measure_value.saved": "Värde för mått sparat",
    "activity.created": "Aktivitet skapad",
    "activity.changed": "Aktivitet ändrad",
    "activity.deleted": "Aktivitet borttagen",
    "assignment.created": "Uppdrag skapat",
    "assignment.changed": "Uppdrag ändrat",
    "assignment.deleted": "Uppdrag borttaget",
    "goal_assessment.assigned": "Bedömning av mål tilldelad",
    "goal_assessment.saved": "Bedömning av mål sparad",
    "assignment_assessment.assigned": "Bedömning av uppdrag tilldelad",
    "assignment_assessment.saved": "Bedömning av uppdrag sparad",
    # Uppföljningsrapporter
    "report.adopted": "Verksamhetsplan fastställd enligt nämndens beslut",
    "report_kind.outline_applied": "Disposition vald för en rapporttyp",
    "risk_goal_link.created": "Risk kopplad till ett nämndmål",
    "risk_goal_link.removed": "Koppling mellan risk och nämndmål borttagen",
    "risk_goal_link.revision_copied": "Risk–mål-kopplingar tagna till ny revision",
    "risk_goal_link.year_copied": "Kopplingar mellan risker och nämndmål kopierade till nästa år",
    "report_kind.seeded": "Rapporttyp inlagd",
    "report.created": "Rapport skapad",
    **{f"report.{state}": f"Rapport {step}" for state, step in _STATE_STEPS.items()},
    "report.sent": "Rapport skickad till nämnden (texter och siffror frysta)",
    "report.corrected": "Rapport rättad efter utskick",
    "report.memo_created": "Tjänsteskrivelse skapad för rapport",
    "report.memo_linked": "Rapport kopplad till tjänsteskrivelse",
    "report_section.assigned": "Avsnitt tilldelat skribent",
    "report_section.saved": "Avsnitt sparat",
    "report_section.marked": "Avsnitt markerat klart eller ej klart",
}

# Generic steps: the administration's saves and deletes ("<model>.created") and the economy
# registers ("economy.<model>_created"), named by the model's own Swedish verbose_name.
_VERBS = {
    "created": "skapad",
    "changed": "ändrad",
    "deleted": "borttagen",
    "year_copied": "kopierade från förra året",
}


def _model_named(model_name: str, app_label: str | None = None):
    for model in apps.get_models():
        if model._meta.model_name == model_name and app_label in (None, model._meta.app_label):
            return model
    return None


def _generic(action: str) -> str:
    prefix, _, verb = action.partition(".")
    if prefix == "economy":
        for suffix, word in _VERBS.items():
            if verb.endswith(f"_{suffix}"):
                model = _model_named(verb.removesuffix(f"_{suffix}"), "economy")
                if model is not None:
                    return f"{str(model._meta.verbose_name).capitalize()} {word}"
        return ""
    model = _model_named(prefix)
    if model is None or verb not in _VERBS:
        return ""
    return f"{str(model._meta.verbose_name).capitalize()} {_VERBS[verb]} i administrationen"


def action_label(action: str) -> str:
    """The Swedish description of an audit action, or "" when none is known."""
    return ACTIONS.get(action) or _generic(action)


def describe_action(action: str) -> str:
    """What to show for an action: its description, or the code itself when it has none (an
    entry from an older version of the system)."""
    return action_label(action) or action


def target_type_label(target_type: str) -> str:
    """ "casework.meeting" → "Sammanträde"; unknown types are shown as they are."""
    if not target_type:
        return ""
    try:
        model = apps.get_model(target_type)
    except (LookupError, ValueError):
        return target_type
    return str(model._meta.verbose_name).capitalize()


def role_label(code: str) -> str:
    """ "controller" → "Controller", "handlaggare" → "Handläggare"."""
    try:
        return Role(code).label
    except ValueError:
        return code


def actor_names(entries: Iterable) -> dict[int, str]:
    """Full names of the users who made `entries`, in one query: actor id → "Carl Ekström"
    (the username when the user has no name)."""
    ids = {entry.actor_id for entry in entries if entry.actor_id}
    users = get_user_model().objects.filter(pk__in=ids).only("first_name", "last_name", "username")
    return {user.pk: user.get_full_name() or user.username for user in users}


def actor_name(entry, names: dict[int, str]) -> str:
    """Who made the entry: the person's name; a deleted user's username; "Systemet"."""
    if entry.actor_id and entry.actor_id in names:
        return names[entry.actor_id]
    return entry.actor_username or "Systemet"


def change_rows(entry) -> list[tuple[str, object, object]]:
    """The entry's changes as (field, old, new), with role codes as role names."""
    rows = []
    for field, values in (entry.changes or {}).items():
        pair = [*values, None, None][:2] if isinstance(values, list) else [None, values]
        old, new = pair
        if field in ("role", "roll"):
            old, new = (role_label(v) if isinstance(v, str) else v for v in (old, new))
        rows.append((field, old, new))
    return rows
