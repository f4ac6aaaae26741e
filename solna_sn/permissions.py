"""Who may do what: small predicates used by views, templates and navigation alike.

Each takes the user (anonymous allowed) and returns a bool. Nämndledamöter read only papers
that have been sent to the nämnd; they never see drafts.
"""

from solna_sn.models import Role

STAFF_ROLES = frozenset(
    {
        Role.HANDLAGGARE,
        Role.CONTROLLER,
        Role.GRANSKARE,
        Role.FORVALTNINGSCHEF,
        Role.ADMINISTRATOR,
    }
)
# Roles whose work spans the whole förvaltning rather than their own enhet(er).
ADMINISTRATION_WIDE_ROLES = frozenset({Role.GRANSKARE, Role.FORVALTNINGSCHEF, Role.ADMINISTRATOR})


def _role(user) -> str | None:
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    return user.role


def is_staff_member(user) -> bool:
    """Förvaltning staff: everyone but nämndledamöter."""
    return _role(user) in STAFF_ROLES


def can_view_drafts(user) -> bool:
    """Drafts and papers not yet sent to the nämnd are for staff only."""
    return is_staff_member(user)


def can_view_organisation(user) -> bool:
    return is_staff_member(user)


def can_edit_in_unit(user, unit) -> bool:
    """Staff edit within their own enhet(er); granskare, förvaltningschef and administratör
    across the förvaltning."""
    role = _role(user)
    if role in ADMINISTRATION_WIDE_ROLES:
        return True
    if role in (Role.HANDLAGGARE, Role.CONTROLLER):
        return user.units.filter(pk=unit.pk).exists()
    return False


def can_read_committee_papers(user) -> bool:
    """Papers sent to the nämnd: every signed-in user, nämndledamöter included."""
    return _role(user) is not None


def can_administer(user) -> bool:
    """Catalogues, organisation, users, audit trail and system status."""
    return _role(user) == Role.ADMINISTRATOR


def can_read_audit_trail(user) -> bool:
    return can_administer(user)


# --- Verksamhetsmått -------------------------------------------------------------------------


def can_view_metrics(user) -> bool:
    return is_staff_member(user)


def can_enter_metrics(user, unit) -> bool:
    """Controllers enter monthly values for their own enhet(er)."""
    return _role(user) == Role.CONTROLLER and user.units.filter(pk=unit.pk).exists()


def can_lock_metric_month(user, unit) -> bool:
    """Lock a reported month: the enhet's controller or a granskare."""
    return _role(user) == Role.GRANSKARE or can_enter_metrics(user, unit)


def can_reopen_metric_month(user, unit) -> bool:
    """Reopening a locked month (with a reason) is for granskare and förvaltningschef."""
    return _role(user) in (Role.GRANSKARE, Role.FORVALTNINGSCHEF)


def can_import_metrics(user) -> bool:
    return _role(user) == Role.CONTROLLER


# --- Ärenden, tjänsteskrivelser, sammanträden -------------------------------------------------

LEADERSHIP_ROLES = frozenset({Role.GRANSKARE, Role.FORVALTNINGSCHEF})


def can_register_case(user) -> bool:
    return is_staff_member(user)


def can_write_memo(user, unit) -> bool:
    """Write tjänsteskrivelser for an enhet: its handläggare and controllers, and
    förvaltningsledning."""
    return can_edit_in_unit(user, unit)


def can_review_memo(user) -> bool:
    """Approve or return a memo in review: granskare (stabschef) and förvaltningschef."""
    return _role(user) in LEADERSHIP_ROLES


def can_send_to_committee(user) -> bool:
    """Send memos and kallelser to the nämnd: förvaltningsledning."""
    return _role(user) in LEADERSHIP_ROLES


def can_manage_meetings(user) -> bool:
    """Build sammanträden and their ärendelista: förvaltningsledning."""
    return _role(user) in LEADERSHIP_ROLES


def can_record_minutes(user) -> bool:
    """Record (or correct) protokollsutdrag and återrapportering after a meeting: the roles
    that keep the protokoll, granskare and förvaltningschef. Not handläggare: a decision is
    the nämnd's, and items may be secret."""
    return _role(user) in LEADERSHIP_ROLES


def can_view_internal_papers(user) -> bool:
    """Internal variants (with the secret items) and unsent papers are for staff only."""
    return is_staff_member(user)


# --- Intern kontroll --------------------------------------------------------------------------


def can_view_controls(user) -> bool:
    return is_staff_member(user)


def can_edit_control_plan(user) -> bool:
    """Draft the internkontrollplan (processes, risks, kontrollmoment) and import it:
    förvaltningsledning and controllers."""
    return _role(user) in LEADERSHIP_ROLES or _role(user) == Role.CONTROLLER


def can_approve_control_plan(user) -> bool:
    """Mark the plan adopted with the verksamhetsplan (freezes it): förvaltningsledning."""
    return _role(user) in LEADERSHIP_ROLES


def can_record_control_result(user, unit) -> bool:
    """Record results and åtgärder for a control the enhet is responsible for."""
    return can_edit_in_unit(user, unit)


def can_approve_control_result(user) -> bool:
    """Review and approve (lock) control results: granskare."""
    return _role(user) == Role.GRANSKARE


# --- Avtal och avtalsuppföljning --------------------------------------------------------------


def can_view_contracts(user) -> bool:
    return is_staff_member(user)


def can_edit_contracts(user, unit) -> bool:
    """Register and change contracts, procurements and follow-ups of an enhet."""
    return can_edit_in_unit(user, unit)


def can_plan_contract_followups(user) -> bool:
    """Decide the yearly follow-up plan: förvaltningsledning and controllers."""
    return _role(user) in LEADERSHIP_ROLES or _role(user) == Role.CONTROLLER


def can_approve_contract_followup(user) -> bool:
    """Approve (lock) a completed follow-up: förvaltningsledning."""
    return _role(user) in LEADERSHIP_ROLES


# --- Mål --------------------------------------------------------------------------------------


def can_view_goals(user) -> bool:
    return is_staff_member(user)


def can_edit_goal_tree(user) -> bool:
    """Goals, mått, aktiviteter, uppdrag and copying a year: förvaltningsledning and the
    administratör."""
    return _role(user) in LEADERSHIP_ROLES or _role(user) == Role.ADMINISTRATOR


def can_start_plan_year(user) -> bool:
    """Start next year's verksamhetsplan as a copy of this year's (goal tree, budget,
    taxor, kvalitetsdeklarationer, internkontrollplan): förvaltningsledning."""
    return _role(user) in LEADERSHIP_ROLES


def can_adopt_plan_year(user) -> bool:
    """Record that the nämnd fastställt the year's plan (goal tree, budget version,
    internkontrollplan), and start a new revision of an adopted goal tree:
    förvaltningsledning, who keep the protokoll."""
    return _role(user) in LEADERSHIP_ROLES


def can_assign_goal_assessments(user) -> bool:
    """Give an assessment to a writer, or write any of them: förvaltningsledning."""
    return _role(user) in LEADERSHIP_ROLES


def can_assess_goal(user, assessment) -> bool:
    """Write a goal's or uppdrag's assessment: the writer it is assigned to, or
    förvaltningsledning. Staff of another enhet may read it but not change it."""
    if can_assign_goal_assessments(user):
        return True
    return (
        assessment is not None
        and is_staff_member(user)
        and assessment.writer_id is not None
        and assessment.writer_id == user.pk
    )


# --- Ekonomi ----------------------------------------------------------------------------------


def can_view_economy(user) -> bool:
    """Economic tables, personnel key figures, taxor and kvalitetsdeklarationer: staff."""
    return is_staff_member(user)


def can_enter_economy(user, committee=None) -> bool:
    """Enter figures, import the ekonomisystem's export, lock tables and keep the registers:
    controllers of the nämnd's förvaltning, and förvaltningsledning. Without `committee`, whether
    the role may do so anywhere."""
    role = _role(user)
    if role in LEADERSHIP_ROLES:
        return True
    if role != Role.CONTROLLER:
        return False
    if committee is None:
        return True
    return user.units.filter(administration__committee=committee).exists()


def can_reopen_economy(user) -> bool:
    """Reopen a locked table (with a reason): förvaltningsledning."""
    return _role(user) in LEADERSHIP_ROLES


def can_define_economy_tables(user) -> bool:
    """Table definitions, row sets, columns and the account mapping: the administratör."""
    return can_administer(user)


# --- Rapporter --------------------------------------------------------------------------------


def can_view_reports(user) -> bool:
    """Report drafts, their checks and previews: staff. Nämndledamöter read only the PDF
    rendered from the sent report (reports/pdf_access.py)."""
    return is_staff_member(user)


def can_manage_reports(user) -> bool:
    """Create a report, assign its sections, review, approve and send it: förvaltningsledning."""
    return _role(user) in LEADERSHIP_ROLES


def can_write_report_section(user, section) -> bool:
    """Write a report section: the writer it is assigned to, a staff member of the enhet it is
    assigned to, or förvaltningsledning. An unassigned section is for förvaltningsledning."""
    if can_manage_reports(user):
        return True
    if not is_staff_member(user) or section is None:
        return False
    if section.writer_id is not None:
        return section.writer_id == user.pk
    if section.unit_id is not None:
        return user.units.filter(pk=section.unit_id).exists()
    return False


def can_confirm_report_warnings(user) -> bool:
    """Send a report although the consistency check has warnings: the förvaltningschef."""
    return _role(user) == Role.FORVALTNINGSCHEF
